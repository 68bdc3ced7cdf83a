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

import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { userAuth } from '../../__testUtils__/testBackend';
import {
  addProvider,
  push,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import { TestTransmitter } from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

const BASE = '/api/ssf/security-events-providers';
const ADMIN = userAuth();
const ACCOUNT_DISABLED =
  'https://schemas.openid.net/secevent/risc/event-type/account-disabled';

/**
 * Google's RISC token as "2. Handle security events" shows it
 * (https://developers.google.com/identity/protocols/risc): the page names no
 * `typ` header (step 1 of "Decode and validate" reads only the `kid`, and
 * verifies RS256), so the stand-in sends none.
 */
function googleClaims(iss: string) {
  return {
    iss,
    jti: '756E69717565206964656E746966696572',
    iat: 1508184845,
    sub_id: undefined,
    txn: undefined,
    events: {
      [ACCOUNT_DISABLED]: {
        subject: {
          subject_type: 'iss-sub',
          iss: 'https://accounts.google.com/',
          sub: '7375626A656374',
        },
        reason: 'hijacking',
      },
    },
  };
}
const UNTYPED = { header: { typ: undefined } };

function expectProviderError(res: request.Response, cause: RegExp) {
  expect(res.status).toBe(400);
  expect(Object.keys(res.body).sort()).toEqual([
    'errorCauses',
    'errorCode',
    'errorId',
    'errorLink',
    'errorSummary',
  ]);
  expect(res.body.errorCode).toBe('E0000001');
  expect(
    res.body.errorCauses.map((c: any) => c.errorSummary).join('\n'),
  ).toMatch(cause);
}

describe.each(createTestDatabases().eachSupportedId())(
  'leniency for pre-1.0 transmitters on %p',
  id => {
    const databases = createTestDatabases();
    let t: TestTransmitter;

    beforeEach(async () => {
      t = await TestTransmitter.start();
    });
    afterEach(async () => {
      await t.close();
    });

    describe('accept_untyped_sets', () => {
      it('refuses a SET without typ by default (SSF 1.0 §4.1.1)', async () => {
        const { server, knex } = await startReceiverBackend({ databases, id });
        const provider = await addProvider(server, t);
        expect(provider.settings).not.toHaveProperty('accept_untyped_sets');
        const res = await push(
          server,
          await t.sign(googleClaims(t.issuer), UNTYPED),
        );
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          err: 'invalid_request',
          description: "The SET's typ header must be 'secevent+jwt', got none",
        });
        expect(await knex('ssf_received_events')).toHaveLength(0);
      });

      it('accepts one from a provider that opted in, and checks the rest as before', async () => {
        const { server, knex } = await startReceiverBackend({
          databases,
          id,
          receiver: { keys: { refetchCooldown: { seconds: 0 } } },
        });
        const provider = await addProvider(server, t, {
          settings: {
            well_known_url: t.wellKnownUrl,
            accept_untyped_sets: true,
          },
        });
        expect(provider.settings).toEqual({
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
          well_known_url: t.wellKnownUrl,
          accept_untyped_sets: true,
        });
        const got = await request(server)
          .get(`${BASE}/${provider.id}`)
          .set('Authorization', ADMIN);
        expect(got.body.settings.accept_untyped_sets).toBe(true);

        const set = await t.sign(googleClaims(t.issuer), UNTYPED);
        expect((await push(server, set)).status).toBe(202);
        expect((await push(server, set)).status).toBe(202);
        const rows = await knex('ssf_received_events');
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          provider_id: provider.id,
          subject_format: 'iss_sub',
          subject_value: '7375626A656374',
        });

        // Only a missing typ is forgiven: everything else is checked as for
        // any SET.
        for (const [bad, err] of [
          [await t.sign({}, { header: { typ: 'JWT' } }), 'invalid_request'],
          [
            await t.sign({}, { header: { typ: undefined }, forge: true }),
            'invalid_key',
          ],
          [
            await t.sign({ aud: 'https://someone-else.example.com' }, UNTYPED),
            'invalid_audience',
          ],
          [await t.sign({ exp: 4102444800 }, UNTYPED), 'invalid_request'],
          [await t.sign({ sub: 'alice' }, UNTYPED), 'invalid_request'],
          [await t.sign({ events: undefined }, UNTYPED), 'invalid_request'],
        ] as const) {
          const res = await push(server, bad);
          expect([res.status, res.body.err]).toEqual([400, err]);
        }
        expect(await knex('ssf_received_events')).toHaveLength(1);
      });

      it('keeps the flag on a replace that does not name it; false turns it off', async () => {
        const { server } = await startReceiverBackend({ databases, id });
        const provider = await addProvider(server, t, {
          settings: {
            issuer: t.issuer,
            jwks_url: t.jwksUrl,
            accept_untyped_sets: true,
          },
        });
        // A client that knows only the provider API's settings replaces it.
        const oktaOnly = await request(server)
          .put(`${BASE}/${provider.id}`)
          .set('Authorization', ADMIN)
          .send({
            name: provider.name,
            type: 'ssf',
            settings: { issuer: t.issuer, jwks_url: t.jwksUrl },
          });
        expect(oktaOnly.status).toBe(200);
        expect(oktaOnly.body.settings.accept_untyped_sets).toBe(true);
        expect((await push(server, await t.sign({}, UNTYPED))).status).toBe(
          202,
        );

        const off = await request(server)
          .put(`${BASE}/${provider.id}`)
          .set('Authorization', ADMIN)
          .send({
            name: provider.name,
            type: 'ssf',
            settings: {
              issuer: t.issuer,
              jwks_url: t.jwksUrl,
              accept_untyped_sets: false,
            },
          });
        expect(off.status).toBe(200);
        expect(off.body.settings).toEqual({
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
        });
        // The change reaches ingestion at once (the provider cache is dropped).
        const refused = await push(server, await t.sign({}, UNTYPED));
        expect([refused.status, refused.body.err]).toEqual([
          400,
          'invalid_request',
        ]);
      });

      it('refuses a flag that is not a boolean', async () => {
        const { server } = await startReceiverBackend({ databases, id });
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'x',
            type: 'ssf',
            settings: {
              well_known_url: t.wellKnownUrl,
              accept_untyped_sets: 'yes',
            },
          });
        expect(res.status).toBe(400);
        expectProviderError(
          res,
          /settings\.accept_untyped_sets: must be true or false/,
        );
      });
    });

    describe('accept_non_url_issuer', () => {
      // Google's java-jwt sample verifies `withIssuer("accounts.google.com")`
      // (developers.google.com/identity/protocols/risc, "Decode and validate
      // the security event token"): an issuer that is a StringOrURI but not a
      // URL (RFC 7519 §2).
      const GOOGLE_ISSUER = 'accounts.google.com';

      it('refuses an issuer that is not a URL unless the provider opts in', async () => {
        const { server, knex } = await startReceiverBackend({ databases, id });
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'Google RISC',
            type: 'ssf',
            settings: { issuer: GOOGLE_ISSUER, jwks_url: t.jwksUrl },
          });
        expectProviderError(
          res,
          /settings\.issuer must be an absolute URL; .*settings\.accept_non_url_issuer/,
        );
        const [{ n }] = await knex('ssf_providers').count({ n: '*' });
        expect(Number(n)).toBe(0);
      });

      it('never allows it with well_known_url: a clear 400 in the provider API shape', async () => {
        const { server, knex } = await startReceiverBackend({ databases, id });
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'Google RISC',
            type: 'ssf',
            settings: {
              well_known_url: t.wellKnownUrl,
              accept_non_url_issuer: true,
            },
          });
        expectProviderError(
          res,
          /^settings\.accept_non_url_issuer: accept_non_url_issuer needs settings with issuer and jwks_url/,
        );
        expect(res.body.errorSummary).toMatch(
          /^Api validation failed: settings\.accept_non_url_issuer/,
        );
        // No metadata was fetched for a request refused on its face.
        expect(t.metadataRequests).toBe(0);
        const [{ n }] = await knex('ssf_providers').count({ n: '*' });
        expect(Number(n)).toBe(0);
      });

      it('accepts it with issuer and jwks_url, returns the flag, and takes its SETs', async () => {
        const { server, knex } = await startReceiverBackend({ databases, id });
        const created = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'Google RISC',
            type: 'ssf',
            settings: {
              issuer: GOOGLE_ISSUER,
              jwks_url: t.jwksUrl,
              accept_non_url_issuer: true,
            },
          });
        expect(created.status).toBe(200);
        expect(created.body.settings).toEqual({
          issuer: GOOGLE_ISSUER,
          jwks_url: t.jwksUrl,
          accept_non_url_issuer: true,
        });
        const got = await request(server)
          .get(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN);
        expect(got.body).toEqual(created.body);
        // GET-modify-PUT keeps working with the flag echoed.
        const echoed = await request(server)
          .put(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN)
          .send(got.body);
        expect(echoed.status).toBe(200);
        expect(echoed.body).toEqual(created.body);

        const res = await push(
          server,
          await t.sign(googleClaims(GOOGLE_ISSUER)),
        );
        expect(res.status).toBe(202);
        const [row] = await knex('ssf_received_events');
        expect(row).toMatchObject({
          provider_id: created.body.id,
          iss: GOOGLE_ISSUER,
          subject_value: '7375626A656374',
        });
      });

      it.each([
        // RFC 7519 §2: "any value containing a ':' character MUST be a URI".
        [':no-scheme', /contains ':', so it must be a URI/],
        ['accounts google com', /whitespace or control characters/],
      ])('refuses %p even with the flag', async (issuer, cause) => {
        const { server } = await startReceiverBackend({ databases, id });
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'x',
            type: 'ssf',
            settings: {
              issuer,
              jwks_url: t.jwksUrl,
              accept_non_url_issuer: true,
            },
          });
        expect(res.status).toBe(400);
        expectProviderError(res, cause);
      });

      it('accepts a URN issuer with the flag (a URI that is not a URL)', async () => {
        const { server } = await startReceiverBackend({ databases, id });
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'x',
            type: 'ssf',
            settings: {
              issuer: 'urn:example:risc:transmitter',
              jwks_url: t.jwksUrl,
              accept_non_url_issuer: true,
            },
          });
        expect(res.status).toBe(200);
        expect(res.body.settings.issuer).toBe('urn:example:risc:transmitter');
      });

      it('drops the flag when a replace switches to well_known_url, and refuses it stated', async () => {
        const { server } = await startReceiverBackend({ databases, id });
        const created = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send({
            name: 'p',
            type: 'ssf',
            settings: {
              issuer: GOOGLE_ISSUER,
              jwks_url: t.jwksUrl,
              accept_non_url_issuer: true,
            },
          });
        const stated = await request(server)
          .put(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN)
          .send({
            name: 'p',
            type: 'ssf',
            settings: {
              well_known_url: t.wellKnownUrl,
              accept_non_url_issuer: true,
            },
          });
        expectProviderError(
          stated,
          /accept_non_url_issuer needs settings with issuer and jwks_url/,
        );
        const switched = await request(server)
          .put(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN)
          .send({
            name: 'p',
            type: 'ssf',
            settings: { well_known_url: t.wellKnownUrl },
          });
        expect(switched.status).toBe(200);
        expect(switched.body.settings).toEqual({
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
          well_known_url: t.wellKnownUrl,
        });
        // Back to a non-URL issuer: the flag must be given again.
        const back = await request(server)
          .put(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN)
          .send({
            name: 'p',
            type: 'ssf',
            settings: { issuer: GOOGLE_ISSUER, jwks_url: t.jwksUrl },
          });
        expectProviderError(back, /settings\.issuer must be an absolute URL/);
      });
    });
  },
);
