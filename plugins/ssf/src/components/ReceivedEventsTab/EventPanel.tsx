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
import { Button, Flex, Text } from '@backstage/ui';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ErrorPanel,
  Field,
  JwsView,
  LoadingState,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';

/** One received event with its decoded SET, beside the list. */
export function EventPanel(props: { eventId: string; onClose: () => void }) {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const event = useAsyncRetry(
    () => ssfApi.getReceivedEvent(props.eventId),
    [ssfApi, props.eventId],
  );
  return (
    <SectionCard
      title={t('receivedEvents.eventTitle', { id: props.eventId })}
      heading="h3"
      regionLabel="Received event"
      actions={
        <Button size="small" variant="tertiary" onPress={props.onClose}>
          {t('common.close')}
        </Button>
      }
    >
      {event.loading && (
        <LoadingState label={t('receivedEvents.eventLoading')} />
      )}
      {event.error && (
        <ErrorPanel
          title={t('receivedEvents.eventLoadError')}
          error={event.error}
          onRetry={event.retry}
        />
      )}
      {event.value && (
        <Flex direction="column" gap="3">
          <Field label="Event types">
            {event.value.event_types.map(eventTypeLabel).join(', ')}
          </Field>
          <Field label="Issuer">{event.value.iss}</Field>
          <Field label="Received">{formatTime(event.value.received_at)}</Field>
          {event.value.handler_error && (
            <Field label="Handler error">
              <Text color="danger">{event.value.handler_error}</Text>
            </Field>
          )}
          <JwsView jws={event.value.set} />
        </Flex>
      )}
    </SectionCard>
  );
}
