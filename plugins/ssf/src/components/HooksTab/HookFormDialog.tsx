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
  Radio,
  RadioGroup,
  Select,
  TextAreaField,
  TextField,
} from '@backstage/ui';
import { LifecycleHook, ssfApiRef } from '../../api';
import { FormDialog, useFormState } from '../common';
import { EVENT_TYPE_SECTIONS } from '../StreamsTab/eventTypeOptions';
import { ReceivedEventFields } from './ReceivedEventFields';
import {
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
  const form = useFormState({
    initial: () => initialHookFormValues(hook),
    validate: validateHookForm,
    onSubmit: async values => {
      const input = toHookInput(values, hook?.enabled);
      const saved = hook
        ? await ssfApi.replaceHook(hook.id, input)
        : await ssfApi.createHook(input);
      onSaved(saved);
      onClose();
    },
  });
  const { values, set, bind } = form;

  return (
    <FormDialog
      title={hook ? `Edit ${hook.name}` : 'Create hook'}
      label={hook ? 'Edit hook' : 'Create hook'}
      width={640}
      form={form}
      submitLabel={hook ? 'Save' : 'Create'}
      submitErrorTitle={
        hook ? 'The hook could not be saved' : 'The hook could not be created'
      }
      onClose={onClose}
    >
      <TextField
        name="name"
        label="Name"
        isRequired
        description='Lowercase letters, digits, ".", "_" and "-"; up to 100 characters. Shown in firings.'
        placeholder="lifecycle-suspended-session-revoked"
        {...bind('name')}
      />
      <TextAreaField
        name="description"
        label="Description"
        rows={2}
        {...bind('description')}
      />
      <RadioGroup
        name="triggerKind"
        label="Fires when"
        value={values.triggerKind}
        onChange={v => set('triggerKind', v as HookFormValues['triggerKind'])}
      >
        <Radio value="attribute_changed">An attribute of a user changes</Radio>
        <Radio value="user_added">A user is added to the catalog</Radio>
        <Radio value="user_removed">A user is removed from the catalog</Radio>
        <Radio value="event_received">
          An event is received from a Security Events Provider
        </Radio>
      </RadioGroup>
      {values.triggerKind === 'event_received' && (
        <ReceivedEventFields
          bind={bind}
          anyProviderLabel="Any provider"
          providerDescription="Fire only on SETs from this provider, or from any of them."
        />
      )}
      {values.triggerKind === 'attribute_changed' && (
        <>
          <TextField
            name="path"
            label="Attribute path"
            isRequired
            placeholder='metadata.annotations["ssf.io/lifecycle"]'
            {...bind('path')}
          />
          <TextField
            name="from"
            label="From (regular expression)"
            description="Optional. RE2 syntax (no lookahead or backreferences); must match the whole old value, and an absent value is matched as empty. Leave empty for any value."
            placeholder="active"
            {...bind('from')}
          />
          <TextField
            name="to"
            label="To (regular expression)"
            description="Optional. RE2 syntax; must match the whole new value. Leave empty for any value."
            placeholder="suspended|terminated"
            {...bind('to')}
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
      {/* A hook on received events is about the received SET's subject. */}
      {values.triggerKind !== 'event_received' && (
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
      )}
      <TextAreaField
        name="payloadTemplate"
        label="Payload template"
        description={
          values.triggerKind === 'event_received'
            ? "A JSON object for the event's members. String values may use {{event_type}}, {{provider}}, {{iss}}, {{jti}}, {{txn}}, {{event.<member>}} (a member of the received event) and {{identity}}, {{email}} and {{name}} of its subject."
            : "A JSON object for the event's members. String values may use {{from}}, {{to}}, {{path}}, {{identity}}, {{email}} and {{name}}."
        }
        rows={6}
        {...bind('payloadTemplate')}
      />
    </FormDialog>
  );
}
