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
import { SecurityEventsProvider } from '@shared-signals/plugin-ssf-common';
import { ReactNode } from 'react';
import { formatTime } from '../common';

/** The columns of the providers table; `actions` renders a row's buttons. */
export function providerColumns(
  actions: (p: SecurityEventsProvider) => ReactNode,
): ColumnConfig<SecurityEventsProvider>[] {
  return [
    {
      id: 'name',
      label: 'Name',
      isRowHeader: true,
      cell: p => <CellText title={p.name} description={p.id} />,
    },
    {
      id: 'issuer',
      label: 'Issuer',
      cell: p => (
        <CellText
          title={p.settings.issuer}
          description={
            p.settings.well_known_url
              ? `via ${p.settings.well_known_url}`
              : `keys at ${p.settings.jwks_url}`
          }
        />
      ),
    },
    {
      id: 'status',
      label: 'Status',
      cell: p => (
        <Cell>
          <Text
            weight="bold"
            color={p.status === 'ACTIVE' ? 'success' : 'secondary'}
          >
            {p.status === 'ACTIVE' ? 'Active' : 'Inactive'}
          </Text>
        </Cell>
      ),
    },
    {
      id: 'remote',
      label: 'Remote stream',
      cell: p => (
        <CellText
          title={p.remote_stream?.status ?? '—'}
          description={
            p.remote_stream?.reason ?? p.remote_stream?.last_poll_error
          }
        />
      ),
    },
    {
      id: 'verified',
      label: 'Last verification',
      cell: p => (
        <CellText title={formatTime(p.remote_stream?.last_verified_at)} />
      ),
    },
    {
      id: 'actions',
      label: 'Actions',
      cell: p => (
        <Cell>
          <Flex gap="1">{actions(p)}</Flex>
        </Cell>
      ),
    },
  ];
}
