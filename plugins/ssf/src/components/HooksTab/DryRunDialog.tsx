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
  Text,
  TextField,
} from '@backstage/ui';
import { FormEvent, useState } from 'react';
import { Form } from 'react-aria-components';
import { HookDryRunResult, ssfApiRef } from '../../api';
import { ErrorPanel } from '../common';
import {
  DryRunFormErrors,
  DryRunFormValues,
  initialDryRunFormValues,
  toDryRunRequest,
  validateDryRunForm,
} from './dryRunForm';
import { DryRunResult } from './DryRunResult';

/**
 * Asks the backend what the enabled hooks would emit for a made-up change
 * to a user, without emitting anything, and shows the answer.
 */
export function DryRunDialog(props: {
  defaultPath?: string;
  onClose: () => void;
}) {
  const { onClose } = props;
  const ssfApi = useApi(ssfApiRef);
  const [values, setValues] = useState(() =>
    initialDryRunFormValues(props.defaultPath),
  );
  const [errors, setErrors] = useState<DryRunFormErrors>({});
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const [result, setResult] = useState<HookDryRunResult>();

  const set = <K extends keyof DryRunFormValues>(
    key: K,
    value: DryRunFormValues[K],
  ) => {
    setValues(v => ({ ...v, [key]: value }));
    setErrors(({ [key]: _removed, ...rest }) => rest);
    // A result for other values would be misleading next to the new ones.
    setResult(undefined);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setError(undefined);
    const found = validateDryRunForm(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setPending(true);
    try {
      setResult(await ssfApi.dryRunHooks(toDryRunRequest(values)));
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen onOpenChange={open => !open && onClose()} width={720}>
      <DialogHeader>Dry run</DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={errors}
        onSubmit={submit}
        aria-label="Dry run"
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            <Text as="p" color="secondary">
              Describe a change to a user to see which hooks would fire and what
              they would send. Nothing is emitted.
            </Text>
            <TextField
              name="email"
              label="User email"
              isRequired
              placeholder="jdoe@example.com"
              value={values.email}
              onChange={v => set('email', v)}
            />
            <RadioGroup
              name="kind"
              label="Change"
              value={values.kind}
              onChange={v => set('kind', v as DryRunFormValues['kind'])}
            >
              <Radio value="attribute_changed">An attribute changes</Radio>
              <Radio value="user_removed">
                The user is removed from the catalog
              </Radio>
            </RadioGroup>
            {values.kind === 'attribute_changed' && (
              <>
                <TextField
                  name="path"
                  label="Attribute path"
                  isRequired
                  placeholder='metadata.annotations["ssf.io/lifecycle"]'
                  value={values.path}
                  onChange={v => set('path', v)}
                />
                <Flex gap="3">
                  <TextField
                    name="before"
                    label="Value before"
                    placeholder="active"
                    value={values.before}
                    onChange={v => set('before', v)}
                  />
                  <TextField
                    name="after"
                    label="Value after"
                    description="Empty: the attribute is gone."
                    placeholder="suspended"
                    value={values.after}
                    onChange={v => set('after', v)}
                  />
                </Flex>
              </>
            )}
            {error && <ErrorPanel title="The dry run failed" error={error} />}
            {result && <DryRunResult result={result} />}
          </Flex>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onPress={onClose}>
            Close
          </Button>
          <Button type="submit" isPending={pending}>
            Run dry run
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
