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
  Radio,
  RadioGroup,
  Select,
  TextAreaField,
  TextField,
} from '@backstage/ui';
import { FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { LifecycleHook, ssfApiRef } from '../../api';
import { ErrorPanel } from '../common';
import { EVENT_TYPE_SECTIONS } from '../StreamsTab/eventTypeOptions';
import {
  HookFormErrors,
  HookFormValues,
  initialHookFormValues,
  toHookInput,
  validateHookForm,
} from './hookForm';

/**
 * Creates a hook, or replaces `hook` when given. Checks the fields the way
 * the backend does before sending, and shows the backend's refusal in the
 * dialog when it still says no.
 */
export function HookFormDialog(props: {
  hook?: LifecycleHook;
  onClose: () => void;
  onSaved: (hook: LifecycleHook) => void;
}) {
  const { hook, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const [values, setValues] = useState(() => initialHookFormValues(hook));
  const [errors, setErrors] = useState<HookFormErrors>({});
  const [pending, setPending] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();

  const set = <K extends keyof HookFormValues>(
    key: K,
    value: HookFormValues[K],
  ) => {
    setValues(v => ({ ...v, [key]: value }));
    setErrors(({ [key]: _removed, ...rest }) => rest);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitError(undefined);
    const found = validateHookForm(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setPending(true);
    try {
      const input = toHookInput(values, hook?.enabled);
      const saved = hook
        ? await ssfApi.replaceHook(hook.id, input)
        : await ssfApi.createHook(input);
      onSaved(saved);
      onClose();
    } catch (e) {
      setSubmitError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen onOpenChange={open => !open && onClose()} width={640}>
      <DialogHeader>{hook ? `Edit ${hook.name}` : 'Create hook'}</DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={errors}
        onSubmit={submit}
        aria-label={hook ? 'Edit hook' : 'Create hook'}
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            <TextField
              name="name"
              label="Name"
              isRequired
              description='Lowercase letters, digits, ".", "_" and "-"; up to 100 characters. Shown in firings.'
              placeholder="lifecycle-suspended-session-revoked"
              value={values.name}
              onChange={v => set('name', v)}
            />
            <TextAreaField
              name="description"
              label="Description"
              rows={2}
              value={values.description}
              onChange={v => set('description', v)}
            />
            <RadioGroup
              name="triggerKind"
              label="Fires when"
              value={values.triggerKind}
              onChange={v =>
                set('triggerKind', v as HookFormValues['triggerKind'])
              }
            >
              <Radio value="attribute_changed">
                An attribute of a user changes
              </Radio>
              <Radio value="user_added">A user is added to the catalog</Radio>
              <Radio value="user_removed">
                A user is removed from the catalog
              </Radio>
            </RadioGroup>
            {values.triggerKind === 'attribute_changed' && (
              <>
                <TextField
                  name="path"
                  label="Attribute path"
                  isRequired
                  placeholder='metadata.annotations["ssf.io/lifecycle"]'
                  value={values.path}
                  onChange={v => set('path', v)}
                />
                <TextField
                  name="from"
                  label="From (regular expression)"
                  description="Optional. Must match the whole old value; an absent value is matched as empty. Leave empty for any value."
                  placeholder="active"
                  value={values.from}
                  onChange={v => set('from', v)}
                />
                <TextField
                  name="to"
                  label="To (regular expression)"
                  description="Optional. Must match the whole new value. Leave empty for any value."
                  placeholder="suspended|terminated"
                  value={values.to}
                  onChange={v => set('to', v)}
                />
              </>
            )}
            <Select
              name="eventType"
              label="Event type"
              description="Sent to every stream that requested this event type."
              placeholder="Choose an event type"
              options={EVENT_TYPE_SECTIONS}
              value={values.eventType || null}
              onChange={v => set('eventType', v ? String(v) : '')}
            />
            <RadioGroup
              name="subjectFormat"
              label="Subject format"
              value={values.subjectFormat}
              onChange={v =>
                set('subjectFormat', v as HookFormValues['subjectFormat'])
              }
            >
              <Radio value="email">Email address of the user</Radio>
              <Radio value="iss_sub">Issuer and subject</Radio>
            </RadioGroup>
            <TextAreaField
              name="payloadTemplate"
              label="Payload template"
              description="A JSON object for the event's members. String values may use {{from}}, {{to}}, {{path}}, {{identity}}, {{email}} and {{name}}."
              rows={6}
              value={values.payloadTemplate}
              onChange={v => set('payloadTemplate', v)}
            />
            {submitError && (
              <ErrorPanel
                title={
                  hook
                    ? 'The hook could not be saved'
                    : 'The hook could not be created'
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
            {hook ? 'Save' : 'Create'}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
