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
import { Radio, RadioGroup, TextAreaField } from '@backstage/ui';
import { StreamStatusValue } from '@shared-signals/plugin-ssf-common';
import { AdminStream, ssfApiRef } from '../../api';
import { FormDialog, useFormState } from '../common';

const MAX_REASON_LENGTH = 1024;

interface StatusFormValues {
  status: StreamStatusValue;
  reason: string;
}

function validateStatusForm({
  reason,
}: StatusFormValues): Partial<Record<'reason', string>> {
  return reason.length > MAX_REASON_LENGTH
    ? {
        reason: `The reason must be at most ${MAX_REASON_LENGTH} characters (it has ${reason.length})`,
      }
    : {};
}

/** Enables, pauses or disables a stream, with a reason. */
export function StreamStatusDialog(props: {
  stream: AdminStream;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { stream, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const form = useFormState({
    initial: (): StatusFormValues => ({
      status: stream.status,
      reason: stream.reason ?? '',
    }),
    validate: validateStatusForm,
    onSubmit: async ({ status, reason }) => {
      await ssfApi.setStreamStatus(
        stream.stream_id,
        status,
        reason.trim() || undefined,
      );
      onSaved();
      onClose();
    },
  });
  const { values, set, bind } = form;

  return (
    <FormDialog
      title={`Change the status of ${stream.stream_id}`}
      label="Change stream status"
      width={560}
      form={form}
      submitLabel="Change status"
      submitErrorTitle="The status could not be changed"
      onClose={onClose}
    >
      <RadioGroup
        name="status"
        label="Status"
        value={values.status}
        onChange={v => set('status', v as StreamStatusValue)}
      >
        <Radio value="enabled">Enabled: events are delivered</Radio>
        <Radio value="paused">
          Paused: events are held and delivered when enabled again
        </Radio>
        <Radio value="disabled">
          Disabled: events are dropped, not delivered
        </Radio>
      </RadioGroup>
      <TextAreaField
        name="reason"
        label="Reason"
        description="Shown to the receiver in the stream status. Up to 1024 characters."
        {...bind('reason')}
      />
    </FormDialog>
  );
}
