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
import { Select } from '@backstage/ui';
import {
  SUBSCRIBABLE_EVENT_TYPES,
  SecurityEventsProvider,
  SecurityEventsProviderRemoteStream,
} from '@shared-signals/plugin-ssf-common';
import { ssfApiRef } from '../../api';
import { FormDialog, useFormState } from '../common';
import { eventTypeSections } from '../StreamsTab/eventTypeOptions';

// The backend accepts these only (it checks `isSubscribableEventType`), and
// at most 64 of them.
const SECTIONS = eventTypeSections(SUBSCRIBABLE_EVENT_TYPES);
const MAX_EVENTS = 64;

/** Changes the `events_requested` of a provider's stream at its transmitter. */
export function RemoteStreamEventsDialog(props: {
  provider: SecurityEventsProvider;
  eventsRequested: string[];
  onClose: () => void;
  onSaved: (stream: SecurityEventsProviderRemoteStream) => void;
}) {
  const { provider, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const form = useFormState({
    initial: () => ({
      // Types the transmitter named that this portal cannot request would
      // be refused on save; leave them out of the choice.
      events: props.eventsRequested.filter(t =>
        SUBSCRIBABLE_EVENT_TYPES.includes(t),
      ),
    }),
    validate: (values): { events?: string } => {
      if (values.events.length === 0) {
        return { events: 'Choose at least one event type' };
      }
      if (values.events.length > MAX_EVENTS) {
        return { events: `Choose at most ${MAX_EVENTS} event types` };
      }
      return {};
    },
    onSubmit: async values => {
      const stream = await ssfApi.updateProviderRemoteStream(provider.id, {
        events_requested: values.events,
      });
      onSaved(stream);
      onClose();
    },
  });
  return (
    <FormDialog
      title={`Events requested from ${provider.name}`}
      label="Edit events requested"
      width={600}
      form={form}
      submitLabel="Save"
      submitErrorTitle="The transmitter did not change the stream"
      onClose={onClose}
    >
      <Select
        name="events"
        label="Events requested"
        description="The event types this portal asks the provider's transmitter to send."
        placeholder="Choose event types"
        selectionMode="multiple"
        options={SECTIONS}
        value={form.values.events}
        onChange={v => form.set('events', (v as string[]) ?? [])}
      />
    </FormDialog>
  );
}
