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

import { simpleSubjectSchema } from '@shared-signals/plugin-ssf-common';
import { HookDryRunRequest } from '../../api';
import { receivedEventTypeError } from './hookForm';

/**
 * What the dry-run form edits: a user and how it changed, or a SET about
 * the user received from a provider (for the hooks on received events).
 */
export interface DryRunFormValues {
  email: string;
  kind: 'attribute_changed' | 'user_removed' | 'event_received';
  path: string;
  before: string;
  after: string;
  /** The received event's type URI. */
  receivedEventType: string;
  /** The provider it would come from; empty for none in particular. */
  receivedProvider: string;
  /** The received event's payload, JSON text; empty for none. */
  receivedPayload: string;
}

/** Field name to error message. */
export type DryRunFormErrors = Partial<Record<keyof DryRunFormValues, string>>;

/**
 * Empty values, with the attribute path and the received event type the
 * hooks most likely watch.
 */
export function initialDryRunFormValues(
  path = '',
  receivedEventType = '',
): DryRunFormValues {
  return {
    email: '',
    kind: 'attribute_changed',
    path,
    before: '',
    after: '',
    receivedEventType,
    receivedProvider: '',
    receivedPayload: '',
  };
}

/** The received event's payload as an object, or the reason it is not one. */
export function parseReceivedPayload(
  text: string,
): Record<string, unknown> | undefined | Error {
  if (!text.trim()) {
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(`Not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new Error(
      'The event payload must be a JSON object, such as {"reason": "fraud"}',
    );
  }
  return value as Record<string, unknown>;
}

/** Checks the form as the backend will; an empty object means valid. */
export function validateDryRunForm(values: DryRunFormValues): DryRunFormErrors {
  const errors: DryRunFormErrors = {};
  const email = values.email.trim();
  if (!email) {
    errors.email = "Enter the user's email address";
  } else {
    // The backend reads the subject with the shared schema; use its message.
    const result = simpleSubjectSchema.safeParse({ format: 'email', email });
    if (!result.success) {
      errors.email = result.error.issues[0]?.message ?? 'Not an email address';
    }
  }
  if (values.kind === 'attribute_changed' && !values.path.trim()) {
    errors.path = 'Enter the attribute path that changed';
  }
  if (values.kind === 'event_received') {
    const typeError = receivedEventTypeError(values.receivedEventType.trim());
    if (typeError) {
      errors.receivedEventType = typeError;
    }
    const payload = parseReceivedPayload(values.receivedPayload);
    if (payload instanceof Error) {
      errors.receivedPayload = payload.message;
    }
  }
  return errors;
}

/**
 * The `POST /hooks/dry-run` body. An empty value stands for an absent
 * attribute: before, it is left out (the user had no such attribute);
 * after, it is sent as `null`, which means the attribute is gone.
 */
export function toDryRunRequest(values: DryRunFormValues): HookDryRunRequest {
  const subject = { format: 'email' as const, email: values.email.trim() };
  if (values.kind === 'user_removed') {
    return { change: { subject, removed: true } };
  }
  if (values.kind === 'event_received') {
    const payload = parseReceivedPayload(values.receivedPayload);
    return {
      received_event: {
        event_type: values.receivedEventType.trim(),
        subject,
        ...(values.receivedProvider && { provider: values.receivedProvider }),
        ...(payload && !(payload instanceof Error) && { payload }),
      },
    };
  }
  const path = values.path.trim();
  return {
    change: {
      subject,
      before: values.before === '' ? {} : { [path]: values.before },
      attributes: { [path]: values.after === '' ? null : values.after },
    },
  };
}
