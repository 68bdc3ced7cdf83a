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

import { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  describeOnEachDatabase,
  rowCount,
} from '../../__testUtils__/databases';
import { validationCauses } from '../__testUtils__/providerApiErrors';
import { GOOGLE_RISC_TOKEN } from '../__testUtils__/publishedExamples';
import {
  addProvider,
  asAdmin,
  PROVIDERS,
  push,
  startReceiverBackend,
  storedEvents,
} from '../__testUtils__/receiverBackend';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
  useTestTransmitter,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

/**
 * Google's RISC token (GOOGLE_RISC_TOKEN) as `iss` would send it here. The
 * page names no `typ` header, so the stand-in sends it without (UNTYPED).
 */
function googleClaims(iss: string) {
  return {
    ...GOOGLE_RISC_TOKEN,
    iss,
    aud: RECEIVER_AUDIENCE,
    sub_id: undefined,
    txn: undefined,
  };
}
const UNTYPED = { header: { typ: undefined } };

/** A provider body of type ssf. */
const ssfProvider = (name: string, settings: object) => ({
  name,
  type: 'ssf',
  settings,
});

/** The causes of a 400 in the provider API shape, one per line. */
const causes = (res: request.Response) => validationCauses(res).join('\n');

describeOnEachDatabase('leniency for pre-1.0 transmitters', (databases, id) => {
  let t: TestTransmitter;
  useTestTransmitter(transmitter => (t = transmitter));

  const start = (receiver?: JsonObject) =>
    startReceiverBackend({ databases, id, receiver });

  describe('accept_untyped_sets', () => {
    it('refuses a SET without typ by default (SSF 1.0 §4.1.1)', async () => {
      const { server, knex } = await start();
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
      expect(await storedEvents(knex)).toHaveLength(0);
    });

    it('accepts one from a provider that opted in, and checks the rest as before', async () => {
      const { server, knex } = await start({
        keys: { refetchCooldown: { seconds: 0 } },
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
      const got = await asAdmin(server).get(`${PROVIDERS}/${provider.id}`);
      expect(got.body.settings.accept_untyped_sets).toBe(true);

      const set = await t.sign(googleClaims(t.issuer), UNTYPED);
      expect((await push(server, set)).status).toBe(202);
      expect((await push(server, set)).status).toBe(202);
      const rows = await storedEvents(knex);
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
      expect(await storedEvents(knex)).toHaveLength(1);
    });

    it('keeps the flag on a replace that does not name it; false turns it off', async () => {
      const { server } = await start();
      const api = asAdmin(server);
      const provider = await addProvider(server, t, {
        settings: {
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
          accept_untyped_sets: true,
        },
      });
      const one = `${PROVIDERS}/${provider.id}`;
      // A client that knows only the provider API's settings replaces it.
      const oktaOnly = await api.put(
        one,
        ssfProvider(provider.name, { issuer: t.issuer, jwks_url: t.jwksUrl }),
      );
      expect(oktaOnly.status).toBe(200);
      expect(oktaOnly.body.settings.accept_untyped_sets).toBe(true);
      expect((await push(server, await t.sign({}, UNTYPED))).status).toBe(202);

      const off = await api.put(
        one,
        ssfProvider(provider.name, {
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
          accept_untyped_sets: false,
        }),
      );
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
      const { server } = await start();
      const res = await asAdmin(server).post(
        PROVIDERS,
        ssfProvider('x', {
          well_known_url: t.wellKnownUrl,
          accept_untyped_sets: 'yes',
        }),
      );
      expect(causes(res)).toMatch(
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
    /** Google's issuer with the stand-in's keys, and the flag. */
    const lenientGoogle = (transmitter: TestTransmitter) => ({
      issuer: GOOGLE_ISSUER,
      jwks_url: transmitter.jwksUrl,
      accept_non_url_issuer: true,
    });

    it('refuses an issuer that is not a URL unless the provider opts in', async () => {
      const { server, knex } = await start();
      const res = await asAdmin(server).post(
        PROVIDERS,
        ssfProvider('Google RISC', {
          issuer: GOOGLE_ISSUER,
          jwks_url: t.jwksUrl,
        }),
      );
      expect(causes(res)).toMatch(
        /settings\.issuer must be an absolute URL; .*settings\.accept_non_url_issuer/,
      );
      expect(await rowCount(knex, 'ssf_providers')).toBe(0);
    });

    it('never allows it with well_known_url: a clear 400 in the provider API shape', async () => {
      const { server, knex } = await start();
      const res = await asAdmin(server).post(
        PROVIDERS,
        ssfProvider('Google RISC', {
          well_known_url: t.wellKnownUrl,
          accept_non_url_issuer: true,
        }),
      );
      expect(causes(res)).toMatch(
        /^settings\.accept_non_url_issuer: accept_non_url_issuer needs settings with issuer and jwks_url/,
      );
      expect(res.body.errorSummary).toMatch(
        /^Api validation failed: settings\.accept_non_url_issuer/,
      );
      // No metadata was fetched for a request refused on its face.
      expect(t.metadataRequests).toBe(0);
      expect(await rowCount(knex, 'ssf_providers')).toBe(0);
    });

    it('accepts it with issuer and jwks_url, returns the flag, and takes its SETs', async () => {
      const { server, knex } = await start();
      const api = asAdmin(server);
      const created = await api.post(
        PROVIDERS,
        ssfProvider('Google RISC', lenientGoogle(t)),
      );
      expect(created.status).toBe(200);
      expect(created.body.settings).toEqual(lenientGoogle(t));
      const one = `${PROVIDERS}/${created.body.id}`;
      const got = await api.get(one);
      expect(got.body).toEqual(created.body);
      // GET-modify-PUT keeps working with the flag echoed.
      const echoed = await api.put(one, got.body);
      expect(echoed.status).toBe(200);
      expect(echoed.body).toEqual(created.body);

      const res = await push(server, await t.sign(googleClaims(GOOGLE_ISSUER)));
      expect(res.status).toBe(202);
      const [row] = await storedEvents(knex);
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
      const { server } = await start();
      const res = await asAdmin(server).post(
        PROVIDERS,
        ssfProvider('x', { ...lenientGoogle(t), issuer }),
      );
      expect(causes(res)).toMatch(cause);
    });

    it('accepts a URN issuer with the flag (a URI that is not a URL)', async () => {
      const { server } = await start();
      const res = await asAdmin(server).post(
        PROVIDERS,
        ssfProvider('x', {
          ...lenientGoogle(t),
          issuer: 'urn:example:risc:transmitter',
        }),
      );
      expect(res.status).toBe(200);
      expect(res.body.settings.issuer).toBe('urn:example:risc:transmitter');
    });

    it('drops the flag when a replace switches to well_known_url, and refuses it stated', async () => {
      const { server } = await start();
      const api = asAdmin(server);
      const created = await api.post(
        PROVIDERS,
        ssfProvider('p', lenientGoogle(t)),
      );
      const one = `${PROVIDERS}/${created.body.id}`;
      const stated = await api.put(
        one,
        ssfProvider('p', {
          well_known_url: t.wellKnownUrl,
          accept_non_url_issuer: true,
        }),
      );
      expect(causes(stated)).toMatch(
        /accept_non_url_issuer needs settings with issuer and jwks_url/,
      );
      const switched = await api.put(
        one,
        ssfProvider('p', { well_known_url: t.wellKnownUrl }),
      );
      expect(switched.status).toBe(200);
      expect(switched.body.settings).toEqual({
        issuer: t.issuer,
        jwks_url: t.jwksUrl,
        well_known_url: t.wellKnownUrl,
      });
      // Back to a non-URL issuer: the flag must be given again.
      const back = await api.put(
        one,
        ssfProvider('p', { issuer: GOOGLE_ISSUER, jwks_url: t.jwksUrl }),
      );
      expect(causes(back)).toMatch(/settings\.issuer must be an absolute URL/);
    });
  });
});
