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

import { ConfigReader } from '@backstage/config';
import { readPeopleConfig, DEFAULT_NOTIFIED_EVENT_TYPES } from './config';
import {
  identifiersNamedBy,
  PersonIdentifier,
  personKey,
  userIdentities,
} from './identifiers';
import { reasonOf } from './reasons';
import { PEOPLE, IDP_USER_ID } from './__testUtils__/people';

const IDP = 'https://idp.example.com';
const email = (e: string): PersonIdentifier => ({ format: 'email', email: e });
const issSub = (iss: string, sub: string): PersonIdentifier => ({
  format: 'iss_sub',
  iss,
  sub,
});

describe('who a SET names', () => {
  it.each([
    // RFC 9493 §3.2.2 email and §3.2.6 iss_sub.
    ['an email', email('a@example.com'), [email('a@example.com')]],
    ['an iss_sub', issSub(IDP, 'u1'), [issSub(IDP, 'u1')]],
    // RFC 9493 §3.2.3 aliases: every identifier that names a person.
    [
      'aliases',
      {
        format: 'aliases',
        identifiers: [
          email('a@example.com'),
          { format: 'phone_number', phone_number: '+12065550100' },
          issSub(IDP, 'u1'),
        ],
      },
      [email('a@example.com'), issSub(IDP, 'u1')],
    ],
    // SSF 1.0 §3.3 complex: only the user member names a person.
    [
      'a complex subject',
      {
        format: 'complex',
        user: email('a@example.com'),
        tenant: email('tenant-admin@example.com'),
      },
      [email('a@example.com')],
    ],
    // Okta's complex subject without a format (receiver's normalisation).
    [
      'a complex subject without a format',
      { user: issSub(IDP, 'u1'), session: { format: 'opaque', id: 's' } },
      [issSub(IDP, 'u1')],
    ],
    // Google RISC: subject_type and the draft's iss-sub (RISC 1.0 §3).
    [
      "Google's iss-sub",
      { subject_type: 'iss-sub', iss: IDP, sub: 'u1' },
      [issSub(IDP, 'u1')],
    ],
    // The draft's id_token_claims: both identifiers.
    [
      'id_token_claims',
      {
        subject_type: 'id_token_claims',
        iss: IDP,
        sub: 'u1',
        email: 'a@example.com',
      },
      [issSub(IDP, 'u1'), email('a@example.com')],
    ],
    ['a device', { format: 'opaque', id: 'laptop' }, []],
    ['an email with no address', { format: 'email' }, []],
    ['no subject', undefined, []],
  ])('%s', (_what, subject, expected) => {
    expect(identifiersNamedBy(subject)).toEqual(expected);
  });

  it('keys an email address case-insensitively, an iss_sub exactly', () => {
    expect(personKey(email('Jane@Example.COM'))).toBe(
      personKey(email('jane@example.com')),
    );
    expect(personKey(issSub(IDP, 'U1'))).not.toBe(personKey(issSub(IDP, 'u1')));
    expect(personKey(issSub(IDP, 'u1'))).not.toBe(
      personKey(issSub(`${IDP}/`, 'u1')),
    );
  });
});

describe('a user’s identities', () => {
  const [jane, , bob] = PEOPLE;

  it('are the profile email, our lifecycle iss_sub and each configured issuer’s annotation', () => {
    const issuers = [
      { issuer: IDP, annotation: IDP_USER_ID },
      {
        issuer: 'https://unused.example.com',
        annotation: 'unused.example.com/id',
      },
    ];
    expect(
      userIdentities(jane, { subjectIssuer: 'https://portal', issuers }),
    ).toEqual([
      email('Jane.Doe@example.com'),
      issSub('https://portal', 'user:default/jane.doe'),
      issSub(IDP, '00u123'),
    ]);
    // No annotation, no iss_sub of that issuer.
    expect(
      userIdentities(bob, { subjectIssuer: 'https://portal', issuers }),
    ).toEqual([
      email('bob@example.com'),
      issSub('https://portal', 'user:default/bob'),
    ]);
  });
});

describe('the reason an event gives', () => {
  it.each([
    // CAEP 1.0 §2: reason_admin before reason_user, English when offered.
    [
      {
        reason_admin: { fr: 'Pays', en: 'New country' },
        reason_user: { en: 'x' },
      },
      'New country',
    ],
    [{ reason_admin: { 'en-GB': 'Colour' } }, 'Colour'],
    [{ reason_admin: { de: 'Neues Land' } }, 'Neues Land'],
    [{ reason_user: { en: 'You signed out' } }, 'You signed out'],
    // RISC 1.0 account-disabled reason.
    [{ reason: 'hijacking' }, 'hijacking'],
    [{ reason_admin: { en: '  two\n lines ' } }, 'two lines'],
    [{ reason: '' }, undefined],
    [{}, undefined],
  ])('%j → %p', (payload, expected) => {
    expect(reasonOf({ 'urn:t': payload }, 'urn:t')).toBe(expected);
  });

  it('is cut to a readable length and absent for another type', () => {
    const long = reasonOf({ 'urn:t': { reason: 'x'.repeat(600) } }, 'urn:t');
    expect(long).toHaveLength(501);
    expect(reasonOf({ 'urn:t': { reason: 'r' } }, 'urn:other')).toBeUndefined();
    expect(reasonOf('not events', 'urn:t')).toBeUndefined();
  });
});

describe('ssf.people', () => {
  const read = (people: object) =>
    readPeopleConfig(new ConfigReader({ ssf: { people } }));

  it('is off by default, telling of the three events when on', () => {
    expect(readPeopleConfig(new ConfigReader({}))).toEqual({
      identities: [],
      notifications: {
        enabled: false,
        eventTypes: [...DEFAULT_NOTIFIED_EVENT_TYPES],
        groups: true,
      },
    });
    expect(DEFAULT_NOTIFIED_EVENT_TYPES).toEqual([
      'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
      'https://schemas.openid.net/secevent/risc/event-type/credential-compromise',
      'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
    ]);
  });

  it.each([
    [
      { identities: [{ issuer: ' ', annotation: 'a/b' }] },
      /identities\[0\]\.issuer is empty/,
    ],
    [
      { identities: [{ issuer: IDP, annotation: 'not an/annotation key' }] },
      /is not an annotation key/,
    ],
    [{ identities: [{ annotation: 'a/b' }] }, /issuer/],
    [
      { notifications: { eventTypes: ['session-revoked'] } },
      /not an event type URI/,
    ],
    [{ notifications: { enabled: 'yes please' } }, /enabled/],
  ])('refuses %j', (people, message) => {
    expect(() => read(people)).toThrow(message);
  });
});
