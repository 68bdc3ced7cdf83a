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

import { CAEP_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import { LIFECYCLE_PATH, hook } from '../../__testUtils__/fixtures';
import {
  HookFormValues,
  initialHookFormValues,
  parsePayloadTemplate,
  toHookInput,
  validateHookForm,
} from './hookForm';

const valid: HookFormValues = {
  name: 'lifecycle-suspended',
  description: '',
  triggerKind: 'attribute_changed',
  path: LIFECYCLE_PATH,
  from: '',
  to: 'suspended|terminated',
  eventType: CAEP_EVENT_TYPES.sessionRevoked,
  subjectFormat: 'email',
  payloadTemplate: '{"initiating_entity": "policy"}',
  receivedEventType: '',
  receivedProvider: '',
};

describe('validateHookForm', () => {
  it('accepts a valid hook', () => {
    expect(validateHookForm(valid)).toEqual({});
  });

  it.each([
    ['empty', '  ', 'Enter a name'],
    ['uppercase', 'Lifecycle', 'Use lowercase letters'],
    ['leading dash', '-lifecycle', 'starting with a letter or digit'],
    ['space', 'life cycle', 'Use lowercase letters'],
    ['too long', 'a'.repeat(101), 'at most 100 characters (it has 101)'],
  ])('refuses a name: %s', (_label, name, message) => {
    expect(validateHookForm({ ...valid, name }).name).toContain(message);
  });

  it('accepts names with dots, underscores and dashes up to 100 characters', () => {
    expect(validateHookForm({ ...valid, name: '0a._-b' })).toEqual({});
    expect(validateHookForm({ ...valid, name: 'a'.repeat(100) })).toEqual({});
  });

  it('leaves pattern syntax to the backend (RE2), refusing only over-long patterns', () => {
    // RE2 syntax the browser's RegExp refuses must not be refused here.
    expect(
      validateHookForm({ ...valid, from: '(?i)active', to: '\\pL+|(?P<s>x)' }),
    ).toEqual({});
    // What RE2 refuses (a backreference) is the backend's to refuse, with
    // the reason, shown by the form as any refusal is.
    expect(validateHookForm({ ...valid, to: '(a)\\1' })).toEqual({});
    const errors = validateHookForm({
      ...valid,
      from: 'a'.repeat(1001),
      to: 'a'.repeat(1000),
    });
    expect(errors.from).toBe(
      'The pattern must be at most 1000 characters (it has 1001)',
    );
    expect(errors.to).toBeUndefined();
  });

  it('needs a path only for attribute changes', () => {
    expect(validateHookForm({ ...valid, path: ' ' }).path).toContain(
      'Enter the attribute path',
    );
    expect(
      validateHookForm({
        ...valid,
        triggerKind: 'user_removed',
        path: '',
        to: '(',
      }),
    ).toEqual({});
  });

  it('needs an event type and a JSON object as payload template', () => {
    const errors = validateHookForm({
      ...valid,
      eventType: '',
      payloadTemplate: '{"a": ',
    });
    expect(errors.eventType).toBe('Choose the event type to emit');
    expect(errors.payloadTemplate).toContain('Not valid JSON');
    expect(
      validateHookForm({ ...valid, payloadTemplate: '["a"]' }).payloadTemplate,
    ).toContain('must be a JSON object');
    expect(
      validateHookForm({ ...valid, payloadTemplate: 'null' }).payloadTemplate,
    ).toContain('must be a JSON object');
  });
});

describe('parsePayloadTemplate', () => {
  it('reads empty text as an empty template', () => {
    expect(parsePayloadTemplate('  ')).toEqual({});
    expect(parsePayloadTemplate('{"a": {"b": "{{to}}"}}')).toEqual({
      a: { b: '{{to}}' },
    });
  });
});

describe('toHookInput', () => {
  it('builds the body the contract describes, leaving out empty patterns', () => {
    expect(toHookInput({ ...valid, name: ' lifecycle-suspended ' })).toEqual({
      name: 'lifecycle-suspended',
      trigger: {
        on: 'attribute_changed',
        path: LIFECYCLE_PATH,
        to: 'suspended|terminated',
      },
      event_type: CAEP_EVENT_TYPES.sessionRevoked,
      payload_template: { initiating_entity: 'policy' },
      subject_format: 'email',
    });
    expect(
      toHookInput(
        { ...valid, triggerKind: 'user_removed', description: ' Gone ' },
        false,
      ),
    ).toEqual({
      name: 'lifecycle-suspended',
      description: 'Gone',
      enabled: false,
      trigger: { on: 'user_removed' },
      event_type: CAEP_EVENT_TYPES.sessionRevoked,
      payload_template: { initiating_entity: 'policy' },
      subject_format: 'email',
    });
  });

  it('round-trips a saved hook through the form', () => {
    const saved = hook();
    expect(toHookInput(initialHookFormValues(saved), saved.enabled)).toEqual({
      name: saved.name,
      description: saved.description,
      enabled: true,
      trigger: saved.trigger,
      event_type: saved.event_type,
      payload_template: saved.payload_template,
      subject_format: saved.subject_format,
    });
  });
});

describe('hooks on received events', () => {
  const accountDisabled =
    'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
  const received: HookFormValues = {
    ...valid,
    triggerKind: 'event_received',
    path: '',
    receivedEventType: ` ${accountDisabled} `,
    receivedProvider: 'sse1abc',
  };

  it('needs the received event type as an absolute URI of at most 512 characters', () => {
    expect(validateHookForm(received)).toEqual({});
    // Any absolute URI: a provider may send types of its own.
    expect(
      validateHookForm({
        ...received,
        receivedEventType: 'urn:example:secevent:flagged',
      }),
    ).toEqual({});
    expect(
      validateHookForm({ ...received, receivedEventType: '' })
        .receivedEventType,
    ).toContain('Enter the received event type');
    expect(
      validateHookForm({ ...received, receivedEventType: 'account disabled' })
        .receivedEventType,
    ).toContain('must be an absolute URI');
    expect(
      validateHookForm({
        ...received,
        receivedEventType: `https://e.example/${'a'.repeat(500)}`,
      }).receivedEventType,
    ).toBe('The event type must be at most 512 characters (it has 518)');
    // Identity-change hooks need no received event type.
    expect(validateHookForm(valid).receivedEventType).toBeUndefined();
  });

  it('sends the trigger, without a provider for any provider', () => {
    expect(toHookInput(received).trigger).toEqual({
      on: 'event_received',
      provider: 'sse1abc',
      event_type: accountDisabled,
    });
    expect(toHookInput({ ...received, receivedProvider: '' }).trigger).toEqual({
      on: 'event_received',
      event_type: accountDisabled,
    });
  });

  it('round-trips a saved hook on received events through the form', () => {
    const saved = hook({
      trigger: {
        on: 'event_received',
        provider: 'sse1abc',
        event_type: accountDisabled,
      },
    });
    const values = initialHookFormValues(saved);
    expect(values.triggerKind).toBe('event_received');
    expect(values.receivedEventType).toBe(accountDisabled);
    expect(values.receivedProvider).toBe('sse1abc');
    expect(toHookInput(values, saved.enabled).trigger).toEqual(saved.trigger);
  });
});
