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
import {
  Button,
  CellText,
  ColumnConfig,
  Flex,
  Grid,
  Table,
  Text,
} from '@backstage/ui';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { HookFiring, ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  AsyncList,
  Field,
  JsonBlock,
  RowDetail,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';
import { describeChange, subjectLabel } from './hookText';

/** How many firings the card shows; older ones are for the API. */
export const RECENT_FIRINGS = 20;
// Stream IDs listed in the table cell before "and N more"; the rest are in
// the detail of the firing.
const STREAMS_IN_CELL = 3;

function setsSummary(sets: HookFiring['sets']): {
  title: string;
  description?: string;
} {
  const title = `${sets.length} ${sets.length === 1 ? 'SET' : 'SETs'}`;
  if (sets.length === 0) {
    return { title, description: 'no stream requested this event' };
  }
  const streams = [...new Set(sets.map(s => s.stream_id))];
  const shown = streams.slice(0, STREAMS_IN_CELL).join(', ');
  const more = streams.length - STREAMS_IN_CELL;
  return {
    title,
    description: more > 0 ? `${shown} and ${more} more` : shown,
  };
}

const columns: ColumnConfig<HookFiring>[] = [
  {
    id: 'fired',
    label: 'Fired at',
    isRowHeader: true,
    cell: f => <CellText title={formatTime(f.fired_at)} />,
  },
  {
    id: 'identity',
    label: 'Identity',
    cell: f => (
      <CellText title={f.identity} description={subjectLabel(f.subject)} />
    ),
  },
  {
    id: 'change',
    label: 'Change',
    cell: f => <CellText {...describeChange(f.change)} />,
  },
  {
    id: 'hook',
    label: 'Hook',
    cell: f => <CellText title={f.hook_name} />,
  },
  {
    id: 'event',
    label: 'Event type',
    cell: f => <CellText title={eventTypeLabel(f.event_type)} />,
  },
  {
    id: 'sets',
    label: 'SETs',
    cell: f => <CellText {...setsSummary(f.sets)} />,
  },
];

function FiringDetail(props: { firing: HookFiring; onClose: () => void }) {
  const { firing } = props;
  return (
    <RowDetail
      label={`Firing ${firing.id}`}
      title={
        <>
          {firing.hook_name} for {firing.identity}
        </>
      }
      action={
        <Button size="small" variant="tertiary" onPress={props.onClose}>
          Close
        </Button>
      }
    >
      <Grid.Root columns={{ initial: '1', md: '3' }} gap="3">
        <Field label="Observed">{formatTime(firing.observed_at)}</Field>
        <Field label="Observed by">{firing.source}</Field>
        <Field label="Transaction">{firing.txn}</Field>
      </Grid.Root>
      <JsonBlock value={firing.sets} label={`SETs of firing ${firing.id}`} />
    </RowDetail>
  );
}

/**
 * The most recent hook firings. A row opens the SETs it queued, by stream.
 * A new `refreshKey` reloads the list.
 */
export function FiringsCard(props: { refreshKey?: number }) {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const firings = useAsyncRetry(
    () => ssfApi.listHookFirings({ limit: RECENT_FIRINGS }),
    [ssfApi, props.refreshKey],
  );
  const [selected, setSelected] = useState<HookFiring>();

  return (
    <SectionCard
      title={t('hooks.firingsTitle')}
      heading="h3"
      regionLabel={t('hooks.firingsTitle')}
    >
      <Flex direction="column" gap="4">
        <AsyncList
          load={firings}
          items={firings.value?.items}
          loadingLabel={t('hooks.firingsLoading')}
          errorTitle={t('hooks.firingsLoadError')}
          empty={<Text color="secondary">{t('hooks.firingsEmpty')}</Text>}
        >
          {items => (
            <Table
              columnConfig={columns}
              data={items}
              isStale={firings.loading}
              pagination={{ type: 'none' }}
              rowConfig={{ onClick: f => setSelected(f) }}
            />
          )}
        </AsyncList>
        {selected && (
          <FiringDetail
            firing={selected}
            onClose={() => setSelected(undefined)}
          />
        )}
      </Flex>
    </SectionCard>
  );
}
