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
import { Text, TextField } from '@backstage/ui';
import { AdminStream, ssfApiRef } from '../../api';
import { FormDialog, useFormState } from '../common';

const MAX_STATE_LENGTH = 1024;

/** Asks the transmitter to send a verification event to the stream. */
export function VerifyStreamDialog(props: {
  stream: AdminStream;
  onClose: () => void;
  onRequested: () => void;
}) {
  const { stream, onClose, onRequested } = props;
  const ssfApi = useApi(ssfApiRef);
  const form = useFormState({
    initial: { state: '' },
    validate: ({ state }): Partial<Record<'state', string>> =>
      state.length > MAX_STATE_LENGTH
        ? { state: `The state must be at most ${MAX_STATE_LENGTH} characters` }
        : {},
    onSubmit: async ({ state }) => {
      await ssfApi.verifyStream(stream.stream_id, state.trim() || undefined);
      onRequested();
      onClose();
    },
  });

  return (
    <FormDialog
      title={`Verify ${stream.stream_id}`}
      label="Verify stream"
      width={520}
      form={form}
      submitLabel="Send verification"
      submitErrorTitle="The verification could not be requested"
      onClose={onClose}
    >
      <Text as="p">
        The transmitter sends a verification event through the stream, so the
        receiver can confirm that delivery works. It can be requested at most
        every {stream.min_verification_interval} seconds.
      </Text>
      <TextField
        name="state"
        label="State"
        description="Optional text echoed in the verification event, to match it at the receiver."
        value={form.values.state}
        onChange={v => form.set('state', v)}
      />
    </FormDialog>
  );
}
