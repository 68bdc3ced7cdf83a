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
  Flex,
  Radio,
  RadioGroup,
  Text,
  TextAreaField,
  TextField,
} from '@backstage/ui';
import { useState } from 'react';
import { HookDryRunResult, ssfApiRef } from '../../api';
import { FormDialog, useFormState } from '../common';
import {
  DryRunFormValues,
  initialDryRunFormValues,
  toDryRunRequest,
  validateDryRunForm,
} from './dryRunForm';
import { DryRunResult } from './DryRunResult';
import { ReceivedEventFields } from './ReceivedEventFields';

/**
 * Asks the backend what the enabled hooks would emit for a made-up change
 * to a user, without emitting anything, and shows the answer.
 */
export function DryRunDialog(props: {
  defaultPath?: string;
  /** The event type the hooks on received events most likely watch. */
  defaultReceivedEventType?: string;
  onClose: () => void;
}) {
  const { onClose } = props;
  const ssfApi = useApi(ssfApiRef);
  const [result, setResult] = useState<HookDryRunResult>();
  // The dialog stays open after a run, to show what it returned.
  const form = useFormState({
    initial: () =>
      initialDryRunFormValues(
        props.defaultPath,
        props.defaultReceivedEventType,
      ),
    validate: validateDryRunForm,
    onSubmit: async values => {
      setResult(await ssfApi.dryRunHooks(toDryRunRequest(values)));
    },
    // A result for other values would be misleading next to the new ones.
    onChange: () => setResult(undefined),
  });
  const { values, set, bind } = form;

  return (
    <FormDialog
      title="Dry run"
      label="Dry run"
      width={720}
      form={form}
      submitLabel="Run dry run"
      submitErrorTitle="The dry run failed"
      closeLabel="Close"
      onClose={onClose}
      result={
        result && (
          <DryRunResult
            result={result}
            received={values.kind === 'event_received'}
          />
        )
      }
    >
      <Text as="p" color="secondary">
        Describe a change to a user to see which hooks would fire and what they
        would send. Nothing is emitted.
      </Text>
      <TextField
        name="email"
        label="User email"
        isRequired
        placeholder="jdoe@example.com"
        {...bind('email')}
      />
      <RadioGroup
        name="kind"
        label="Change"
        value={values.kind}
        onChange={v => set('kind', v as DryRunFormValues['kind'])}
      >
        <Radio value="attribute_changed">An attribute changes</Radio>
        <Radio value="user_removed">The user is removed from the catalog</Radio>
        <Radio value="event_received">
          A provider sends an event about the user
        </Radio>
      </RadioGroup>
      {values.kind === 'event_received' && (
        <>
          <ReceivedEventFields
            bind={bind}
            anyProviderLabel="No provider in particular"
            providerDescription="The provider the SET would come from; hooks for another provider do not fire."
          />
          <TextAreaField
            name="receivedPayload"
            label="Event payload"
            description="Optional: the received event's members, a JSON object, for {{event.<member>}} in payload templates."
            placeholder='{"reason": "fraud"}'
            rows={3}
            {...bind('receivedPayload')}
          />
        </>
      )}
      {values.kind === 'attribute_changed' && (
        <>
          <TextField
            name="path"
            label="Attribute path"
            isRequired
            placeholder='metadata.annotations["ssf.io/lifecycle"]'
            {...bind('path')}
          />
          <Flex gap="3">
            <TextField
              name="before"
              label="Value before"
              placeholder="active"
              {...bind('before')}
            />
            <TextField
              name="after"
              label="Value after"
              description="Empty: the attribute is gone."
              placeholder="suspended"
              {...bind('after')}
            />
          </Flex>
        </>
      )}
    </FormDialog>
  );
}
