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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { CellText, ColumnConfig, Flex, Grid, Table } from '@backstage/ui';
import { ReceivedSecurityEvent } from '@shared-signals/plugin-ssf-common';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  AsyncList,
  EmptyState,
  eventTypeLabel,
  formatTime,
  useSsfSignal,
} from '../common';
import { EventFilters } from './EventFilters';
import { EventPanel } from './EventPanel';
import { EventFilterValues, NO_FILTERS, toEventsQuery } from './eventFilters';

const PAGE_SIZE = 25;

/** The Received events tab: SETs providers sent, newest first. */
export function ReceivedEventsTab() {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const providers = useAsync(() => ssfApi.listProviders(), [ssfApi]);
  const [filters, setFilters] = useState<EventFilterValues>(NO_FILTERS);
  // cursors[i] opens page i; page 0 needs none.
  const [cursors, setCursors] = useState<Array<string | undefined>>([
    undefined,
  ]);
  const page = cursors.length - 1;
  // `?event=<id>` opens that event beside the list: how other pages (the
  // Security signals card) link to one received event.
  const [searchParams] = useSearchParams();
  const [selected, setSelected] = useState<string | undefined>(
    () => searchParams.get('event') ?? undefined,
  );
  const events = useAsyncRetry(
    () =>
      ssfApi.listReceivedEvents({
        ...toEventsQuery(filters),
        limit: PAGE_SIZE,
        cursor: cursors[page],
      }),
    [ssfApi, filters, cursors],
  );
  // A SET from the provider the list is filtered on, or from any provider
  // when it is not, may belong in the list. The other filters are left to
  // the backend: reading the page again costs less than matching here.
  useSsfSignal('ssf:received-events', messages => {
    const provider = filters.providerId;
    if (!provider || messages.some(m => m.providerId === provider)) {
      events.retry();
    }
  });

  const providerNames = useMemo(
    () => new Map((providers.value ?? []).map(p => [p.id, p.name])),
    [providers.value],
  );
  const columns: ColumnConfig<ReceivedSecurityEvent>[] = [
    {
      id: 'received',
      label: t('receivedEvents.columns.received'),
      isRowHeader: true,
      cell: e => (
        <CellText title={formatTime(e.received_at)} description={e.jti} />
      ),
    },
    {
      id: 'provider',
      label: t('receivedEvents.columns.provider'),
      cell: e => (
        <CellText
          title={
            e.provider_id
              ? providerNames.get(e.provider_id) ?? e.provider_id
              : t('receivedEvents.deletedProvider')
          }
          description={e.iss}
        />
      ),
    },
    {
      id: 'type',
      label: t('receivedEvents.columns.type'),
      cell: e => <CellText title={eventTypeLabel(e.event_type)} />,
    },
    {
      id: 'subject',
      label: t('receivedEvents.columns.subject'),
      cell: e => (
        <CellText
          title={e.subject?.value ?? '—'}
          description={e.subject?.format}
        />
      ),
    },
  ];
  const filtered = Object.values(filters).some(Boolean);

  return (
    <Flex direction="column" gap="4">
      <EventFilters
        providers={providers.value ?? []}
        onApply={values => {
          setFilters(values);
          setCursors([undefined]);
          setSelected(undefined);
        }}
      />
      <AsyncList
        load={events}
        items={events.value?.items}
        loadingLabel={t('receivedEvents.loading')}
        errorTitle={t('receivedEvents.loadError')}
        empty={
          // A later page can come back empty; only the first says so.
          page === 0 && (
            <EmptyState
              title={
                filtered
                  ? t('receivedEvents.noMatchTitle')
                  : t('receivedEvents.emptyTitle')
              }
              description={
                filtered
                  ? t('receivedEvents.noMatchDescription')
                  : t('receivedEvents.emptyDescription')
              }
            />
          )
        }
      >
        {items => (
          <Grid.Root
            columns={{ initial: '1', lg: selected ? '2' : '1' }}
            gap="4"
          >
            <Table
              columnConfig={columns}
              data={items}
              isStale={events.loading}
              rowConfig={{ onClick: e => setSelected(e.id) }}
              pagination={{
                type: 'page',
                pageSize: PAGE_SIZE,
                pageSizeOptions: [],
                offset: page * PAGE_SIZE,
                hasPreviousPage: page > 0,
                hasNextPage: !!events.value?.next_cursor,
                onPreviousPage: () => setCursors(c => c.slice(0, -1)),
                onNextPage: () =>
                  setCursors(c => [...c, events.value?.next_cursor]),
                getLabel: () =>
                  t('receivedEvents.page', { n: String(page + 1) }),
              }}
            />
            {selected && (
              <EventPanel
                eventId={selected}
                onClose={() => setSelected(undefined)}
              />
            )}
          </Grid.Root>
        )}
      </AsyncList>
    </Flex>
  );
}
