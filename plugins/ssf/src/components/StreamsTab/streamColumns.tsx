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

import { Cell, CellText, ColumnConfig } from '@backstage/ui';
import { AdminStream } from '../../api';
import { SsfT } from '../../translation';
import { eventTypeLabel, formatTime } from '../common';
import { deliveryMethodLabel } from './StreamDetails';
import { StatusText } from './StatusText';

/** A table row: the stream, keyed by its ID, with its profile's title. */
export type StreamRow = AdminStream & { id: string; profileTitle: string };

/** The columns of the streams table. */
export function streamColumns(t: SsfT): ColumnConfig<StreamRow>[] {
  return [
    {
      id: 'client',
      label: t('streams.columns.client'),
      isRowHeader: true,
      cell: s => <CellText title={s.client_id} description={s.stream_id} />,
    },
    {
      id: 'description',
      label: t('streams.columns.description'),
      cell: s => <CellText title={s.description || '—'} />,
    },
    {
      id: 'delivery',
      label: t('streams.columns.delivery'),
      cell: s => (
        <CellText
          title={deliveryMethodLabel(s.delivery.method)}
          description={s.delivery.endpoint_url}
        />
      ),
    },
    {
      id: 'profile',
      label: t('streams.columns.profile'),
      cell: s => <CellText title={s.profileTitle} />,
    },
    {
      id: 'status',
      label: t('streams.columns.status'),
      cell: s => (
        <Cell>
          <StatusText status={s.status} />
          {s.reason && <div>{s.reason}</div>}
        </Cell>
      ),
    },
    {
      id: 'events',
      label: t('streams.columns.events'),
      cell: s => (
        <CellText
          title={t('streams.eventTypeCount', {
            n: String(s.events_delivered.length),
          })}
          description={s.events_delivered.map(eventTypeLabel).join(', ')}
        />
      ),
    },
    {
      id: 'sets',
      label: t('streams.columns.sets'),
      cell: s => (
        <CellText
          title={`${s.stats.pending} / ${s.stats.delivered} / ${s.stats.dead}`}
          description={
            s.stats.held > 0
              ? t('streams.heldWhilePaused', { n: String(s.stats.held) })
              : undefined
          }
        />
      ),
    },
    {
      id: 'lastError',
      label: t('streams.columns.lastError'),
      cell: s => (
        <CellText
          title={s.last_error?.message ?? '—'}
          description={s.last_error ? formatTime(s.last_error.at) : undefined}
          color={s.last_error ? 'primary' : 'secondary'}
        />
      ),
    },
  ];
}
