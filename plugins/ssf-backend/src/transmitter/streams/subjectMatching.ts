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
  COMPLEX_SUBJECT_MEMBERS,
  SubjectIdentifier,
} from '@shared-signals/plugin-ssf-common';
import { createHash } from 'node:crypto';

type Subject = SubjectIdentifier & Record<string, unknown>;

/**
 * A stable form of a subject identifier: members in sorted order, email
 * addresses lower-cased (mailboxes are matched case-insensitively in practice).
 *
 * @internal
 */
export function canonicalSubject(subject: SubjectIdentifier): string {
  return JSON.stringify(normalise(subject));
}

/** A bounded key for storing and looking up a subject. @internal */
export function subjectKey(subject: SubjectIdentifier): string {
  return createHash('sha256').update(canonicalSubject(subject)).digest('hex');
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(normalise);
  }
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(object).sort()) {
      out[key] =
        key === 'email' && typeof object[key] === 'string'
          ? (object[key] as string).toLowerCase()
          : normalise(object[key]);
    }
    return out;
  }
  return value;
}

/** The simple identifiers a subject stands for (aliases expanded). */
function identities(subject: Subject): string[] {
  if (subject.format === 'aliases') {
    return (subject.identifiers as Subject[]).map(canonicalSubject);
  }
  return [canonicalSubject(subject)];
}

/**
 * Whether a subject listed on a stream covers the subject of an event, per
 * SSF 1.0 §8.1.3.1: simple subjects match when identical (an alias list
 * matches through any of its identifiers); a listed complex subject matches
 * an event's complex subject when every member it names matches, an absent
 * member matching anything; a listed simple subject matches an event's
 * complex subject through any of its members.
 *
 * @internal
 */
export function subjectCovers(
  listed: SubjectIdentifier,
  event: SubjectIdentifier,
): boolean {
  const l = listed as Subject;
  const e = event as Subject;
  if (l.format === 'complex') {
    if (e.format !== 'complex') {
      return false;
    }
    return COMPLEX_SUBJECT_MEMBERS.every(member => {
      const wanted = l[member] as Subject | undefined;
      const got = e[member] as Subject | undefined;
      return !wanted || (got !== undefined && overlaps(wanted, got));
    });
  }
  if (e.format === 'complex') {
    return COMPLEX_SUBJECT_MEMBERS.some(member => {
      const got = e[member] as Subject | undefined;
      return got !== undefined && overlaps(l, got);
    });
  }
  return overlaps(l, e);
}

function overlaps(a: Subject, b: Subject): boolean {
  const ids = new Set(identities(a));
  return identities(b).some(id => ids.has(id));
}

/** An explicit subject entry of a stream. @internal */
export interface StreamSubjectEntry {
  subject: SubjectIdentifier;
  /** true: added with subjects:add; false: removed with subjects:remove. */
  included: boolean;
}

/**
 * Whether a stream carries events about `event`: with default subjects ALL,
 * unless a removed entry covers it; with NONE, only when an added entry does.
 *
 * @internal
 */
export function streamWantsSubject(
  defaultSubjects: 'ALL' | 'NONE',
  entries: StreamSubjectEntry[],
  event: SubjectIdentifier,
): boolean {
  if (defaultSubjects === 'ALL') {
    return !entries.some(e => !e.included && subjectCovers(e.subject, event));
  }
  return entries.some(e => e.included && subjectCovers(e.subject, event));
}
