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
  Text,
  TextField,
} from '@backstage/ui';
import { FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { AdminStream, ssfApiRef } from '../../api';
import { ErrorPanel } from '../common';

const MAX_STATE_LENGTH = 1024;

/** Asks the transmitter to send a verification event to the stream. */
export function VerifyStreamDialog(props: {
  stream: AdminStream;
  onClose: () => void;
  onRequested: () => void;
}) {
  const { stream, onClose, onRequested } = props;
  const ssfApi = useApi(ssfApiRef);
  const [state, setState] = useState('');
  const [stateError, setStateError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.length > MAX_STATE_LENGTH) {
      setStateError(`The state must be at most ${MAX_STATE_LENGTH} characters`);
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      await ssfApi.verifyStream(stream.stream_id, state.trim() || undefined);
      onRequested();
      onClose();
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen onOpenChange={open => !open && onClose()} width={520}>
      <DialogHeader>Verify {stream.stream_id}</DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={stateError ? { state: stateError } : {}}
        onSubmit={submit}
        aria-label="Verify stream"
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            <Text as="p">
              The transmitter sends a verification event through the stream, so
              the receiver can confirm that delivery works. It can be requested
              at most every {stream.min_verification_interval} seconds.
            </Text>
            <TextField
              name="state"
              label="State"
              description="Optional text echoed in the verification event, to match it at the receiver."
              value={state}
              onChange={v => {
                setState(v);
                setStateError(undefined);
              }}
            />
            {error && (
              <ErrorPanel
                title="The verification could not be requested"
                error={error}
              />
            )}
          </Flex>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onPress={onClose}>
            Cancel
          </Button>
          <Button type="submit" isPending={pending}>
            Send verification
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
