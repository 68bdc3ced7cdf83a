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
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
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
import { FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { AdminStream, ssfApiRef } from '../../api';
import { ErrorPanel } from '../common';
import { EVENT_TYPE_SECTIONS } from './eventTypeOptions';
import {
  StreamFormErrors,
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
  const [values, setValues] = useState<StreamFormValues>(() =>
    initialStreamFormValues(stream),
  );
  const [errors, setErrors] = useState<StreamFormErrors>({});
  const [pending, setPending] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();

  const set = <K extends keyof StreamFormValues>(
    key: K,
    value: StreamFormValues[K],
  ) => {
    setValues(v => ({ ...v, [key]: value }));
    setErrors(({ [key]: _removed, ...rest }) => rest);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitError(undefined);
    const fieldErrors = validateStreamForm(values, {
      mode,
      allowInsecureUrls,
    });
    const request = stream
      ? toUpdateStreamRequest(stream, values)
      : toCreateStreamRequest(values);
    const found = {
      ...schemaErrors(request, mode),
      ...fieldErrors,
    };
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setPending(true);
    try {
      if (stream) {
        await ssfApi.updateStream(request as UpdateStreamRequest);
      } else {
        await ssfApi.createStream(request as CreateStreamRequest);
      }
      onSaved();
      onClose();
    } catch (e) {
      setSubmitError(e as Error);
    } finally {
      setPending(false);
    }
  };

  const { form: formError, ...fieldErrors } = errors;
  return (
    <Dialog isOpen onOpenChange={open => !open && onClose()} width={640}>
      <DialogHeader>
        {stream ? `Edit stream ${stream.stream_id}` : 'Create stream'}
      </DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={fieldErrors}
        onSubmit={submit}
        aria-label={stream ? 'Edit stream' : 'Create stream'}
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            {mode === 'create' ? (
              <TextField
                name="clientId"
                label="Client ID"
                description="The OAuth client ID of the receiver that owns the stream. Leave empty to own it yourself."
                value={values.clientId}
                onChange={v => set('clientId', v)}
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
              value={values.description}
              onChange={v => set('description', v)}
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
                  value={values.endpointUrl}
                  onChange={v => set('endpointUrl', v)}
                />
                <PasswordField
                  name="authorizationHeader"
                  label="Authorization header"
                  description={
                    stream
                      ? 'Never shown once saved. Leave empty to keep the current one; a changed method or URL without a header removes it.'
                      : 'Sent with every push, e.g. "Bearer abc…". Never shown once saved.'
                  }
                  value={values.authorizationHeader}
                  onChange={v => set('authorizationHeader', v)}
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
            {submitError && (
              <ErrorPanel
                title={
                  stream
                    ? 'The stream could not be saved'
                    : 'The stream could not be created'
                }
                error={submitError}
              />
            )}
          </Flex>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" isPending={pending}>
            {stream ? 'Save' : 'Create'}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
