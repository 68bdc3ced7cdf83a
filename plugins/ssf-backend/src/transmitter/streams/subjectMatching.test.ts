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

describe('subject matching (SSF 1.0 §8.1.3.1)', () => {
  it('matches identical simple subjects, emails case-insensitively', () => {
    expect(subjectCovers(alice, aliceUpper)).toBe(true);
    expect(subjectKey(alice)).toBe(subjectKey(aliceUpper));
    expect(subjectCovers(alice, bob)).toBe(false);
    expect(subjectCovers(alice, aliceIssSub)).toBe(false);
    expect(
      subjectCovers(
        { format: 'opaque', id: 'x' },
        { format: 'opaque', id: 'X' },
      ),
    ).toBe(false);
  });

  it('matches aliases through any identifier', () => {
    const aliases: SubjectIdentifier = {
      format: 'aliases',
      identifiers: [aliceIssSub, alice],
    };
    expect(subjectCovers(aliases, alice)).toBe(true);
    expect(subjectCovers(alice, aliases)).toBe(true);
    expect(subjectCovers(aliases, bob)).toBe(false);
  });

  it('matches complex subjects member by member, an absent member matching anything', () => {
    const listed: SubjectIdentifier = { format: 'complex', user: alice };
    expect(
      subjectCovers(listed, { format: 'complex', user: alice, device: laptop }),
    ).toBe(true);
    expect(
      subjectCovers(listed, { format: 'complex', user: bob, device: laptop }),
    ).toBe(false);
    expect(subjectCovers(listed, { format: 'complex', device: laptop })).toBe(
      false,
    );
    const both: SubjectIdentifier = { format: 'complex', user: alice, tenant };
    expect(
      subjectCovers(both, { format: 'complex', user: alice, tenant }),
    ).toBe(true);
    expect(subjectCovers(both, { format: 'complex', user: alice })).toBe(false);
    expect(subjectCovers(listed, alice)).toBe(false);
  });

  it('lets a listed simple subject cover an event about a complex subject containing it', () => {
    expect(
      subjectCovers(alice, { format: 'complex', user: alice, device: laptop }),
    ).toBe(true);
    expect(
      subjectCovers(laptop, { format: 'complex', user: alice, device: laptop }),
    ).toBe(true);
    expect(
      subjectCovers(bob, { format: 'complex', user: alice, device: laptop }),
    ).toBe(false);
  });

  it('decides per stream from default_subjects and the explicit entries', () => {
    expect(streamWantsSubject('ALL', [], alice)).toBe(true);
    expect(
      streamWantsSubject('ALL', [{ subject: alice, included: false }], alice),
    ).toBe(false);
    expect(
      streamWantsSubject('ALL', [{ subject: alice, included: false }], bob),
    ).toBe(true);
    expect(streamWantsSubject('NONE', [], alice)).toBe(false);
    expect(
      streamWantsSubject(
        'NONE',
        [{ subject: alice, included: true }],
        aliceUpper,
      ),
    ).toBe(true);
    expect(
      streamWantsSubject('NONE', [{ subject: alice, included: false }], alice),
    ).toBe(false);
  });
});
