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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Grid } from '@backstage/ui';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import { AdminStream, ReceiverProfile } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  EntityRefLink,
  Field,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';
import { receiverProfileTitle, streamProfileId } from './receiverProfiles';
import { StatusText } from './StatusText';

/** Methods by URN, in words. */
export function deliveryMethodLabel(method: string): string {
  if (method === DELIVERY_METHODS.push) return 'Push';
  if (method === DELIVERY_METHODS.poll) return 'Poll';
  return method;
}

/** Everything the transmitter knows about one stream. */
export function StreamDetails(props: {
  stream: AdminStream;
  profiles?: ReceiverProfile[];
}) {
  const { stream: s, profiles } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <SectionCard title={t('streamDetail.configuration')} heading="h3">
      <Grid.Root columns={{ initial: '1', md: '3' }} gap="4">
        <Field label="Stream ID">{s.stream_id}</Field>
        <Field label="Client ID">{s.client_id}</Field>
        <Field label="Status">
          <StatusText status={s.status} />
          {s.reason ? ` — ${s.reason}` : ''}
        </Field>
        <Field label="Receiver profile">
          {receiverProfileTitle(streamProfileId(s), profiles)}
        </Field>
        <Field label="Description">{s.description || '—'}</Field>
        <Field label="Owner">
          <EntityRefLink entityRef={s.owner} />
        </Field>
        <Field label="Consuming component">
          <EntityRefLink entityRef={s.consumer} />
        </Field>
        <Field label="Delivery">
          {deliveryMethodLabel(s.delivery.method)} · {s.delivery.endpoint_url}
        </Field>
        <Field label="Audience">{[s.aud].flat().join(', ')}</Field>
        <Field label="Events requested">
          {s.events_requested.map(eventTypeLabel).join(', ') || 'none'}
        </Field>
        <Field label="Events delivered">
          {s.events_delivered.map(eventTypeLabel).join(', ') || 'none'}
        </Field>
        <Field label="Minimum verification interval">
          {s.min_verification_interval} s
        </Field>
        <Field label="SETs pending / held">
          {s.stats.pending} / {s.stats.held}
        </Field>
        <Field label="SETs delivered">{s.stats.delivered}</Field>
        <Field label="SETs dead-lettered / dropped">
          {s.stats.dead} / {s.stats.dropped}
        </Field>
        <Field label="Last delivered">{formatTime(s.last_delivered_at)}</Field>
        <Field label="Last error">
          {s.last_error
            ? `${s.last_error.message} (${formatTime(s.last_error.at)})`
            : '—'}
        </Field>
        <Field label="Created / updated">
          {formatTime(s.created_at)} / {formatTime(s.updated_at)}
        </Field>
      </Grid.Root>
    </SectionCard>
  );
}
