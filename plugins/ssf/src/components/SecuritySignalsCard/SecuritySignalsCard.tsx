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

import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { CellText, ColumnConfig, Flex, Table, Text } from '@backstage/ui';
import { ReactNode } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  PersonIdentity,
  PersonReceivedEvent,
  PersonSentEvent,
  SsfRequestError,
  ssfApiRef,
} from '../../api';
import { SsfT, ssfTranslationRef } from '../../translation';
import { ErrorPanel } from '../common/ErrorPanel';
import { LoadingState } from '../common/LoadingState';
import { SectionCard } from '../common/SectionCard';
import { eventTypeLabel } from '../common/eventTypeLabel';
import { formatTime } from '../common/formatTime';
import { LegacySignalLinks, useSignalLinks } from './signalLinks';

// As many received and as many sent events as a card has room for.
const LIMIT = 20;

function identityText(identity: PersonIdentity): string {
  return identity.format === 'email'
    ? identity.email
    : `iss_sub ${identity.sub} (${identity.iss})`;
}

/**
 * The "Security signals" card of a user's entity page: the recent security
 * events received about the user and sent about them.
 */
export function SecuritySignalsCard() {
  const { entity } = useEntity();
  return <SecuritySignals entityRef={stringifyEntityRef(entity)} />;
}

/** The security signals about the user `entityRef` (`user:…`). */
export function SecuritySignals(props: { entityRef: string }) {
  const { entityRef } = props;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const signals = useAsyncRetry(
    () => ssfApi.getPersonSignals(entityRef, LIMIT),
    [ssfApi, entityRef],
  );
  const value = signals.value;

  let content;
  if (signals.error) {
    // A user who may read neither providers nor streams: not an error to
    // retry, only something they cannot see.
    content =
      signals.error instanceof SsfRequestError &&
      signals.error.statusCode === 403 ? (
        <Text as="p" color="secondary">
          {t('securitySignals.forbidden')}
        </Text>
      ) : (
        <ErrorPanel
          title={t('securitySignals.loadError')}
          error={signals.error}
          onRetry={signals.retry}
        />
      );
  } else if (!value) {
    content = <LoadingState label={t('securitySignals.loading')} />;
  } else if (!value.received?.length && !value.sent?.length) {
    content = (
      <Flex direction="column" gap="1">
        <Text as="p" weight="bold">
          {t('securitySignals.emptyTitle')}
        </Text>
        <Text as="p" color="secondary">
          {t('securitySignals.emptyDescription')}
        </Text>
      </Flex>
    );
  } else {
    content = (
      <>
        {value.received && <ReceivedList events={value.received} t={t} />}
        {value.sent && <SentList events={value.sent} t={t} />}
      </>
    );
  }

  return (
    <SectionCard title={t('securitySignals.title')} heading="h2">
      <Flex direction="column" gap="4">
        {content}
        {value && value.identities.length > 0 && (
          <Text as="p" variant="body-small" color="secondary">
            {t('securitySignals.matchedBy', {
              identities: value.identities.map(identityText).join(', '),
            })}
          </Text>
        )}
      </Flex>
    </SectionCard>
  );
}

function ReceivedList(props: { events: PersonReceivedEvent[]; t: SsfT }) {
  const { events, t } = props;
  const links = useSignalLinks();
  const columns: ColumnConfig<PersonReceivedEvent>[] = [
    {
      id: 'time',
      label: t('securitySignals.columns.time'),
      isRowHeader: true,
      cell: e => (
        <CellText
          title={formatTime(e.received_at)}
          href={links.receivedEvent(e.id)}
        />
      ),
    },
    {
      id: 'provider',
      label: t('securitySignals.columns.provider'),
      cell: e => (
        <CellText
          title={e.provider_name ?? e.provider_id ?? e.iss}
          description={e.iss}
        />
      ),
    },
    {
      id: 'type',
      label: t('securitySignals.columns.type'),
      cell: e => <CellText title={eventTypeLabel(e.event_type)} />,
    },
    {
      id: 'reason',
      label: t('securitySignals.columns.reason'),
      cell: e => <CellText title={e.reason ?? '—'} />,
    },
  ];
  return (
    <SignalList
      title={t('securitySignals.received')}
      empty={t('securitySignals.noneReceived')}
    >
      {events.length > 0 && (
        <Table
          columnConfig={columns}
          data={events}
          pagination={{ type: 'none' }}
        />
      )}
    </SignalList>
  );
}

function SentList(props: { events: PersonSentEvent[]; t: SsfT }) {
  const { events, t } = props;
  const links = useSignalLinks();
  // Table rows are keyed by `id`; a sent event is one SET (its jti).
  const rows = events.map(e => ({ ...e, id: e.jti }));
  const columns: ColumnConfig<(typeof rows)[number]>[] = [
    {
      id: 'time',
      label: t('securitySignals.columns.time'),
      isRowHeader: true,
      cell: e => <CellText title={formatTime(e.created_at)} />,
    },
    {
      id: 'stream',
      label: t('securitySignals.columns.stream'),
      cell: e => (
        <CellText
          title={e.stream_description || e.stream_id}
          href={links.stream(e.stream_id)}
        />
      ),
    },
    {
      id: 'type',
      label: t('securitySignals.columns.type'),
      cell: e => <CellText title={eventTypeLabel(e.event_type)} />,
    },
    {
      id: 'reason',
      label: t('securitySignals.columns.reason'),
      cell: e => <CellText title={e.reason ?? '—'} />,
    },
    {
      id: 'state',
      label: t('securitySignals.columns.state'),
      cell: e => <CellText title={t(`securitySignals.states.${e.state}`)} />,
    },
  ];
  return (
    <SignalList
      title={t('securitySignals.sent')}
      empty={t('securitySignals.noneSent')}
    >
      {rows.length > 0 && (
        <Table
          columnConfig={columns}
          data={rows}
          pagination={{ type: 'none' }}
        />
      )}
    </SignalList>
  );
}

function SignalList(props: {
  title: string;
  empty: string;
  children: ReactNode;
}) {
  return (
    <section aria-label={props.title}>
      <Flex direction="column" gap="2">
        <Text as="h3" variant="title-x-small" weight="bold">
          {props.title}
        </Text>
        {props.children || (
          <Text as="p" color="secondary">
            {props.empty}
          </Text>
        )}
      </Flex>
    </section>
  );
}

/**
 * The card for the legacy frontend system, with links resolved from the
 * legacy page's route refs.
 */
export function LegacySecuritySignalsCard() {
  return (
    <LegacySignalLinks>
      <SecuritySignalsCard />
    </LegacySignalLinks>
  );
}
