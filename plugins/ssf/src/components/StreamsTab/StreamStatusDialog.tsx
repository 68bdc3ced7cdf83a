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
  TextAreaField,
} from '@backstage/ui';
import { StreamStatusValue } from '@shared-signals/plugin-ssf-common';
import { FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { AdminStream, ssfApiRef } from '../../api';
import { ErrorPanel } from '../common';

const MAX_REASON_LENGTH = 1024;

/** Enables, pauses or disables a stream, with a reason. */
export function StreamStatusDialog(props: {
  stream: AdminStream;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { stream, onClose, onSaved } = props;
  const ssfApi = useApi(ssfApiRef);
  const [status, setStatus] = useState<StreamStatusValue>(stream.status);
  const [reason, setReason] = useState(stream.reason ?? '');
  const [reasonError, setReasonError] = useState<string>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (reason.length > MAX_REASON_LENGTH) {
      setReasonError(
        `The reason must be at most ${MAX_REASON_LENGTH} characters (it has ${reason.length})`,
      );
      return;
    }
    setPending(true);
    setError(undefined);
    try {
      await ssfApi.setStreamStatus(
        stream.stream_id,
        status,
        reason.trim() || undefined,
      );
      onSaved();
      onClose();
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen onOpenChange={open => !open && onClose()} width={560}>
      <DialogHeader>Change the status of {stream.stream_id}</DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={reasonError ? { reason: reasonError } : {}}
        onSubmit={submit}
        aria-label="Change stream status"
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            <RadioGroup
              name="status"
              label="Status"
              value={status}
              onChange={v => setStatus(v as StreamStatusValue)}
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
              value={reason}
              onChange={v => {
                setReason(v);
                setReasonError(undefined);
              }}
            />
            {error && (
              <ErrorPanel
                title="The status could not be changed"
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
            Change status
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
