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
import { Select } from '@backstage/ui';
import { SecurityEventsProvider } from '@shared-signals/plugin-ssf-common';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { FormDialog, useFormState } from '../common';
import { eventTypeSections } from '../StreamsTab/eventTypeOptions';

// The backend refuses more (RelayRuleRequest's maxItems).
const MAX_EVENTS = 64;

/**
 * Replaces the relay rule of a provider with event types chosen among those
 * a rule may name: what the portal's transmitter sends
 * (`ssf.transmitter.eventsSupported`), as the rule itself lists them.
 */
export function ProviderRelayDialog(props: {
  provider: SecurityEventsProvider;
  /** The event types relayed now. */
  eventTypes: string[];
  /** The event types a rule may name (the rule's `relayable_event_types`). */
  relayable: string[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { provider, eventTypes, relayable, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const form = useFormState({
    initial: () => ({ events: eventTypes }),
    validate: (values): { events?: string } =>
      values.events.length > MAX_EVENTS
        ? { events: t('relay.tooMany', { n: String(MAX_EVENTS) }) }
        : {},
    onSubmit: async values => {
      await ssfApi.setProviderRelay(provider.id, {
        event_types: values.events,
      });
      onSaved();
      onClose();
    },
  });
  // Types relayed now that the transmitter no longer sends stay listed, so
  // that they can be seen and removed; saving them gets the backend's 400.
  const sections = eventTypeSections([...relayable, ...eventTypes]);

  return (
    <FormDialog
      title={t('relay.dialogTitle', { name: provider.name })}
      label={t('relay.dialogLabel')}
      width={600}
      form={form}
      submitLabel={t('relay.save')}
      submitErrorTitle={t('relay.saveError')}
      closeLabel={t('common.cancel')}
      onClose={onClose}
    >
      <Select
        name="events"
        label={t('relay.field')}
        description={t('relay.fieldDescription')}
        placeholder={t('relay.placeholder')}
        selectionMode="multiple"
        options={sections}
        value={form.values.events}
        onChange={v => form.set('events', (v as string[]) ?? [])}
      />
    </FormDialog>
  );
}
