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

import { useApi } from '@backstage/core-plugin-api';
import {
  CellText,
  ColumnConfig,
  Flex,
  Select,
  Table,
  Text,
  useTable,
} from '@backstage/ui';
import { ssfStreamManagePermission } from '@shared-signals/plugin-ssf-common';
import { useState } from 'react';
import { SetState, StreamSet, ssfApiRef } from '../../api';
import {
  ErrorPanel,
  JwsView,
  PermissionButton,
  RowDetail,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';

type SetRow = StreamSet & { id: string };
type StateFilter = Exclude<SetState, 'held'> | 'all';

const STATE_OPTIONS = [
  { id: 'all', label: 'All states' },
  { id: 'pending', label: 'Pending or held' },
  { id: 'delivered', label: 'Delivered' },
  { id: 'dead', label: 'Dead-lettered' },
  { id: 'dropped', label: 'Dropped' },
];

const columns: ColumnConfig<SetRow>[] = [
  {
    id: 'event',
    label: 'Event',
    isRowHeader: true,
    cell: s => (
      <CellText title={eventTypeLabel(s.event_type)} description={s.jti} />
    ),
  },
  { id: 'state', label: 'State', cell: s => <CellText title={s.state} /> },
  {
    id: 'attempts',
    label: 'Attempts',
    cell: s => <CellText title={String(s.attempts)} />,
  },
  {
    id: 'created',
    label: 'Created',
    cell: s => (
      <CellText
        title={formatTime(s.created_at)}
        description={
          s.delivered_at ? `delivered ${formatTime(s.delivered_at)}` : undefined
        }
      />
    ),
  },
  {
    id: 'error',
    label: 'Last error',
    cell: s => <CellText title={s.last_error ?? '—'} />,
  },
];

/** The stream's recent SETs, filterable by state, with one SET decoded. */
export function StreamSetsCard(props: {
  streamId: string;
  onRedelivered: (count: number) => void;
}) {
  const { streamId, onRedelivered } = props;
  const ssfApi = useApi(ssfApiRef);
  const [selected, setSelected] = useState<StreamSet>();
  const [redeliverError, setRedeliverError] = useState<Error>();
  const { tableProps, filter, reload } = useTable<SetRow, StateFilter>({
    mode: 'offset',
    initialFilter: 'all',
    paginationOptions: { pageSize: 10, pageSizeOptions: [10, 25, 50] },
    getData: async ({ offset, pageSize, filter: state }) => {
      const page = await ssfApi.listStreamSets(streamId, {
        state: state && state !== 'all' ? state : undefined,
        limit: pageSize,
        offset,
      });
      return {
        data: page.items.map(s => ({ ...s, id: s.jti })),
        totalCount: page.total,
      };
    },
  });

  const redeliverOne = async (set: StreamSet) => {
    setRedeliverError(undefined);
    try {
      const { redelivered } = await ssfApi.redeliverStreamSets(
        streamId,
        set.jti,
      );
      onRedelivered(redelivered);
      setSelected(undefined);
      reload();
    } catch (e) {
      setRedeliverError(e as Error);
    }
  };

  return (
    <SectionCard
      title="Recent SETs"
      heading="h3"
      actions={
        <Select
          aria-label="Filter SETs by state"
          options={STATE_OPTIONS}
          value={filter.value ?? 'all'}
          onChange={v => filter.onChange((v as StateFilter) ?? 'all')}
        />
      }
    >
      <Flex direction="column" gap="4">
        {tableProps.error ? (
          <ErrorPanel
            title="Could not load the stream's SETs"
            error={tableProps.error}
            onRetry={reload}
          />
        ) : (
          <Table
            {...tableProps}
            columnConfig={columns}
            rowConfig={{ onClick: s => setSelected(s) }}
            emptyState={
              <Text>
                No SETs match. Events appear here once the transmitter emits one
                for this stream; send a verification to create one now.
              </Text>
            }
          />
        )}
        {selected && (
          <RowDetail
            label={`SET ${selected.jti}`}
            title={<>SET {selected.jti}</>}
            action={
              selected.state === 'dead' && (
                <PermissionButton
                  permission={ssfStreamManagePermission}
                  purpose="to redeliver SETs"
                  size="small"
                  variant="secondary"
                  onPress={() => redeliverOne(selected)}
                >
                  Redeliver this SET
                </PermissionButton>
              )
            }
          >
            {redeliverError && (
              <ErrorPanel
                title="The SET could not be redelivered"
                error={redeliverError}
              />
            )}
            <JwsView jws={selected.set} />
          </RowDetail>
        )}
      </Flex>
    </SectionCard>
  );
}
