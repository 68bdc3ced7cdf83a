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

import { CAEP_COMPLEX_SUB_ID } from '../__testUtils__/publishedExamples';
import { normaliseSubject, setSubject } from './subjects';

const EVENT = 'https://schemas.openid.net/secevent/risc/event-type/x';

describe('normaliseSubject', () => {
  it.each([
    // draft-ietf-secevent-subject-identifiers-02 §2, its examples verbatim.
    [
      'iss-sub (draft §2 "Issuer and Subject")',
      {
        subject_type: 'iss-sub',
        iss: 'http://issuer.example.com/',
        sub: '145234573',
      },
      {
        format: 'iss_sub',
        iss: 'http://issuer.example.com/',
        sub: '145234573',
      },
    ],
    [
      'phone (draft §2 "Phone Number", member phone)',
      { subject_type: 'phone', phone: '+12065550100' },
      { format: 'phone_number', phone_number: '+12065550100' },
    ],
    [
      'email (draft §2 "Email")',
      { subject_type: 'email', email: 'user@example.com' },
      { format: 'email', email: 'user@example.com' },
    ],
    [
      'account (draft-03 "Account")',
      { subject_type: 'account', uri: 'acct:example.user@service.example.com' },
      { format: 'account', uri: 'acct:example.user@service.example.com' },
    ],
    // draft-ietf-secevent-subject-identifiers-00 "ID Token Claims" example,
    // the type Google's RISC names `id_token_claims` ("it might also include
    // an email field", developers.google.com/identity/protocols/risc).
    [
      'id_token_claims with sub and email',
      {
        subject_type: 'id_token_claims',
        iss: 'http://issuer.example.com/',
        sub: '145234573',
        email: 'user@example.com',
      },
      {
        format: 'aliases',
        identifiers: [
          {
            format: 'iss_sub',
            iss: 'http://issuer.example.com/',
            sub: '145234573',
          },
          { format: 'email', email: 'user@example.com' },
        ],
      },
    ],
    [
      'id_token_claims with only an email',
      { subject_type: 'id_token_claims', email: 'user@example.com' },
      { format: 'email', email: 'user@example.com' },
    ],
    [
      'aliases of legacy identifiers (draft §2 "Aliases")',
      {
        subject_type: 'aliases',
        identifiers: [
          { subject_type: 'email', email: 'user@example.com' },
          { subject_type: 'phone', phone: '+12065550100' },
        ],
      },
      {
        format: 'aliases',
        identifiers: [
          { format: 'email', email: 'user@example.com' },
          { format: 'phone_number', phone_number: '+12065550100' },
        ],
      },
    ],
    // RISC 1.0 §3 "Google Subject Type Value": a workaround must keep working
    // once Google sends `format`, so `format` wins.
    [
      'format and subject_type both present',
      {
        format: 'iss_sub',
        subject_type: 'iss-sub',
        iss: 'https://i',
        sub: 's',
      },
      { format: 'iss_sub', iss: 'https://i', sub: 's' },
    ],
    // Okta's SecurityEventSubject: {user, device} without format
    // (developer.okta.com/docs/api/openapi/okta-management/management/tag/SSFSecurityEventToken/).
    [
      'a complex subject without format (Okta)',
      {
        device: { format: 'opaque', id: 'device-identifier-001' },
        user: { format: 'email', email: 'john@doe.net' },
      },
      {
        format: 'complex',
        device: { format: 'opaque', id: 'device-identifier-001' },
        user: { format: 'email', email: 'john@doe.net' },
      },
    ],
    [
      'a complex subject with legacy members',
      {
        format: 'complex',
        user: { subject_type: 'iss-sub', iss: 'https://i', sub: 's' },
      },
      {
        format: 'complex',
        user: { format: 'iss_sub', iss: 'https://i', sub: 's' },
      },
    ],
    [
      'an RFC 9493 subject, unchanged',
      { format: 'opaque', id: 'abc' },
      { format: 'opaque', id: 'abc' },
    ],
    [
      'an unknown format, kept',
      { subject_type: 'oauth_token', token_type: 'refresh_token', token: 't' },
      { format: 'oauth_token', token_type: 'refresh_token', token: 't' },
    ],
  ])('%s', (_what, raw, expected) => {
    expect(normaliseSubject(raw)).toEqual(expected);
  });

  it.each([
    ['not an object', 'alice'],
    ['no format at all', { email: 'a@example.com' }],
    ['an empty complex subject', { format: 'complex' }],
    ['aliases without identifiers', { format: 'aliases', identifiers: [] }],
  ])('gives nothing for %s', (_what, raw) => {
    expect(normaliseSubject(raw)).toBeUndefined();
  });
});

describe('setSubject', () => {
  it('prefers the top-level sub_id (SSF 1.0 §3.1) and publishes it as sent', () => {
    const subId = { format: 'email', email: 'top@example.com' };
    expect(
      setSubject(
        { sub_id: subId },
        {
          [EVENT]: {
            subject: { subject_type: 'email', email: 'inner@example.com' },
          },
        },
      ),
    ).toEqual({ subId, index: { format: 'email', value: 'top@example.com' } });
  });

  it("indexes a complex subject's user, whatever the member order (CAEP 1.0 §3.1 example)", () => {
    const sub_id = CAEP_COMPLEX_SUB_ID;
    expect(setSubject({ sub_id }, { [EVENT]: {} })?.index).toEqual({
      format: 'iss_sub',
      value: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
    });
  });

  it('takes the principal of the first event subject, normalised', () => {
    expect(
      setSubject(
        {},
        {
          [EVENT]: {
            subject: {
              device: { format: 'opaque', id: 'd-1' },
              session: { format: 'opaque', id: 's-1' },
            },
          },
        },
      ),
    ).toEqual({
      subId: { format: 'opaque', id: 'd-1' },
      index: { format: 'opaque', value: 'd-1' },
    });
    expect(
      setSubject(
        {},
        {
          [EVENT]: {
            subject: {
              subject_type: 'id_token_claims',
              iss: 'i',
              sub: 's',
              email: 'e@x',
            },
          },
        },
      ),
    ).toEqual({
      subId: {
        format: 'aliases',
        identifiers: [
          { format: 'iss_sub', iss: 'i', sub: 's' },
          { format: 'email', email: 'e@x' },
        ],
      },
      index: { format: 'iss_sub', value: 's' },
    });
  });

  it('has no subject when neither sub_id nor an event subject is there', () => {
    expect(setSubject({}, { [EVENT]: { state: 'x' } })).toBeUndefined();
  });
});
