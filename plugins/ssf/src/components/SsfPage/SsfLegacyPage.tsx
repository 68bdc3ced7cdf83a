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

import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Container, PluginHeader } from '@backstage/ui';
import { RiBroadcastLine } from '@remixicon/react';
import { ReactNode, useMemo } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import {
  legacyProviderRouteRef,
  legacyStreamRouteRef,
  legacyTabRouteRefs,
} from '../../routes';
import { SSF_TABS, SsfTabPath } from '../../tabs';
import { ssfTranslationRef } from '../../translation';
import { SsfLinks, SsfLinksProvider, useSsfLinks } from '../common';
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
 * The links of the legacy page, resolved from the legacy route refs
 * (routes.ts) below wherever the app mounted the page.
 */
function LegacySsfLinks(props: { children: ReactNode }) {
  const streams = useRouteRef(legacyTabRouteRefs.streams);
  const providers = useRouteRef(legacyTabRouteRefs.providers);
  const receivedEvents = useRouteRef(legacyTabRouteRefs['received-events']);
  const hooks = useRouteRef(legacyTabRouteRefs.hooks);
  const transmitter = useRouteRef(legacyTabRouteRefs.transmitter);
  const stream = useRouteRef(legacyStreamRouteRef);
  const provider = useRouteRef(legacyProviderRouteRef);
  const links = useMemo((): SsfLinks => {
    const tabs: Record<SsfTabPath, () => string> = {
      streams,
      providers,
      'received-events': receivedEvents,
      hooks,
      transmitter,
    };
    return {
      tab: path => tabs[path](),
      stream: streamId => stream({ streamId }),
      provider: providerId => provider({ providerId }),
    };
  }, [
    streams,
    providers,
    receivedEvents,
    hooks,
    transmitter,
    stream,
    provider,
  ]);
  return <SsfLinksProvider links={links}>{props.children}</SsfLinksProvider>;
}

/**
 * The Shared Signals page for the legacy frontend system, which has no page
 * layout to draw the header and tabs: it draws them itself, with one route
 * per tab below the page's mount path.
 */
export function SsfLegacyPage() {
  return (
    <LegacySsfLinks>
      <LegacyPageContent />
    </LegacySsfLinks>
  );
}

function LegacyPageContent() {
  const { t } = useTranslationRef(ssfTranslationRef);
  const links = useSsfLinks();
  const tabs = useMemo(
    () =>
      SSF_TABS.map(tab => ({
        id: tab.path,
        label: t(tab.titleKey),
        href: links.tab(tab.path),
        matchStrategy: 'prefix' as const,
      })),
    [links, t],
  );
  return (
    <>
      <PluginHeader
        title={t('page.title')}
        icon={<RiBroadcastLine />}
        tabs={tabs}
      />
      <Container py="4">
        <SecurityPostureBanner />
        <Routes>
          <Route index element={<Navigate to={SSF_TABS[0].path} replace />} />
          {SSF_TABS.map(tab => (
            <Route
              key={tab.path}
              path={`${tab.path}/*`}
              element={TAB_CONTENT[tab.path]}
            />
          ))}
        </Routes>
      </Container>
    </>
  );
}
