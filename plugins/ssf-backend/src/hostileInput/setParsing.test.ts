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

import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import {
  addProvider,
  push,
  startReceiverBackend,
} from '../receiver/__testUtils__/receiverBackend';
import {
  SESSION_REVOKED,
  STREAM_UPDATED,
  TestTransmitter,
  VERIFICATION,
  useTestTransmitter,
} from '../receiver/__testUtils__/testTransmitter';

jest.setTimeout(120_000);

// Hostile SETs pushed to the unauthenticated ingestion route (RFC 8935): each
// is answered 400 `{err, description}` (RFC 8935 §2.3), never a 5xx (which a
// transmitter retries forever), and nothing is stored. Those refused for
// their header are refused before the provider's keys are fetched.

const MAX_SET_BYTES = 64 * 1024;

const b64url = (value: string) => Buffer.from(value).toString('base64url');

/** A compact JWS from a raw header and payload, with a junk signature. */
const unsigned = (header: string, payload: string) =>
  `${b64url(header)}.${b64url(payload)}.${b64url('not a signature')}`;

type Case = [
  what: string,
  make: (t: TestTransmitter) => Promise<string> | string,
  err: string,
  /** Refused on its header alone, before any key is fetched. */
  beforeKeys: boolean,
];

const CASES: Case[] = [
  // RFC 7797 §3, §5: b64 false means the payload stands unencoded in the
  // compact form. The probe's SET: the base64url text of real claims, so
  // that the claims read before verification look fine, while the signed
  // bytes are that text and not the claims set (RFC 7519 §3).
  [
    'b64: false with the encoded claims inline',
    t =>
      t.signCompact(
        b64url(JSON.stringify(t.claims())),
        { b64: false, crit: ['b64'] },
        { payloadEncoded: false },
      ),
    'invalid_request',
    true,
  ],
  [
    'b64: false with raw JSON inline',
    t =>
      t.signCompact(
        JSON.stringify({ iss: t.issuer }),
        { b64: false, crit: ['b64'] },
        { payloadEncoded: false },
      ),
    'invalid_request',
    true,
  ],
  [
    'b64: true listed in crit',
    t =>
      t.signCompact(JSON.stringify(t.claims()), { b64: true, crit: ['b64'] }),
    'invalid_request',
    true,
  ],
  [
    'b64 without crit',
    t => t.signCompact(JSON.stringify(t.claims()), { b64: false }),
    'invalid_request',
    true,
  ],
  // RFC 7515 §4.1.11: a crit listing extensions the recipient does not
  // understand, or that is not a non-empty array of names, makes the JWS
  // invalid.
  [
    'an unknown crit extension',
    t =>
      t.signCompact(JSON.stringify(t.claims()), {
        crit: ['http://example.com/ext'],
        'http://example.com/ext': true,
      }),
    'invalid_request',
    true,
  ],
  [
    'an empty crit',
    t => t.signCompact(JSON.stringify(t.claims()), { crit: [] }),
    'invalid_request',
    true,
  ],
  [
    'a crit that is not an array',
    t => t.signCompact(JSON.stringify(t.claims()), { crit: 'b64' }),
    'invalid_request',
    true,
  ],
  [
    'a crit of objects with toString',
    t =>
      t.signCompact(JSON.stringify(t.claims()), {
        crit: [{ toString: 1 }],
      }),
    'invalid_request',
    true,
  ],
  // A payload that verifies but is not a JSON object (RFC 7519 §7.2 step
  // 10: the claims set must be a JSON object).
  [
    'a signed payload that is not JSON',
    t => t.signCompact('definitely not JSON'),
    'invalid_request',
    false,
  ],
  [
    'a signed JSON array',
    t => t.signCompact('[1,2,3]'),
    'invalid_request',
    false,
  ],
  [
    'a signed JSON string',
    t => t.signCompact('"claims"'),
    'invalid_request',
    false,
  ],
  ['a signed null', t => t.signCompact('null'), 'invalid_request', false],
  ['an empty payload', t => t.signCompact(''), 'invalid_request', false],
  // RFC 8417 §2.3, SSF 1.0 §4.1.1: typ is secevent+jwt.
  [
    'typ JWT',
    t => t.sign({}, { header: { typ: 'JWT' } }),
    'invalid_request',
    true,
  ],
  [
    'typ at+jwt',
    t => t.sign({}, { header: { typ: 'at+jwt' } }),
    'invalid_request',
    true,
  ],
  [
    'a typ that is an object with toString',
    t => t.signCompact(JSON.stringify(t.claims()), { typ: { toString: 1 } }),
    'invalid_request',
    true,
  ],
  [
    'no typ, from a strict provider',
    t => t.sign({}, { header: { typ: undefined } }),
    'invalid_request',
    false,
  ],
  // RFC 7518 §3.1 algorithms; a SET is signed asymmetrically.
  [
    'alg none',
    t =>
      unsigned(
        '{"alg":"none","typ":"secevent+jwt"}',
        JSON.stringify(t.claims()),
      ),
    'invalid_request',
    true,
  ],
  [
    'alg HS256',
    t =>
      unsigned(
        '{"alg":"HS256","typ":"secevent+jwt"}',
        JSON.stringify(t.claims()),
      ),
    'invalid_request',
    true,
  ],
  [
    'an alg that is an object with toString',
    t =>
      unsigned(
        '{"alg":{"toString":1},"typ":"secevent+jwt"}',
        JSON.stringify(t.claims()),
      ),
    'invalid_request',
    true,
  ],
  [
    'no alg',
    t => unsigned('{"typ":"secevent+jwt"}', JSON.stringify(t.claims())),
    'invalid_request',
    true,
  ],
  // Size: a header just under the body limit, and one over it.
  [
    'a huge header under the body limit (a crit of thousands of names)',
    t =>
      t.signCompact(JSON.stringify(t.claims()), {
        crit: Array.from({ length: 4000 }, (_, i) => `ext-${i}`),
      }),
    'invalid_request',
    true,
  ],
  [
    'a huge typ under the body limit',
    t =>
      t.signCompact(JSON.stringify(t.claims()), {
        typ: 't'.repeat(40 * 1024),
      }),
    'invalid_request',
    true,
  ],
  [
    'a huge unknown kid under the body limit',
    t => t.sign({}, { header: { kid: 'k'.repeat(40 * 1024) } }),
    'invalid_key',
    false,
  ],
  [
    'a header over the body limit',
    t =>
      t.signCompact(JSON.stringify(t.claims()), {
        'x-padding': 'x'.repeat(MAX_SET_BYTES),
      }),
    'invalid_request',
    true,
  ],
  [
    'a deeply nested header',
    t =>
      unsigned(
        `{"alg":"RS256","typ":"secevent+jwt","x":${'['.repeat(
          5000,
        )}${']'.repeat(5000)}}`,
        JSON.stringify(t.claims()),
      ),
    'invalid_key',
    false,
  ],
  // Malformed compact serializations (RFC 7515 §7.1: three base64url parts).
  ['one part', () => 'abc', 'invalid_request', true],
  ['two parts', () => 'abc.def', 'invalid_request', true],
  ['four parts', () => 'a.b.c.d', 'invalid_request', true],
  ['five parts (a JWE)', () => 'a.b.c.d.e', 'invalid_request', true],
  ['only dots', () => '..', 'invalid_request', true],
  ['three dots', () => '...', 'invalid_request', true],
  ['not base64url', () => '%%%.%%%.%%%', 'invalid_request', true],
  [
    'a header that is not JSON',
    t => `${b64url('{nope')}.${b64url(JSON.stringify(t.claims()))}.sig`,
    'invalid_request',
    true,
  ],
  [
    'a header that is a JSON array',
    t => `${b64url('[]')}.${b64url(JSON.stringify(t.claims()))}.sig`,
    'invalid_request',
    true,
  ],
  [
    'a header that is null',
    t => `${b64url('null')}.${b64url(JSON.stringify(t.claims()))}.sig`,
    'invalid_request',
    true,
  ],
  [
    'an empty header',
    t => `.${b64url(JSON.stringify(t.claims()))}.sig`,
    'invalid_request',
    true,
  ],
  [
    'an empty signature',
    t =>
      `${t.signCompact(JSON.stringify(t.claims())).replace(/\.[^.]+$/, '.')}`,
    'invalid_key',
    false,
  ],
  ['unicode in every part', () => '💥.\u202e.\u0000', 'invalid_request', true],
  [
    'claims that are not base64url',
    () => `${b64url('{"alg":"RS256","typ":"secevent+jwt"}')}.*!*.sig`,
    'invalid_request',
    true,
  ],
  [
    'an iss that is an object with toString',
    t => t.signCompact(JSON.stringify(t.claims({ iss: { toString: 1 } }))),
    'invalid_request',
    true,
  ],
  // Text PostgreSQL cannot store or compare (NUL), in what is looked up
  // or stored as the SET's identity (RFC 7519 §4.1.1, §4.1.7).
  [
    'an iss with NUL',
    t =>
      unsigned(
        '{"alg":"RS256","typ":"secevent+jwt"}',
        JSON.stringify(t.claims({ iss: `${t.issuer}\u0000` })),
      ),
    'invalid_request',
    true,
  ],
  [
    'a jti with NUL',
    t => t.signCompact(JSON.stringify(t.claims({ jti: 'a\u0000b' }))),
    'invalid_request',
    false,
  ],
  [
    'a jti with an unpaired surrogate',
    t => t.signCompact(JSON.stringify(t.claims({ jti: 'a\ud800b' }))),
    'invalid_request',
    false,
  ],
];

