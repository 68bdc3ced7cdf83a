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
  HookSubjectFormat,
  LifecycleHook,
  LifecycleHookInput,
  LifecycleHookTrigger,
} from '../../api';

// The rules the backend enforces on a hook name (lifecycle API contract);
// checked here first so that the form can say what is wrong before sending.
export const MAX_HOOK_NAME_LENGTH = 100;
const HOOK_NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** What makes a hook fire, as the form's radio group names it. */
export type TriggerKind = LifecycleHookTrigger['on'];

/** What the hook form edits; the payload template is JSON text. */
export interface HookFormValues {
  name: string;
  description: string;
  triggerKind: TriggerKind;
  path: string;
  from: string;
  to: string;
  eventType: string;
  subjectFormat: HookSubjectFormat;
  payloadTemplate: string;
  /** On a received event: its type URI, from any provider's SETs. */
  receivedEventType: string;
  /** On a received event: the provider's ID, or empty for any provider. */
  receivedProvider: string;
}

/** Field name to error message. */
export type HookFormErrors = Partial<Record<keyof HookFormValues, string>>;

/** Empty values, or those of the hook being edited. */
export function initialHookFormValues(hook?: LifecycleHook): HookFormValues {
  const trigger = hook?.trigger;
  const attribute = trigger?.on === 'attribute_changed' ? trigger : undefined;
  const received = trigger?.on === 'event_received' ? trigger : undefined;
  return {
    name: hook?.name ?? '',
    description: hook?.description ?? '',
    triggerKind: trigger?.on ?? 'attribute_changed',
    path: attribute?.path ?? '',
    from: attribute?.from ?? '',
    to: attribute?.to ?? '',
    eventType: hook?.event_type ?? '',
    subjectFormat: hook?.subject_format ?? 'email',
    payloadTemplate: JSON.stringify(hook?.payload_template ?? {}, null, 2),
    receivedEventType: received?.event_type ?? '',
    receivedProvider: received?.provider ?? '',
  };
}

/**
 * The payload template as an object, or the reason it is not one. Empty
 * text means an empty template, which is what the backend defaults to.
 */
export function parsePayloadTemplate(
  text: string,
): Record<string, unknown> | Error {
  if (!text.trim()) {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return new Error(`Not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return new Error(
      'The payload template must be a JSON object, such as {"initiating_entity": "policy"}',
    );
  }
  return value as Record<string, unknown>;
}

/** The longest received event type the backend takes. */
export const MAX_RECEIVED_EVENT_TYPE_LENGTH = 512;

// As the backend: an absolute URI (RFC 3986 §4.3), as SET event types are
// (RFC 8417 §2.2); any such URI, since a provider may send types of its own.
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** What is wrong with a received event type, if anything. */
export function receivedEventTypeError(eventType: string): string | undefined {
  if (!eventType) {
    return 'Enter the received event type, such as https://schemas.openid.net/secevent/risc/event-type/account-disabled';
  }
  if (eventType.length > MAX_RECEIVED_EVENT_TYPE_LENGTH) {
    return `The event type must be at most ${MAX_RECEIVED_EVENT_TYPE_LENGTH} characters (it has ${eventType.length})`;
  }
  if (!ABSOLUTE_URI.test(eventType)) {
    return 'The received event type must be an absolute URI, such as https://schemas.openid.net/secevent/risc/event-type/account-disabled';
  }
  return undefined;
}

/** The longest trigger pattern the backend takes. */
export const MAX_PATTERN_LENGTH = 1000;

/**
 * What is wrong with a trigger pattern that can be told here, if anything.
 * Patterns are RE2 syntax, matched by the backend in linear time; the
 * browser's RegExp is another dialect (it takes lookahead and backreferences,
 * which RE2 refuses, and refuses RE2's `(?i)` and `\pL`), so the syntax is
 * left to the backend, whose refusal names the problem and is shown in the
 * form.
 */
export function patternError(pattern: string): string | undefined {
  return pattern.length > MAX_PATTERN_LENGTH
    ? `The pattern must be at most ${MAX_PATTERN_LENGTH} characters (it has ${pattern.length})`
    : undefined;
}

/** Checks the form as the backend will; an empty object means valid. */
export function validateHookForm(values: HookFormValues): HookFormErrors {
  const errors: HookFormErrors = {};
  const name = values.name.trim();
  if (!name) {
    errors.name = 'Enter a name';
  } else if (name.length > MAX_HOOK_NAME_LENGTH) {
    errors.name = `The name must be at most ${MAX_HOOK_NAME_LENGTH} characters (it has ${name.length})`;
  } else if (!HOOK_NAME.test(name)) {
    errors.name =
      'Use lowercase letters, digits, ".", "_" and "-", starting with a letter or digit';
  }
  if (values.triggerKind === 'attribute_changed') {
    if (!values.path.trim()) {
      errors.path =
        'Enter the attribute path, such as metadata.annotations["ssf.io/lifecycle"]';
    }
    if (values.from) {
      errors.from = patternError(values.from);
    }
    if (values.to) {
      errors.to = patternError(values.to);
    }
  }
  if (values.triggerKind === 'event_received') {
    errors.receivedEventType = receivedEventTypeError(
      values.receivedEventType.trim(),
    );
  }
  if (!values.eventType) {
    errors.eventType = 'Choose the event type to emit';
  }
  const payload = parsePayloadTemplate(values.payloadTemplate);
  if (payload instanceof Error) {
    errors.payloadTemplate = payload.message;
  }
  return Object.fromEntries(
    Object.entries(errors).filter(([, v]) => v !== undefined),
  ) as HookFormErrors;
}

function toTrigger(values: HookFormValues): LifecycleHookTrigger {
  if (values.triggerKind === 'event_received') {
    // No provider: the hook fires on SETs from any of them.
    return {
      on: 'event_received',
      ...(values.receivedProvider && { provider: values.receivedProvider }),
      event_type: values.receivedEventType.trim(),
    };
  }
  if (values.triggerKind !== 'attribute_changed') {
    return { on: values.triggerKind };
  }
  // Empty patterns are left out: an absent pattern matches any value,
  // while an empty one would match only an absent value.
  return {
    on: 'attribute_changed',
    path: values.path.trim(),
    ...(values.from && { from: values.from }),
    ...(values.to && { to: values.to }),
  };
}

/**
 * The create or replace body for valid form values. `enabled` is sent when
 * given so that replacing a disabled hook does not enable it again (the
 * backend defaults an absent `enabled` to true).
 */
export function toHookInput(
  values: HookFormValues,
  enabled?: boolean,
): LifecycleHookInput {
  const payload = parsePayloadTemplate(values.payloadTemplate);
  const description = values.description.trim();
  return {
    name: values.name.trim(),
    ...(description && { description }),
    ...(enabled !== undefined && { enabled }),
    trigger: toTrigger(values),
    event_type: values.eventType,
    payload_template: payload instanceof Error ? {} : payload,
    subject_format: values.subjectFormat,
  };
}
