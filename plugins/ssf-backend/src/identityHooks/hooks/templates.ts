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

import { InputError } from '@backstage/errors';

/** The values a payload template can use. @internal */
export interface TemplateValues {
  /** The attribute's value before the change ("" when absent). */
  from: string;
  /** The attribute's value after the change ("" when absent). */
  to: string;
  /** The attribute path, or the kind of change (user_added, user_removed). */
  path: string;
  /** The identity: a catalog entity ref, or the subject for other sources. */
  identity: string;
  /** The user's email, when known. */
  email: string;
  /** The user's display name, else its entity name, else the identity. */
  name: string;
}

/**
 * What a hook on a received SET (`on: event_received`) can use besides the
 * values above, which it gets for the SET's subject.
 *
 * @internal
 */
export interface ReceivedTemplateValues {
  /** The received event type that fired the hook. */
  event_type: string;
  /** The id of the provider the SET came from ("" when none). */
  provider: string;
  /** The received SET's `iss`, `jti`, and `txn` (its `jti` when it has none). */
  iss: string;
  jti: string;
  txn: string;
  /** The received event's payload; `{{event.<member>}}` reads a top-level member. */
  event: Record<string, unknown>;
}

// `{{event.member}}` reaches into the received event's payload.
const PLACEHOLDER = /\{\{\s*([a-z_]+(?:\.[A-Za-z0-9_]+)?)\s*\}\}/g;
const NAMES = new Set<string>([
  'from',
  'to',
  'path',
  'identity',
  'email',
  'name',
]);
const RECEIVED_NAMES = new Set<string>([
  ...NAMES,
  'event_type',
  'provider',
  'iss',
  'jti',
  'txn',
]);
const EVENT_MEMBER = 'event.';

function isKnown(name: string, received: boolean): boolean {
  if (!received) return NAMES.has(name);
  return RECEIVED_NAMES.has(name) || name.startsWith(EVENT_MEMBER);
}

/**
 * The longest text one `{{event.<member>}}` renders: a received SET is
 * another party's, and 64 placeholders each copying a large member would
 * make an event far larger than the SET that caused it.
 *
 * @internal
 */
export const MAX_EVENT_MEMBER_LENGTH = 4096;

// A payload member as text: strings as they are, anything else as JSON.
function memberText(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.slice(0, MAX_EVENT_MEMBER_LENGTH);
}

/** How deeply objects and arrays may nest in a payload template. @internal */
export const MAX_TEMPLATE_DEPTH = 32;
/** The most members and elements a payload template may have, all levels together. @internal */
export const MAX_TEMPLATE_ENTRIES = 1000;
/** The most `{{placeholder}}`s a payload template may use: each becomes a value of the change, which may be kilobytes long. @internal */
export const MAX_TEMPLATE_PLACEHOLDERS = 64;
/** The largest payload template, as JSON text. @internal */
export const MAX_TEMPLATE_JSON_LENGTH = 16 * 1024;

// Templates are walked with an explicit stack rather than by recursion, so
// that no template, however deep, can exhaust the call stack; the limits
// above keep the templates that are accepted small as well.

/**
 * Why a payload template is too deep or too large, as a phrase to follow
 * "payload_template", or undefined when it is within the limits. The
 * template itself is the first level.
 *
 * @internal
 */
