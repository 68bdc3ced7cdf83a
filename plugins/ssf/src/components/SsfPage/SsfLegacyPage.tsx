/*
 * Copyright 2026 The Shared Signals for Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { Container, PluginHeader } from '@backstage/ui';
import { RiBroadcastLine } from '@remixicon/react';
import { useMemo } from 'react';
import { Navigate, Route, Routes, useResolvedPath } from 'react-router-dom';
import { SSF_TABS } from '../../tabs';
import { HooksTab } from '../HooksTab';
import { ProvidersTab } from '../ProvidersTab';
import { ReceivedEventsTab } from '../ReceivedEventsTab';
import { StreamsTab } from '../StreamsTab';
import { TransmitterTab } from '../TransmitterTab';
import { SecurityPostureBanner } from './SecurityPostureBanner';

const TAB_CONTENT = {
  streams: <StreamsTab />,
  providers: <ProvidersTab />,
  'received-events': <ReceivedEventsTab />,
  hooks: <HooksTab />,
  transmitter: <TransmitterTab />,
};

/**
 * The Shared Signals page for the legacy frontend system, which has no page
 * layout to draw the header and tabs: it draws them itself, with one route
 * per tab below the page's mount path.
 */
export function SsfLegacyPage() {
  const base = useResolvedPath('.').pathname.replace(/\/$/, '');
  const tabs = useMemo(
    () =>
      SSF_TABS.map(t => ({
        id: t.path,
        label: t.title,
        href: `${base}/${t.path}`,
        matchStrategy: 'prefix' as const,
      })),
    [base],
  );
  return (
    <>
      <PluginHeader
        title="Shared Signals"
        icon={<RiBroadcastLine />}
        tabs={tabs}
      />
      <Container py="4">
        <SecurityPostureBanner />
        <Routes>
          <Route index element={<Navigate to={SSF_TABS[0].path} replace />} />
          {SSF_TABS.map(t => (
            <Route
              key={t.path}
              path={`${t.path}/*`}
              element={TAB_CONTENT[t.path]}
            />
          ))}
        </Routes>
      </Container>
    </>
  );
}
