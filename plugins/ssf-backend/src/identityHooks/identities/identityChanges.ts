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
import {
  SubjectIdentifier,
  subjectSchema,
} from '@shared-signals/plugin-ssf-common';
import { SsfIdentityChange } from '@shared-signals/plugin-ssf-node';
import { z } from 'zod';
import { parseInput } from '../../http/validation';
import { canonicalSubject, subjectKey } from '../../transmitter';
import { IdentityUpdate } from '../IdentityHookEngine';
import { canonicalPath } from './attributes';
import { patchAttributes } from './diff';

/** The most identity changes one request may carry. @internal */
export const MAX_IDENTITY_CHANGES = 1000;

const attributePath = z.string().min(1).max(512);
const attributeValue = z.string().max(4096);

/** Attribute values by path, as a source reports a state. @internal */
export const attributeValuesSchema = z.record(attributePath, attributeValue);

/** New attribute values by path; null removes one. @internal */
export const attributeChangesSchema = z.record(
  attributePath,
  attributeValue.nullable(),
);

const attributeValues = attributeChangesSchema
  .refine(a => Object.keys(a).length > 0, {
    message: 'name at least one attribute',
  })
  .refine(a => Object.keys(a).length <= 200, {
    message: 'at most 200 attributes per change',
  });

/** One identity change on the wire. @internal */
export const identityChangeSchema = z
  .strictObject({
    subject: subjectSchema,
    attributes: attributeValues.optional(),
    removed: z.literal(true).optional(),
    observed_at: z.iso.datetime({ offset: true }).optional(),
  })
  .refine(c => (c.attributes === undefined) !== (c.removed === undefined), {
    message: 'give either attributes or removed: true',
  });

/** `POST /identity-changes`. @internal */
export const identityChangesBody = z.strictObject({
  changes: z.array(identityChangeSchema).min(1).max(MAX_IDENTITY_CHANGES),
});

/**
 * The identity of a subject from a source other than the catalog: its email
 * when it has one (readable in the firings), else its canonical form.
 *
 * @internal
 */
export function subjectIdentity(subject: SubjectIdentifier): string {
  if (subject.format === 'email' && typeof subject.email === 'string') {
    return `email:${subject.email.toLocaleLowerCase('en-US')}`;
  }
  const canonical = canonicalSubject(subject);
  return canonical.length <= 400
    ? `subject:${canonical}`
    : `subject:sha256:${subjectKey(subject)}`;
}

/**
 * An identity change from a source other than the catalog, as an update for
 * the engine: the named attributes patched over the last seen ones (paths
 * made canonical), or the identity removed.
 *
 * @internal
 */
export function toIdentityUpdate(
  change: SsfIdentityChange,
  source: string,
): IdentityUpdate {
  const subject = parseInput(subjectSchema, change.subject, 'subject');
  let patch: Record<string, string | null> | undefined;
  if (change.attributes) {
    patch = {};
    for (const [path, value] of Object.entries(change.attributes)) {
      patch[canonicalPath(path)] = value;
    }
  } else if (!change.removed) {
    throw new InputError('An identity change needs attributes or removed');
  }
  return {
    identity: subjectIdentity(subject),
    source,
    subject,
    unknownIsEmpty: true,
    next: before => (patch ? patchAttributes(before, patch) : undefined),
    observedAt: change.observedAt ?? new Date(),
  };
}

/** The wire form of a change, as the sink takes it. @internal */
export function fromWire(
  change: z.infer<typeof identityChangeSchema>,
): SsfIdentityChange {
  return {
    subject: change.subject,
    ...(change.attributes && { attributes: change.attributes }),
    ...(change.removed && { removed: true }),
    ...(change.observed_at && { observedAt: new Date(change.observed_at) }),
  };
}
