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

/** Names every unknown `{{placeholder}}` in a template, so a typo fails when the hook is saved. @internal */
export function unknownPlaceholders(template: unknown): string[] {
  const unknown = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      for (const [, name] of value.matchAll(PLACEHOLDER)) {
        if (!NAMES.has(name)) unknown.add(name);
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(template);
  return [...unknown];
}

/**
 * Fills a payload template: every `{{name}}` in a string value is replaced by
 * that value of the change. Only string values are templated, so a template
 * cannot change the payload's shape.
 *
 * @internal
 */
export function renderTemplate<T>(template: T, values: TemplateValues): T {
  if (typeof template === 'string') {
    return template.replace(PLACEHOLDER, (whole, name: string) =>
      NAMES.has(name) ? values[name as keyof TemplateValues] : whole,
    ) as T;
  }
  if (Array.isArray(template)) {
    return template.map(v => renderTemplate(v, values)) as T;
  }
  if (template && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [k, renderTemplate(v, values)]),
    ) as T;
  }
  return template;
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
