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

import { Cell, CellText, ColumnConfig, Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';
import { LifecycleHook } from '../../api';
import { eventTypeLabel } from '../common';
import { TriggerText, subjectFormatLabel } from './hookText';

/** The columns of the hooks table; `actions` renders a row's buttons. */
export function hookColumns(
  actions: (hook: LifecycleHook) => ReactNode,
): ColumnConfig<LifecycleHook>[] {
  return [
    {
      id: 'name',
      label: 'Name',
      isRowHeader: true,
      cell: h => <CellText title={h.name} description={h.description} />,
    },
    {
      id: 'trigger',
      label: 'Fires when',
      cell: h => (
        <Cell>
          <Text variant="body-medium" style={{ overflowWrap: 'anywhere' }}>
            <TriggerText trigger={h.trigger} />
          </Text>
        </Cell>
      ),
    },
    {
      id: 'event',
      label: 'Event',
      cell: h => (
        <CellText
          title={eventTypeLabel(h.event_type)}
          description={`Subject: ${subjectFormatLabel(h.subject_format)}`}
        />
      ),
    },
    {
      // State and origin together: a config hook's state is set in app-config.
      id: 'enabled',
      label: 'State',
      cell: h => (
        <Cell>
          <Text weight="bold" color={h.enabled ? 'success' : 'secondary'}>
            {h.enabled ? 'Enabled' : 'Disabled'}
          </Text>
          <Text as="p" variant="body-small" color="secondary">
            {h.source === 'config'
              ? 'From app-config, read-only'
              : 'Made in the portal'}
          </Text>
        </Cell>
      ),
    },
    {
      id: 'actions',
      label: 'Actions',
      cell: h => (
        <Cell>
          <Flex gap="1">{actions(h)}</Flex>
        </Cell>
      ),
    },
  ];
}
