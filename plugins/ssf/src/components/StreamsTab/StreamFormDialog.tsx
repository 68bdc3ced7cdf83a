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
import { AdminStream, ssfApiRef } from '../../api';
import { ErrorPanel, FormDialog, useFormState } from '../common';
import { EVENT_TYPE_SECTIONS } from './eventTypeOptions';
import {
  StreamFormValues,
  initialStreamFormValues,
  schemaErrors,
  toCreateStreamRequest,
  toUpdateStreamRequest,
  validateStreamForm,
} from './streamForm';
import { useAllowInsecureUrls } from './useAllowInsecureUrls';

/**
 * Creates a stream, or edits `stream` when given. Checks the fields the way
 * the backend does before sending, and shows the backend's refusal in the
 * dialog when it still says no.
 */
export function StreamFormDialog(props: {
  stream?: AdminStream;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { stream, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const allowInsecureUrls = useAllowInsecureUrls();
  const mode = stream ? 'edit' : 'create';
  const toRequest = (values: StreamFormValues) =>
    stream
      ? toUpdateStreamRequest(stream, values)
      : toCreateStreamRequest(values);
  const form = useFormState({
    initial: () => initialStreamFormValues(stream),
    // The schema only adds what the field checks missed: where both object,
    // the field check's message, written for this form, wins.
    validate: values => ({
      ...schemaErrors(toRequest(values), mode),
      ...validateStreamForm(values, { mode, allowInsecureUrls }),
    }),
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
      {mode === 'create' ? (
        <TextField
          name="clientId"
          label="Client ID"
          description="The OAuth client ID of the receiver that owns the stream. Leave empty to own it yourself."
          {...bind('clientId')}
        />
      ) : (
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
      <RadioGroup
        name="method"
        label="Delivery method"
        value={values.method}
        onChange={v => set('method', v as StreamFormValues['method'])}
      >
        <Radio value="push">
          Push: the transmitter POSTs each event to the receiver
        </Radio>
        <Radio value="poll">
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
      <Select
        name="events"
        label="Events requested"
        description="The CAEP and RISC event types the receiver wants."
        placeholder="Choose event types"
        selectionMode="multiple"
        options={EVENT_TYPE_SECTIONS}
        value={values.events}
        onChange={v => set('events', (v as string[]) ?? [])}
      />
      {formError && (
        <ErrorPanel
          title="The stream is not valid"
          error={new Error(formError)}
        />
      )}
    </FormDialog>
  );
}