describeOnEachDatabase('hostile SETs', (databases, id) => {
  let transmitter: TestTransmitter;
  useTestTransmitter(t => (transmitter = t));

  it('answers every malformed SET with 400 {err, description}, stores nothing, and refuses bad headers before fetching keys', async () => {
    const { server, knex } = await startReceiverBackend({
      databases,
      id,
      receiver: {
        maxSetBytes: MAX_SET_BYTES,
        keys: { refetchCooldown: { seconds: 0 } },
      },
    });
    await addProvider(server, transmitter);

    const failures: string[] = [];
    // Those refused on their header first, while the provider's keys have
    // never been fetched: none of them may fetch them.
    const ordered = [...CASES.filter(c => c[3]), ...CASES.filter(c => !c[3])];
    for (const [what, make, err, beforeKeys] of ordered) {
      const res = await push(server, await make(transmitter));
      if (beforeKeys && transmitter.jwksRequests > 0) {
        failures.push(`${what}: fetched the provider's keys`);
      }
      if (res.status !== 400 || res.body?.err !== err) {
        failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`);
        continue;
      }
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(res.body).sort()).toEqual(['description', 'err']);
      expect(typeof res.body.description).toBe('string');
      expect(res.body.description.length).toBeLessThan(1024);
    }
    expect(failures).toEqual([]);
    expect(await rowCount(knex, 'ssf_received_events')).toBe(0);
  });

  it('answers hostile claims in a SET that verifies with a 2xx or a 400, never a 5xx', async () => {
    const { server } = await startReceiverBackend({ databases, id });
    await addProvider(server, transmitter);
    // Extra members as JSON text, appended to valid claims (a later
    // member replaces an earlier one of the same name, as JSON.parse does),
    // so that __proto__ is an own member as a hostile sender writes it.
    const hostile = [
      // Members whose toString is not a function: String() or join() on
      // them throws.
      '"sub_id":{"format":"ip-addresses","ip_addresses":[{"toString":1},"10.0.0.1"]}',
      `"sub_id":null,"events":{"${SESSION_REVOKED}":{"subject":{"format":"ip-addresses","ip_addresses":[{"toString":1}]}}}`,
      '"txn":{"toString":1}',
      '"aud":[{"toString":1}]',
      '"jti":{"toString":1}',
      '"iat":{"valueOf":1}',
      `"events":{"${STREAM_UPDATED}":{"status":{"toString":1},"reason":{"toString":1}}}`,
      `"events":{"${VERIFICATION}":{"state":{"toString":1}}}`,
      '"sub_id":{"format":{"toString":1},"email":"a@example.com"}',
      '"sub_id":{"format":"complex","user":{"toString":1}}',
      '"sub_id":{"format":"aliases","identifiers":[{"toString":1},"x",null]}',
      '"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}',
      '"events":{"__proto__":{"toString":1}}',
      '"events":{"constructor":{}},"sub_id":{"format":"email","email":"\\u0000"}',
      '"txn":"\\u0000\\ud800","jti":"nul-\\u0000"',
    ];
    const failures: string[] = [];
    for (const extra of hostile) {
      const claims = JSON.stringify(transmitter.claims()).replace(
        /}$/,
        `,${extra}}`,
      );
      JSON.parse(claims); // the test's own JSON is well-formed
      const res = await push(server, transmitter.signCompact(claims));
      if (res.status !== 202 && res.status !== 400) {
        failures.push(`${extra}: ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
