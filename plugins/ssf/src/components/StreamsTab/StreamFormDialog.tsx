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
  PasswordField,
  Radio,
  RadioGroup,
  Select,
  TextAreaField,
  TextField,
} from '@backstage/ui';
import {
  CreateStreamRequest,
  UpdateStreamRequest,
} from '@shared-signals/plugin-ssf-common';
import { AdminStream, ReceiverProfile, ssfApiRef } from '../../api';
import { ErrorPanel, FormDialog, useFormState } from '../common';
import { CatalogRefFields } from '../common/CatalogRefFields';
import { EVENT_TYPE_SECTIONS, eventTypeSections } from './eventTypeOptions';
import {
  ReceiverProfilesState,
  offeredReceiverProfiles,
  streamProfileId,
} from './receiverProfiles';
import {
  StreamFormValues,
  defaultOktaClientId,
  initialProfileEvents,
  initialStreamFormValues,
  oktaEndpointUrl,
  placeStreamFormErrors,
  schemaErrors,
  streamFormFields,
  streamFormLayout,
  toCreateStreamRequest,
  toUpdateStreamRequest,
  validateStreamForm,
} from './streamForm';
import { useAllowInsecureUrls } from './useAllowInsecureUrls';

/** What a profile asks of the transmitter, after what it is for. */
function profileDescription(
  profile: ReceiverProfile | undefined,
  state: ReceiverProfilesState | undefined,
): string {
  if (state?.error) {
    return `The receiver profiles could not be loaded (${state.error.message}); only SSF 1.0 receivers can be chosen.`;
  }
  if (!profile) {
    return 'How the SETs are shaped for the receiver.';
  }
  return [
    profile.description,
    profile.signing_algorithms &&
      `Needs SETs signed with ${profile.signing_algorithms.join(' or ')}.`,
  ]
    .filter(Boolean)
    .join(' ');
}

/**
 * Creates a stream, or edits `stream` when given. Checks the fields the way
 * the backend does before sending, and shows the backend's refusal in the
 * dialog when it still says no.
 *
 * Creating, the admin picks a receiver profile first: SSF 1.0 (the default)
 * keeps the plain form; Okta needs only the org URL, from which the push
 * endpoint is derived; another profile gets the plain form, its own events.
 */
