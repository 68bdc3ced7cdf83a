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
import { Select, TextField } from '@backstage/ui';
import {
  CAEP_EVENT_TYPES,
  OKTA_EVENT_TYPES,
  RISC_EVENT_TYPES,
  SecurityEventsProvider,
} from '@shared-signals/plugin-ssf-common';
import useAsync from 'react-use/esm/useAsync';
import { ssfApiRef } from '../../api';
import { eventTypeSections } from '../StreamsTab/eventTypeOptions';

/** The fields of a received event, by the names the forms give them. */
interface ReceivedEventValues {
  /** The received event type URI. */
  receivedEventType: string;
  /** The provider's ID; empty for any provider. */
  receivedProvider: string;
}

// The types offered to pick from; any other absolute URI may be typed.
const KNOWN_TYPES: readonly string[] = [
  ...Object.values(CAEP_EVENT_TYPES),
  ...Object.values(RISC_EVENT_TYPES),
  ...Object.values(OKTA_EVENT_TYPES),
];
const KNOWN_TYPE_SECTIONS = eventTypeSections(KNOWN_TYPES);

// The select's key for "no provider": no provider ID has a `*`.
const ANY_PROVIDER = '*';

/** The provider options: any provider, those listed, and the one held. */
function providerOptions(
  providers: SecurityEventsProvider[] | undefined,
  held: string,
  anyLabel: string,
) {
  const options = [
    { id: ANY_PROVIDER, label: anyLabel },
    ...(providers ?? []).map(p => ({
      id: p.id,
      label: p.name,
      description: p.id,
    })),
  ];
  // A hook may name a provider since deleted, or one not visible here.
  if (held && !providers?.some(p => p.id === held)) {
    options.push({ id: held, label: held, description: 'Not listed' });
  }
  return options;
}

/**
 * The event type and provider of a received event, for the hook form's
 * trigger and the dry run's sample: a free event type URI, with the CAEP,
 * RISC and Okta types to pick from, and a provider from the providers list.
 */
export function ReceivedEventFields(props: {
  bind: <K extends keyof ReceivedEventValues>(
    key: K,
  ) => { value: string; onChange: (value: string) => void };
  /** What "no provider" means here, e.g. "Any provider". */
  anyProviderLabel: string;
  providerDescription: string;
}) {
  const ssfApi = useApi(ssfApiRef);
  const providers = useAsync(() => ssfApi.listProviders(), [ssfApi]);
  const eventType = props.bind('receivedEventType');
  const provider = props.bind('receivedProvider');
  const known = KNOWN_TYPES.includes(eventType.value.trim());
  return (
    <>
      <TextField
        name="receivedEventType"
        label="Received event type"
        type="url"
        isRequired
        description="The event type URI of the received SET: any absolute URI, as providers may send types of their own, or pick a known one below."
        placeholder={RISC_EVENT_TYPES.accountDisabled}
        {...eventType}
      />
      <Select
        name="knownReceivedEventType"
        label="Known event types"
        placeholder="Pick a CAEP, RISC or Okta event type"
        options={KNOWN_TYPE_SECTIONS}
        value={known ? eventType.value.trim() : null}
        onChange={v => v && eventType.onChange(String(v))}
      />
      <Select
        name="receivedProvider"
        label="Provider"
        description={
          providers.error
            ? `The providers could not be loaded (${providers.error.message}).`
            : props.providerDescription
        }
        options={providerOptions(
          providers.value,
          provider.value,
          props.anyProviderLabel,
        )}
        value={provider.value || ANY_PROVIDER}
        onChange={v =>
          provider.onChange(!v || v === ANY_PROVIDER ? '' : String(v))
        }
      />
    </>
  );
}
