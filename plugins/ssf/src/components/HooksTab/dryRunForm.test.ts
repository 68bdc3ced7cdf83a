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

import { LIFECYCLE_PATH } from '../../__testUtils__/fixtures';
import {
  initialDryRunFormValues,
  toDryRunRequest,
  validateDryRunForm,
} from './dryRunForm';

const values = {
  ...initialDryRunFormValues(LIFECYCLE_PATH),
  email: ' jdoe@example.com ',
  before: 'active',
  after: 'suspended',
};

describe('validateDryRunForm', () => {
  it('needs an email address and, for attribute changes, a path', () => {
    expect(validateDryRunForm(values)).toEqual({});
    expect(validateDryRunForm({ ...values, email: '', path: ' ' })).toEqual({
      email: "Enter the user's email address",
      path: 'Enter the attribute path that changed',
    });
    expect(validateDryRunForm({ ...values, email: 'jdoe' }).email).toBe(
      'email must be an email address',
    );
    expect(
      validateDryRunForm({ ...values, kind: 'user_removed', path: '' }),
    ).toEqual({});
  });
});

describe('toDryRunRequest', () => {
  it('sends the values before and after, an empty one as absent', () => {
    expect(toDryRunRequest(values)).toEqual({
      change: {
        subject: { format: 'email', email: 'jdoe@example.com' },
        before: { [LIFECYCLE_PATH]: 'active' },
        attributes: { [LIFECYCLE_PATH]: 'suspended' },
      },
    });
    expect(
      toDryRunRequest({ ...values, before: '', after: '' }).change,
    ).toEqual({
      subject: { format: 'email', email: 'jdoe@example.com' },
      before: {},
      attributes: { [LIFECYCLE_PATH]: null },
    });
  });

  it('sends a removal without attributes', () => {
    expect(toDryRunRequest({ ...values, kind: 'user_removed' })).toEqual({
      change: {
        subject: { format: 'email', email: 'jdoe@example.com' },
        removed: true,
      },
    });
  });
});

describe('a received-event sample', () => {
  const accountDisabled =
    'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
  const received = {
    ...initialDryRunFormValues(LIFECYCLE_PATH, accountDisabled),
    email: 'jdoe@example.com',
    kind: 'event_received' as const,
  };

  it('starts with the watched type, and needs an absolute URI and a JSON object', () => {
    expect(received.receivedEventType).toBe(accountDisabled);
    expect(validateDryRunForm({ ...received, path: '' })).toEqual({});
    const errors = validateDryRunForm({
      ...received,
      receivedEventType: 'account-disabled',
      receivedPayload: '[1]',
    });
    expect(errors.receivedEventType).toContain('must be an absolute URI');
    expect(errors.receivedPayload).toBe(
      'The event payload must be a JSON object, such as {"reason": "fraud"}',
    );
    expect(
      validateDryRunForm({ ...received, receivedPayload: '{' }).receivedPayload,
    ).toContain('Not valid JSON');
    expect(
      validateDryRunForm({ ...received, receivedEventType: ' ' })
        .receivedEventType,
    ).toContain('Enter the received event type');
  });

  it('sends received_event, with the provider and payload only when given', () => {
    expect(toDryRunRequest(received)).toEqual({
      received_event: {
        event_type: accountDisabled,
        subject: { format: 'email', email: 'jdoe@example.com' },
      },
    });
    expect(
      toDryRunRequest({
        ...received,
        receivedProvider: 'sse1abc',
        receivedPayload: '{"reason": "fraud"}',
      }),
    ).toEqual({
      received_event: {
        event_type: accountDisabled,
        subject: { format: 'email', email: 'jdoe@example.com' },
        provider: 'sse1abc',
        payload: { reason: 'fraud' },
      },
    });
  });
});
