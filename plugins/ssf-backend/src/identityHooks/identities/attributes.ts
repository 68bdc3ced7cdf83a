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

import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';

/** An identity's attributes: attribute path to value. @internal */
export type Attributes = Record<string, string>;

// A path segment that needs no brackets: what a JavaScript property access
// would accept, plus dashes (common in label and annotation keys).
const PLAIN_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function formatSegment(segment: string, first: boolean): string {
  if (PLAIN_SEGMENT.test(segment)) return first ? segment : `.${segment}`;
  return `[${JSON.stringify(segment)}]`;
}

/** The canonical path of a list of segments, e.g. `metadata.annotations["ssf.io/lifecycle"]`. @internal */
export function formatPath(segments: string[]): string {
  return segments.map((s, i) => formatSegment(s, i === 0)).join('');
}

/**
 * Parses an attribute path as written by a person: dotted names with
 * bracketed keys, quoted or not (`metadata.annotations[ssf.io/lifecycle]`,
 * `metadata.annotations["ssf.io/lifecycle"]`, `spec.profile.email`), into
 * its canonical form, so hooks and snapshots compare paths as strings.
 *
 * @internal
 */
export function canonicalPath(path: string): string {
  const segments: string[] = [];
  let rest = path.trim();
  if (!rest) throw new InputError('The attribute path is empty');
  while (rest.length) {
    if (rest.startsWith('[')) {
      const quoted = /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
      const bare = /^\[([^\]"]+)\]/.exec(rest);
      const match = quoted ?? bare;
      if (!match) {
        throw new InputError(
          `The attribute path ${JSON.stringify(
            path,
          )} has an unclosed or empty [ ]`,
        );
      }
      segments.push(quoted ? JSON.parse(`"${match[1]}"`) : match[1].trim());
      rest = rest.slice(match[0].length);
    } else {
      if (segments.length) {
        if (!rest.startsWith('.')) {
          throw new InputError(
            `The attribute path ${JSON.stringify(
              path,
            )} needs a "." or "[" before ${JSON.stringify(rest)}`,
          );
        }
        rest = rest.slice(1);
      }
      const match = /^[^.[\]]+/.exec(rest);
      if (!match) {
        throw new InputError(
          `The attribute path ${JSON.stringify(path)} has an empty segment`,
        );
      }
      segments.push(match[0]);
      rest = rest.slice(match[0].length);
    }
  }
  return formatPath(segments);
}

// Parts of an entity that change without the identity changing.
const IGNORED_METADATA = new Set(['uid', 'etag', 'generation']);

function flatten(value: unknown, segments: string[], into: Attributes) {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    // A list of plain values (memberOf, tags) is one attribute: its sorted
    // members joined by commas, so reordering is not a change and a pattern
    // can look for one member.
    if (value.every(v => typeof v !== 'object' || v === null)) {
      if (value.length) {
        into[formatPath(segments)] = value.map(String).sort().join(',');
      }
      return;
    }
    value.forEach((v, i) => flatten(v, [...segments, String(i)], into));
    return;
  }
  if (typeof value === 'object') {
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, [...segments, key], into);
    }
    return;
  }
  into[formatPath(segments)] = String(value);
}

/**
 * The attributes of a User entity that lifecycle hooks can watch: every
 * value under `metadata` (but its uid, etag and generation) and `spec`, and
 * `relations.memberOf` (the groups a user belongs to, whichever side
 * declared the membership).
 *
 * @internal
 */
export function entityAttributes(entity: Entity): Attributes {
  const attributes: Attributes = {};
  const metadata = Object.fromEntries(
    Object.entries(entity.metadata).filter(([k]) => !IGNORED_METADATA.has(k)),
  );
  flatten(metadata, ['metadata'], attributes);
  flatten(entity.spec, ['spec'], attributes);
  const memberOf = (entity.relations ?? [])
    .filter(r => r.type === 'memberOf')
    .map(r => r.targetRef);
  flatten(memberOf, ['relations', 'memberOf'], attributes);
  return attributes;
}

/** A stable digest of a set of attributes. @internal */
export function hashAttributes(attributes: Attributes): string {
  // One string, one native call: this runs for every user on every
  // reconciliation, and per-attribute updates were most of its cost.
  let text = '';
  for (const key of Object.keys(attributes).sort()) {
    text += `${key}\0${attributes[key]}\0`;
  }
  return createHash('sha256').update(text).digest('hex');
}
