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

import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import {
  streamWantsSubject,
  subjectCovers,
  subjectKey,
} from './subjectMatching';

const alice: SubjectIdentifier = {
  format: 'email',
  email: 'alice@example.com',
};
const aliceUpper: SubjectIdentifier = {
  format: 'email',
  email: 'Alice@Example.com',
};
const bob: SubjectIdentifier = { format: 'email', email: 'bob@example.com' };
const aliceIssSub: SubjectIdentifier = {
  format: 'iss_sub',
  iss: 'https://idp.example.com',
  sub: 'a1',
};
const laptop: SubjectIdentifier = { format: 'opaque', id: 'device-7' };
const tenant: SubjectIdentifier = { format: 'opaque', id: 'tenant-1' };

const complex = (members: Record<string, SubjectIdentifier>) =>
  ({ format: 'complex', ...members } as SubjectIdentifier);
const aliceOnLaptop = complex({ user: alice, device: laptop });

const aliases: SubjectIdentifier = {
  format: 'aliases',
  identifiers: [aliceIssSub, alice],
};
const aliceOnly = complex({ user: alice });
const aliceInTenant = complex({ user: alice, tenant });

/** A case: what it is, the listed subject, the event's, whether it covers it. */
type Coverage = [string, SubjectIdentifier, SubjectIdentifier, boolean];

/** The cases of each rule of subjectCovers. */
const COVERAGE: Record<string, Coverage[]> = {
  'matches identical simple subjects only': [
    ['the same email in another case', alice, aliceUpper, true],
    ['another email', alice, bob, false],
    ['another format for the same person', alice, aliceIssSub, false],
    [
      'an opaque id in another case',
      { format: 'opaque', id: 'x' },
      { format: 'opaque', id: 'X' },
      false,
    ],
  ],
  'matches aliases through any identifier': [
    ['aliases listed, one of them the event’s', aliases, alice, true],
    ['one identifier listed, aliases in the event', alice, aliases, true],
    ['aliases none of which is the event’s', aliases, bob, false],
  ],
  'matches complex subjects member by member': [
    ['a member absent from the listed one', aliceOnly, aliceOnLaptop, true],
    ['another user', aliceOnly, complex({ user: bob, device: laptop }), false],
    ['the listed member absent', aliceOnly, complex({ device: laptop }), false],
    [
      'every member the same',
      aliceInTenant,
      complex({ user: alice, tenant }),
      true,
    ],
    ['a listed member absent', aliceInTenant, aliceOnly, false],
    ['a simple subject in the event', aliceOnly, alice, false],
  ],
  'lets a listed simple subject cover a complex subject containing it': [
    ['its user', alice, aliceOnLaptop, true],
    ['its device', laptop, aliceOnLaptop, true],
    ['none of its members', bob, aliceOnLaptop, false],
  ],
};

describe('subject matching (SSF 1.0 §8.1.3.1)', () => {
  it('keys an email the same whatever its case', () => {
    expect(subjectKey(alice)).toBe(subjectKey(aliceUpper));
  });

  it.each(
    Object.entries(COVERAGE).flatMap(([rule, cases]) =>
      cases.map(([what, ...rest]): Coverage => [`${rule}: ${what}`, ...rest]),
    ),
  )('%s', (_, listed, event, covers) => {
    expect(subjectCovers(listed, event)).toBe(covers);
  });

  const aliceAdded = [{ subject: alice, included: true }];
  const aliceRemoved = [{ subject: alice, included: false }];
  it.each<
    [
      string,
      'ALL' | 'NONE',
      Array<{ subject: SubjectIdentifier; included: boolean }>,
      SubjectIdentifier,
      boolean,
    ]
  >([
    ['ALL, nothing listed', 'ALL', [], alice, true],
    ['ALL, the subject removed', 'ALL', aliceRemoved, alice, false],
    ['ALL, another subject removed', 'ALL', aliceRemoved, bob, true],
    ['NONE, nothing listed', 'NONE', [], alice, false],
    [
      'NONE, the subject added (in another case)',
      'NONE',
      aliceAdded,
      aliceUpper,
      true,
    ],
    ['NONE, the subject removed', 'NONE', aliceRemoved, alice, false],
  ])(
    'decides per stream from default_subjects and the explicit entries: %s',
    (_, defaults, entries, subject, wanted) => {
      expect(streamWantsSubject(defaults, entries, subject)).toBe(wanted);
    },
  );
});
