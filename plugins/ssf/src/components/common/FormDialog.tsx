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

import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
} from '@backstage/ui';
import { ReactNode } from 'react';
import { Form, FormProps } from 'react-aria-components';
import { ErrorPanel } from './ErrorPanel';

/**
 * A dialog around a form kept by {@link useFormState}: the fields, the
 * refusal of the last submit, and Cancel and submit buttons.
 */
export function FormDialog(props: {
  /** The dialog's heading. */
  title: ReactNode;
  /** The form's accessible name. */
  label: string;
  width: number;
  /**
   * The form's state. `errors` go to the fields by name, so a caller with a
   * whole-form error passes the field errors only and shows that one itself.
   */
  form: {
    errors: FormProps['validationErrors'];
    pending: boolean;
    submitError?: Error;
    submit: FormProps['onSubmit'];
  };
  submitLabel: string;
  submitErrorTitle: string;
  /** "Cancel" unless submitting leaves nothing to cancel (e.g. a dry run). */
  closeLabel?: string;
  onClose: () => void;
  children: ReactNode;
  /** Below the submit error: what a submit that keeps the dialog open got. */
  result?: ReactNode;
}) {
  const { form, onClose } = props;
  return (
    <Dialog
      isOpen
      onOpenChange={open => !open && onClose()}
      width={props.width}
    >
      <DialogHeader>{props.title}</DialogHeader>
      <Form
        validationBehavior="aria"
        validationErrors={form.errors}
        onSubmit={form.submit}
        aria-label={props.label}
      >
        <DialogBody>
          <Flex direction="column" gap="4">
            {props.children}
            {form.submitError && (
              <ErrorPanel
                title={props.submitErrorTitle}
                error={form.submitError}
              />
            )}
            {props.result}
          </Flex>
        </DialogBody>
        <DialogFooter>
          <Button variant="secondary" onPress={onClose}>
            {props.closeLabel ?? 'Cancel'}
          </Button>
          <Button type="submit" isPending={form.pending}>
            {props.submitLabel}
          </Button>
        </DialogFooter>
      </Form>
    </Dialog>
  );
}
