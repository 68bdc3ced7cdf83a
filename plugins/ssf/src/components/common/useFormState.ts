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

import { FormEvent, useState } from 'react';

/** Field name (or any other key, e.g. `form`) to error message. */
export type FormErrors = Partial<Record<string, string>>;

/** What {@link useFormState} gives a form. */
export interface FormState<V, E extends FormErrors> {
  values: V;
  /** Changes one value and drops that field's error: the user is fixing it. */
  set: <K extends keyof V & string>(key: K, value: V[K]) => void;
  /** A field's `value` and `onChange` props, bound to one value. */
  bind: <K extends keyof V & string>(
    key: K,
  ) => { value: V[K]; onChange: (value: V[K]) => void };
  /** What the last submit's validation found; `{}` when valid. */
  errors: E;
  /** True while `onSubmit` runs, for the submit button's spinner. */
  pending: boolean;
  /** What `onSubmit` threw the last time, until the next submit. */
  submitError: Error | undefined;
  /** The form's `onSubmit` handler. */
  submit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
}

/**
 * The state of a form that checks its values with a pure validator before
 * sending them: the values, the field errors the validator found, whether the
 * send is under way and why it failed.
 *
 * `onSubmit` runs only for values without errors, and does whatever success
 * means for the caller (save and close, show a result, apply filters); what
 * it throws becomes `submitError` so the form stays open to retry.
 */
export function useFormState<V, E extends FormErrors>(options: {
  initial: V | (() => V);
  validate: (values: V) => E;
  onSubmit: (values: V) => Promise<void> | void;
  /** Called after any value changes (e.g. to drop a result shown for the old values). */
  onChange?: () => void;
}): FormState<V, E> {
  const { validate, onSubmit, onChange } = options;
  const [values, setValues] = useState<V>(options.initial);
  // Empty errors are valid for every E: all its keys are optional.
  const [errors, setErrors] = useState<E>({} as E);
  const [pending, setPending] = useState(false);
  const [submitError, setSubmitError] = useState<Error>();

  const set = <K extends keyof V & string>(key: K, value: V[K]) => {
    setValues(v => ({ ...v, [key]: value }));
    setErrors(({ [key]: _removed, ...rest }) => rest as E);
    onChange?.();
  };

  const bind = <K extends keyof V & string>(key: K) => ({
    value: values[key],
    onChange: (value: V[K]) => set(key, value),
  });

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    // The form is handled here, not posted by the browser.
    event.preventDefault();
    setSubmitError(undefined);
    const found = validate(values);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      return;
    }
    setPending(true);
    try {
      await onSubmit(values);
    } catch (e) {
      setSubmitError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return { values, set, bind, errors, pending, submitError, submit };
}