export function StreamFormDialog(props: {
  stream?: AdminStream;
  /** The receiver profiles the transmitter offers, for the create form. */
  profiles?: ReceiverProfilesState;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { stream, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const allowInsecureUrls = useAllowInsecureUrls();
  const mode = stream ? 'edit' : 'create';
  const listed = props.profiles?.profiles;
  const offered = offeredReceiverProfiles(listed);
  const profileOf = (id: string) => listed?.find(p => p.id === id);
  const toRequest = (values: StreamFormValues) =>
    stream
      ? toUpdateStreamRequest(stream, values)
      : toCreateStreamRequest(values);
  // A stream being edited keeps the event types it has; one with a profile
  // may also choose among the types that profile supports.
  const streamProfile = stream ? streamProfileId(stream) : undefined;
  const knownEvents = stream
    ? [
        ...stream.events_requested,
        ...(streamProfile !== 'ssf' ? stream.events_supported : []),
      ]
    : undefined;
  const form = useFormState({
    initial: () => initialStreamFormValues(stream),
    // The schema only adds what the field checks missed: where both object,
    // the field check's message, written for this form, wins. What belongs
    // to no field on show is said below the fields.
    validate: values => {
      const layout = stream ? 'ssf' : streamFormLayout(values.profile);
      return placeStreamFormErrors(
        {
          ...schemaErrors(toRequest(values), mode, layout),
          ...validateStreamForm(values, {
            mode,
            allowInsecureUrls,
            profile: profileOf(values.profile),
            knownEvents,
          }),
        },
        streamFormFields(values, mode),
      );
    },
    onSubmit: async values => {
      const request = toRequest(values);
      if (stream) {
        await ssfApi.updateStream(request as UpdateStreamRequest);
      } else {
        await ssfApi.createStream(request as CreateStreamRequest);
      }
      onSaved();
      onClose();
    },
  });
  const { values, set, bind } = form;
  const layout = stream ? 'ssf' : streamFormLayout(values.profile);
  const profile = profileOf(values.profile);
  const chooseProfile = (id: string) => {
    const chosen = offered.find(p => p.id === id) ?? { id };
    set('profile', chosen.id);
    set('events', initialProfileEvents(chosen));
  };

  let eventOptions = EVENT_TYPE_SECTIONS;
  let eventsDescription = 'The CAEP and RISC event types the receiver wants.';
  if (layout === 'okta') {
    eventOptions = eventTypeSections(profile?.events_supported ?? []);
    eventsDescription =
      'What the Okta org ingests: all of them unless you narrow the choice.';
  } else if (layout === 'generic') {
    eventOptions = eventTypeSections(profile?.events_supported ?? []);
    eventsDescription =
      "The event types this profile supports. Leave empty for the profile's default.";
  } else if (stream && streamProfile !== 'ssf') {
    eventOptions = eventTypeSections(knownEvents ?? []);
    eventsDescription = "The event types this stream's profile supports.";
  }
  // Okta receives SETs only by push; its streams cannot be switched to poll.
  const pushOnly = streamProfile === 'okta';
  const endpoint = oktaEndpointUrl(values.orgUrl);

  // `form` is no field's name: it is shown on its own, below the fields.
  const { form: formError, ...fieldErrors } = form.errors;
  return (
    <FormDialog
      title={stream ? `Edit stream ${stream.stream_id}` : 'Create stream'}
      label={stream ? 'Edit stream' : 'Create stream'}
      width={640}
      form={{ ...form, errors: fieldErrors }}
      submitLabel={stream ? 'Save' : 'Create'}
      submitErrorTitle={
        stream
          ? 'The stream could not be saved'
          : 'The stream could not be created'
      }
      onClose={onClose}
    >
      {mode === 'create' && (
        <Select
          name="profile"
          label="Receiver profile"
          description={profileDescription(profile, props.profiles)}
          options={offered.map(p => ({
            id: p.id,
            label: p.title,
            ...('description' in p &&
              p.description && { description: p.description }),
          }))}
          value={values.profile}
          onChange={v => v && chooseProfile(String(v))}
        />
      )}
      {layout === 'okta' && (
        <>
          <TextField
            name="orgUrl"
            label="Okta org URL"
            type="url"
            isRequired
            placeholder="https://acme.okta.com"
            description={
              endpoint
                ? `SETs are pushed to ${endpoint}, addressed to the org URL.`
                : 'The Okta org that added this portal as a Security Events Provider.'
            }
            {...bind('orgUrl')}
          />
          <TextField
            name="clientId"
            label="Client ID"
            placeholder={
              defaultOktaClientId(values.orgUrl) ?? 'okta:acme.okta.com'
            }
            description="Names the stream; one stream per Okta org. Leave empty for okta: and the org's host name."
            {...bind('clientId')}
          />
        </>
      )}
      {layout !== 'okta' && mode === 'create' && (
        <TextField
          name="clientId"
          label="Client ID"
          description="The OAuth client ID of the receiver that owns the stream. Leave empty to own it yourself."
          {...bind('clientId')}
        />
      )}
      {mode === 'edit' && (
        <TextField
          name="clientId"
          label="Client ID"
          value={values.clientId}
          isReadOnly
        />
      )}
      <TextAreaField
        name="description"
        label="Description"
        description="Up to 1024 characters."
        {...bind('description')}
      />
      {layout !== 'okta' && (
        <>
          <RadioGroup
            name="method"
            label="Delivery method"
            value={values.method}
            onChange={v => set('method', v as StreamFormValues['method'])}
          >
            <Radio value="push">
              Push: the transmitter POSTs each event to the receiver
            </Radio>
            <Radio value="poll" isDisabled={pushOnly}>
              Poll: the receiver fetches events from the transmitter
            </Radio>
          </RadioGroup>
          {values.method === 'push' && (
            <>
              <TextField
                name="endpointUrl"
                label="Endpoint URL"
                type="url"
                isRequired
                placeholder="https://receiver.example.com/events"
                {...bind('endpointUrl')}
              />
              <PasswordField
                name="authorizationHeader"
                label="Authorization header"
                description={
                  stream
                    ? 'Never shown once saved. Leave empty to keep the current one; a changed method or URL without a header removes it.'
                    : 'Sent with every push, e.g. "Bearer abc…". Never shown once saved.'
                }
                {...bind('authorizationHeader')}
              />
            </>
          )}
        </>
      )}
      <Select
        name="events"
        label="Events requested"
        description={eventsDescription}
        placeholder="Choose event types"
        selectionMode="multiple"
        options={eventOptions}
        value={values.events}
        onChange={v => set('events', (v as string[]) ?? [])}
      />
      <CatalogRefFields bind={bind} what="stream" />
      {formError && (
        <ErrorPanel
          title="The stream is not valid"
          error={new Error(formError)}
        />
      )}
    </FormDialog>
  );
}