export function templateProblem(template: unknown): string | undefined {
  const stack: Array<[value: unknown, depth: number]> = [[template, 1]];
  let entries = 0;
  let placeholders = 0;
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string') {
      placeholders += [...value.matchAll(PLACEHOLDER)].length;
      if (placeholders > MAX_TEMPLATE_PLACEHOLDERS) {
        return `uses more than ${MAX_TEMPLATE_PLACEHOLDERS} placeholders`;
      }
    } else if (value && typeof value === 'object') {
      if (depth > MAX_TEMPLATE_DEPTH) {
        return `nests objects and arrays more than ${MAX_TEMPLATE_DEPTH} levels deep`;
      }
      const children = Object.values(value);
      entries += children.length;
      if (entries > MAX_TEMPLATE_ENTRIES) {
        return `has more than ${MAX_TEMPLATE_ENTRIES} members and elements`;
      }
      for (const child of children) stack.push([child, depth + 1]);
    }
  }
  // Safe to serialise now that the depth is bounded.
  const length = JSON.stringify(template)?.length ?? 0;
  if (length > MAX_TEMPLATE_JSON_LENGTH) {
    return `is ${length} characters of JSON; at most ${MAX_TEMPLATE_JSON_LENGTH} are allowed`;
  }
  return undefined;
}

/** Names every unknown `{{placeholder}}` in a template, so a typo fails when the hook is saved. @internal */
export function unknownPlaceholders(
  template: unknown,
  /** Whether the hook fires on received SETs, which have more values. */
  received = false,
): string[] {
  const unknown = new Set<string>();
  const stack: unknown[] = [template];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      for (const [, name] of value.matchAll(PLACEHOLDER)) {
        if (!isKnown(name, received)) unknown.add(name);
      }
    } else if (value && typeof value === 'object') {
      // Reversed, so that the names come out in the template's order (a
      // loop, as spreading a huge array into push() overflows the stack).
      const children = Object.values(value);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return [...unknown];
}

// Sets an own property, even one named __proto__ (JSON.parse makes those),
// without going through the prototype's setter.
function setOwn(target: object, key: string | number, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
}

/**
 * Fills a payload template: every `{{name}}` in a string value is replaced by
 * that value of the change. Only string values are templated, so a template
 * cannot change the payload's shape.
 *
 * @internal
 */
export function renderTemplate<T>(
  template: T,
  values: TemplateValues,
  /** The received SET's values, for a hook on received events. */
  received?: ReceivedTemplateValues,
): T {
  const value = (whole: string, name: string): string => {
    if (NAMES.has(name)) return values[name as keyof TemplateValues];
    if (!received || !isKnown(name, true)) return whole;
    if (name.startsWith(EVENT_MEMBER)) {
      const member = name.slice(EVENT_MEMBER.length);
      return Object.hasOwn(received.event, member)
        ? memberText(received.event[member])
        : '';
    }
    return received[name as Exclude<keyof ReceivedTemplateValues, 'event'>];
  };
  const fill = (text: string) => text.replace(PLACEHOLDER, value);
  // Copies the template breadth first: each object or array is made when
  // reached and its members filled in as they are taken from the queue.
  const root: { value?: unknown } = {};
  const queue: Array<[source: unknown, target: object, key: string | number]> =
    [[template, root, 'value']];
  for (let i = 0; i < queue.length; i++) {
    const [source, target, key] = queue[i];
    let copy: unknown = source;
    if (typeof source === 'string') {
      copy = fill(source);
    } else if (Array.isArray(source)) {
      const array = new Array(source.length);
      source.forEach((v, index) => queue.push([v, array, index]));
      copy = array;
    } else if (source && typeof source === 'object') {
      const object = {};
      for (const [k, v] of Object.entries(source)) {
        setOwn(object, k, undefined); // keeps the template's member order
        queue.push([v, object, k]);
      }
      copy = object;
    }
    setOwn(target, key, copy);
  }
  return root.value as T;
}

/** Refuses a template with unknown placeholders. @internal */
export function assertKnownPlaceholders(template: unknown, received = false) {
  const unknown = unknownPlaceholders(template, received);
  if (unknown.length) {
    const known = [...(received ? RECEIVED_NAMES : NAMES)].map(n => `{{${n}}}`);
    if (received) known.push('{{event.<member>}}');
    throw new InputError(
      `Invalid hook: payload_template uses unknown placeholders ${unknown
        .map(n => `{{${n}}}`)
        .join(', ')}; known are ${known.join(', ')}`,
    );
  }
}
