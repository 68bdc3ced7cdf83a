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

import { act, renderHook } from '@testing-library/react';
import { FormEvent } from 'react';
import { useFormState } from './useFormState';

interface Values {
  name: string;
  count: number;
}

type Errors = Partial<Record<keyof Values, string>>;

function validate(values: Values): Errors {
  return values.name ? {} : { name: 'Enter a name' };
}

function submitEvent() {
  return { preventDefault: jest.fn() } as unknown as FormEvent<HTMLFormElement>;
}

function setUp(onSubmit: (values: Values) => Promise<void> | void) {
  return renderHook(() =>
    useFormState({
      initial: { name: '', count: 0 },
      validate,
      onSubmit,
    }),
  );
}

describe('useFormState', () => {
  it('clears only the error of the field that is set', async () => {
    const onSubmit = jest.fn();
    const { result } = renderHook(() =>
      useFormState<Values, Errors>({
        initial: { name: '', count: 0 },
        validate: () => ({ name: 'Enter a name', count: 'Too many' }),
        onSubmit,
      }),
    );

    await act(() => result.current.submit(submitEvent()));
    expect(result.current.errors).toEqual({
      name: 'Enter a name',
      count: 'Too many',
    });

    act(() => result.current.set('name', 'alice'));
    expect(result.current.values).toEqual({ name: 'alice', count: 0 });
    expect(result.current.errors).toEqual({ count: 'Too many' });
  });

  it('binds a field to one value and reports every change', () => {
    const onChange = jest.fn();
    const { result } = renderHook(() =>
      useFormState<Values, Errors>({
        initial: { name: '', count: 0 },
        validate,
        onSubmit: jest.fn(),
        onChange,
      }),
    );

    expect(result.current.bind('name').value).toBe('');
    act(() => result.current.bind('name').onChange('bob'));
    expect(result.current.values).toEqual({ name: 'bob', count: 0 });
    expect(result.current.bind('name').value).toBe('bob');
    act(() => result.current.set('count', 2));
    expect(onChange).toHaveBeenCalledTimes(2);
  });

  it('does not submit values with errors', async () => {
    const onSubmit = jest.fn();
    const { result } = setUp(onSubmit);
    const event = submitEvent();

    await act(() => result.current.submit(event));

    // The browser must not post the form, valid or not.
    expect(event.preventDefault).toHaveBeenCalled();
    expect(onSubmit).not.toHaveBeenCalled();
    expect(result.current.errors).toEqual({ name: 'Enter a name' });
    expect(result.current.pending).toBe(false);
  });

  it('keeps a failed submit as the submit error and stops pending', async () => {
    let fail: (error: Error) => void = () => {};
    const onSubmit = jest.fn(
      () =>
        new Promise<void>((_resolve, reject) => {
          fail = reject;
        }),
    );
    const { result } = setUp(onSubmit);
    act(() => result.current.set('name', 'alice'));

    let submitted: Promise<void> = Promise.resolve();
    act(() => {
      submitted = result.current.submit(submitEvent());
    });
    expect(result.current.pending).toBe(true);

    await act(async () => {
      fail(new Error('Refused'));
      await submitted;
    });
    expect(result.current.pending).toBe(false);
    expect(result.current.submitError).toEqual(new Error('Refused'));
  });

  it('calls onSubmit with the values and clears an earlier submit error', async () => {
    const onSubmit = jest
      .fn()
      .mockRejectedValueOnce(new Error('Refused'))
      .mockResolvedValueOnce(undefined);
    const { result } = setUp(onSubmit);
    act(() => result.current.set('name', 'alice'));

    await act(() => result.current.submit(submitEvent()));
    expect(result.current.submitError).toEqual(new Error('Refused'));

    await act(() => result.current.submit(submitEvent()));
    expect(onSubmit).toHaveBeenLastCalledWith({ name: 'alice', count: 0 });
    expect(onSubmit).toHaveBeenCalledTimes(2);
    expect(result.current.submitError).toBeUndefined();
    expect(result.current.errors).toEqual({});
    expect(result.current.pending).toBe(false);
  });
});
