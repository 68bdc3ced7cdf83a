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
import { SsfT } from '../../translation';
import { formatTime } from '../common';

/** What a provider's remote stream line says under its status. */
function remoteStreamNote(p: SecurityEventsProvider, t: SsfT) {
  const remote = p.remote_stream;
  if (remote?.reason || remote?.last_poll_error) {
    return remote.reason ?? remote.last_poll_error;
  }
  return remote?.last_verified_at
    ? t('providers.verifiedAt', { time: formatTime(remote.last_verified_at) })
    : undefined;
}

/**
 * The columns of the providers table; `actions` renders a row's buttons.
 *
 * Sized to stay readable from about 1000 px of table (a 1280 px window
 * beside the sidebar) down: the buttons get the room they need and wrap
 * rather than clip, and the text columns share the rest, each value cut
 * short with an ellipsis and shown whole on hover (CellText's title). The
 * last verification is the remote stream's second line rather than a column
 * of its own; the provider's page shows everything.
 */
export function providerColumns(
  t: SsfT,
  actions: (p: SecurityEventsProvider) => ReactNode,
): ColumnConfig<SecurityEventsProvider>[] {
  return [
    {
      id: 'name',
      label: t('providers.columns.name'),
      isRowHeader: true,
      width: '2fr',
      minWidth: 140,
      cell: p => <CellText title={p.name} description={p.id} />,
    },
    {
      id: 'issuer',
      label: t('providers.columns.issuer'),
      width: '3fr',
      minWidth: 180,
      cell: p => (
        <CellText
          title={p.settings.issuer}
          description={
            p.settings.well_known_url
              ? t('providers.viaWellKnown', { url: p.settings.well_known_url })
              : t('providers.keysAt', { url: p.settings.jwks_url })
          }
        />
      ),
    },
    {
      id: 'status',
      label: t('providers.columns.status'),
      width: 104,
      cell: p => (
        <Cell>
          <Text
            weight="bold"
            color={p.status === 'ACTIVE' ? 'success' : 'secondary'}
          >
            {p.status === 'ACTIVE'
              ? t('providers.active')
              : t('providers.inactive')}
          </Text>
        </Cell>
      ),
    },
    {
      id: 'remote',
      label: t('providers.columns.remoteStream'),
      width: '1.5fr',
      minWidth: 140,
      cell: p => (
        <CellText
          title={p.remote_stream?.status ?? '—'}
          description={remoteStreamNote(p, t)}
        />
      ),
    },
    {
      id: 'actions',
      label: t('providers.columns.actions'),
      // Edit, Deactivate and Delete side by side, with the cell's padding.
      width: 264,
      cell: p => (
        <Cell>
          <Flex gap="1" style={{ flexWrap: 'wrap' }}>
            {actions(p)}
          </Flex>
        </Cell>
      ),
    },
  ];
}
