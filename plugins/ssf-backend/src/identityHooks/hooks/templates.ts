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

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*\}\}/g;
const NAMES = new Set<string>([
  'from',
  'to',
  'path',
  'identity',
  'email',
  'name',
]);

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
export function unknownPlaceholders(template: unknown): string[] {
  const unknown = new Set<string>();
  const stack: unknown[] = [template];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string') {
      for (const [, name] of value.matchAll(PLACEHOLDER)) {
        if (!NAMES.has(name)) unknown.add(name);
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
export function renderTemplate<T>(template: T, values: TemplateValues): T {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (whole, name: string) =>
      NAMES.has(name) ? values[name as keyof TemplateValues] : whole,
    );
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
export function assertKnownPlaceholders(template: unknown) {
  const unknown = unknownPlaceholders(template);
  if (unknown.length) {
    throw new InputError(
      `Invalid hook: payload_template uses unknown placeholders ${unknown
        .map(n => `{{${n}}}`)
        .join(', ')}; known are ${[...NAMES].map(n => `{{${n}}}`).join(', ')}`,
    );
  }
}
