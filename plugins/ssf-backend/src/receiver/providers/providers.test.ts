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

import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../../__testUtils__/testBackend';
import { startReceiverBackend } from '../__testUtils__/receiverBackend';
import { TestTransmitter } from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

const BASE = '/api/ssf/security-events-providers';
const ADMIN = userAuth();

// The provider API's example bodies, verbatim, with the settings it elides
// pointed at a real local transmitter.
const oktaWellKnownExample = (t: TestTransmitter) => ({
  name: 'Security Events Provider with well-known URL',
  type: 'okta',
  settings: { well_known_url: t.wellKnownUrl },
});
const oktaIssuerAndJwksExample = (t: TestTransmitter) => ({
  name: 'Security Events Provider with an issuer and a JWKS URL',
  type: 'okta',
  settings: { issuer: t.issuer, jwks_url: t.jwksUrl },
});

const ACTIVE_LINKS = {
  self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
  deactivate: { hints: { allow: ['POST'] } },
};
const INACTIVE_LINKS = {
  self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
  activate: { hints: { allow: ['POST'] } },
};

function expectProviderError(body: any, errorCode: string) {
  expect(Object.keys(body).sort()).toEqual([
    'errorCauses',
    'errorCode',
    'errorId',
    'errorLink',
    'errorSummary',
  ]);
  expect(body.errorCode).toBe(errorCode);
  expect(body.errorLink).toBe(errorCode);
  expect(typeof body.errorSummary).toBe('string');
  expect(body.errorId).toMatch(/^\w+/);
  expect(Array.isArray(body.errorCauses)).toBe(true);
}

describe.each(createTestDatabases().eachSupportedId())(
  'Security Events Providers API on %p',
  id => {
    const databases = createTestDatabases();
    let t1: TestTransmitter;
    let t2: TestTransmitter;

    beforeAll(async () => {
      t1 = await TestTransmitter.start();
      t2 = await TestTransmitter.start({ alg: 'ES256' });
    });
    afterAll(async () => {
      await t1.close();
      await t2.close();
    });
    afterEach(() => {
      t1.metadataIssuerOverride = undefined;
    });

    const start = (
      extra: Partial<Parameters<typeof startSsfBackend>[0]> = {},
    ) => startReceiverBackend({ databases, id, ...extra });

    it("walks the provider API's seven operations with its example bodies and shapes", async () => {
      const { server } = await start();

      // Create (well-known URL): issuer and jwks_url are read from the metadata.
      const created = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaWellKnownExample(t1));
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^sse[0-9A-Za-z]{17}$/),
        name: 'Security Events Provider with well-known URL',
        type: 'okta',
        status: 'ACTIVE',
        settings: {
          issuer: t1.issuer,
          jwks_url: t1.jwksUrl,
          well_known_url: t1.wellKnownUrl,
        },
        _links: ACTIVE_LINKS,
      });
      const wellKnownId = created.body.id;

      // Create (issuer and JWKS URL).
      const second = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t2));
      expect(second.status).toBe(200);
      expect(second.body).toEqual({
        id: expect.stringMatching(/^sse[0-9A-Za-z]{17}$/),
        name: 'Security Events Provider with an issuer and a JWKS URL',
        type: 'okta',
        status: 'ACTIVE',
        settings: { issuer: t2.issuer, jwks_url: t2.jwksUrl },
        _links: ACTIVE_LINKS,
      });

      // List.
      const list = await request(server).get(BASE).set('Authorization', ADMIN);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([created.body, second.body]);

      // Retrieve.
      const got = await request(server)
        .get(`${BASE}/${wellKnownId}`)
        .set('Authorization', ADMIN);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created.body);

      // Replace, with the provider API's replace body and a new name.
      const replaced = await request(server)
        .put(`${BASE}/${wellKnownId}`)
        .set('Authorization', ADMIN)
        .send({ ...oktaWellKnownExample(t1), name: 'Renamed provider' });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual({
        ...created.body,
        name: 'Renamed provider',
      });

      // Replace the well-known provider with the other settings form.
      const switched = await request(server)
        .put(`${BASE}/${wellKnownId}`)
        .set('Authorization', ADMIN)
        .send({
          name: 'Renamed provider',
          type: 'okta',
          settings: { issuer: t1.issuer, jwks_url: t1.jwksUrl },
        });
      expect(switched.status).toBe(200);
      expect(switched.body.settings).toEqual({
        issuer: t1.issuer,
        jwks_url: t1.jwksUrl,
      });

      // Deactivate, then activate.
      const deactivated = await request(server)
        .post(`${BASE}/${wellKnownId}/lifecycle/deactivate`)
        .set('Authorization', ADMIN);
      expect(deactivated.status).toBe(200);
      expect(deactivated.body.status).toBe('INACTIVE');
      expect(deactivated.body._links).toEqual(INACTIVE_LINKS);
      const activated = await request(server)
        .post(`${BASE}/${wellKnownId}/lifecycle/activate`)
        .set('Authorization', ADMIN);
      expect(activated.status).toBe(200);
      expect(activated.body.status).toBe('ACTIVE');
      expect(activated.body._links).toEqual(ACTIVE_LINKS);

      // A GET body can be PUT back as it is (read-only members echoed).
      const echoed = await request(server)
        .put(`${BASE}/${second.body.id}`)
        .set('Authorization', ADMIN)
        .send(second.body);
      expect(echoed.status).toBe(200);
      expect(echoed.body).toEqual(second.body);

      // Delete: 204, then 404 in the provider API's error shape.
      const deleted = await request(server)
        .delete(`${BASE}/${wellKnownId}`)
        .set('Authorization', ADMIN);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');
      const gone = await request(server)
        .get(`${BASE}/${wellKnownId}`)
        .set('Authorization', ADMIN);
      expect(gone.status).toBe(404);
      expectProviderError(gone.body, 'E0000007');
      expect(gone.body.errorSummary).toContain(wellKnownId);
      expect(gone.body.errorCauses).toEqual([]);
    });

    it('answers 404 in the provider API shape for every operation on an unknown id', async () => {
      const { server } = await start();
      const unknown = 'sse00000000000000000';
      for (const [method, path, body] of [
        ['get', '', undefined],
        ['put', '', oktaIssuerAndJwksExample(t2)],
        ['delete', '', undefined],
        ['post', '/lifecycle/activate', undefined],
        ['post', '/lifecycle/deactivate', undefined],
      ] as const) {
        const req = (request(server) as any)
          [method](`${BASE}/${unknown}${path}`)
          .set('Authorization', ADMIN);
        const res = await (body ? req.send(body) : req);
        expect([method, path, res.status]).toEqual([method, path, 404]);
        expectProviderError(res.body, 'E0000007');
      }
    });

    it.each([
      ['no settings', { name: 'x', type: 'okta' }, /settings/],
      ['no name', { type: 'okta', settings: {} }, /name/],
      [
        'both forms',
        (t: TestTransmitter) => ({
          name: 'x',
          type: 'okta',
          settings: {
            well_known_url: t.wellKnownUrl,
            issuer: t.issuer,
            jwks_url: t.jwksUrl,
          },
        }),
        /either well_known_url, or issuer and jwks_url, not both/,
      ],
      [
        'neither form',
        { name: 'x', type: 'okta', settings: {} },
        /either well_known_url, or issuer and jwks_url/,
      ],
      [
        'an issuer without jwks_url',
        (t: TestTransmitter) => ({
          name: 'x',
          type: 'okta',
          settings: { issuer: t.issuer },
        }),
        /issuer and jwks_url must be given together/,
      ],
      [
        'a relative jwks_url',
        (t: TestTransmitter) => ({
          name: 'x',
          type: 'okta',
          settings: { issuer: t.issuer, jwks_url: '/jwks' },
        }),
        /settings.jwks_url must be an absolute URL/,
      ],
      [
        'an unknown member',
        (t: TestTransmitter) => ({
          ...oktaIssuerAndJwksExample(t),
          colour: 'red',
        }),
        /colour/,
      ],
      [
        'a well-known URL that is not one',
        (t: TestTransmitter) => ({
          name: 'x',
          type: 'okta',
          settings: { well_known_url: `${t.origin}/tenant/jwks` },
        }),
        /must contain \/\.well-known\/ssf-configuration/,
      ],
      [
        'a well-known URL that does not answer',
        (t: TestTransmitter) => ({
          name: 'x',
          type: 'okta',
          settings: {
            well_known_url: `${t.origin}/.well-known/ssf-configuration/nobody`,
          },
        }),
        /answered HTTP 404/,
      ],
      [
        'a short bearer secret',
        (t: TestTransmitter) => ({
          ...oktaIssuerAndJwksExample(t),
          authorization_secret: 'short',
        }),
        /at least 16 characters/,
      ],
    ])(
      'refuses %s with 400 in the provider API shape',
      async (_what, body, cause) => {
        const { server, knex } = await start();
        const res = await request(server)
          .post(BASE)
          .set('Authorization', ADMIN)
          .send(typeof body === 'function' ? body(t1) : body);
        expect(res.status).toBe(400);
        expectProviderError(res.body, 'E0000001');
        expect(res.body.errorSummary).toMatch(/^Api validation failed: /);
        expect(
          res.body.errorCauses.map((c: any) => c.errorSummary).join('\n'),
        ).toMatch(cause);
        const [{ n }] = await knex('ssf_providers').count({ n: '*' });
        expect(Number(n)).toBe(0);
      },
    );

    it('answers a path id that is not valid percent-encoding with 400 in the provider API shape on every route', async () => {
      const { server, knex } = await start();
      await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t2))
        .expect(200);
      const before = await knex('ssf_providers').select();
      // decodeURIComponent refuses each of these (RFC 3986 §2.1: "%" must
      // be followed by two hex digits; RFC 3629 §3: a byte sequence that is
      // not UTF-8), so Express cannot decode the :id.
      for (const bad of ['%ff', '%E0%A4%A', '%']) {
        for (const [method, path] of [
          ['get', ''],
          ['put', ''],
          ['delete', ''],
          ['post', '/lifecycle/activate'],
          ['post', '/lifecycle/deactivate'],
          ['post', '/poll'],
          ['get', '/remote-stream'],
          ['post', '/remote-stream'],
          ['patch', '/remote-stream'],
          ['delete', '/remote-stream'],
          ['get', '/remote-stream/status'],
          ['post', '/remote-stream/status'],
          ['post', '/remote-stream/verify'],
        ] as const) {
          const res = await (request(server) as any)
            [method](`${BASE}/${bad}${path}`)
            .set('Authorization', ADMIN)
            .send(method === 'put' ? oktaIssuerAndJwksExample(t2) : {});
          expect([bad, method, path, res.status]).toEqual([
            bad,
            method,
            path,
            400,
          ]);
          expectProviderError(res.body, 'E0000001');
          expect(res.body.errorCauses[0].errorSummary).toMatch(
            /not valid percent-encoded UTF-8/,
          );
        }
      }
      expect(await knex('ssf_providers').select()).toEqual(before);
    });

    it('accepts only the documented provider types, on create and on replace', async () => {
      const { server, knex } = await start();
      const refused = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({ ...oktaIssuerAndJwksExample(t2), type: 'EVIL' });
      expect(refused.status).toBe(400);
      expectProviderError(refused.body, 'E0000001');
      expect(refused.body.errorCauses).toEqual([
        {
          errorSummary:
            "type: 'EVIL' is not a provider type; use one of 'ssf', 'okta' (any case)",
        },
      ]);
      const [{ n }] = await knex('ssf_providers').count({ n: '*' });
      expect(Number(n)).toBe(0);

      // The provider API's "okta", and "ssf" in any case (the portal sends "SSF").
      const created = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t2));
      expect(created.status).toBe(200);
      for (const type of ['SSF', 'ssf', 'Okta']) {
        const replaced = await request(server)
          .put(`${BASE}/${created.body.id}`)
          .set('Authorization', ADMIN)
          .send({ ...oktaIssuerAndJwksExample(t2), type });
        expect([type, replaced.status]).toEqual([type, 200]);
        expect(replaced.body.type).toBe(type);
      }
      const replaced = await request(server)
        .put(`${BASE}/${created.body.id}`)
        .set('Authorization', ADMIN)
        .send({ ...oktaIssuerAndJwksExample(t2), type: 'EVIL' });
      expect(replaced.status).toBe(400);
      expectProviderError(replaced.body, 'E0000001');
      expect(replaced.body.errorCauses[0].errorSummary).toMatch(
        /^type: 'EVIL' is not a provider type/,
      );
      const [row] = await knex('ssf_providers').select('type');
      expect(row.type).toBe('Okta');
    });

    it('refuses metadata whose issuer is not the one its URL implies', async () => {
      const { server } = await start();
      t1.metadataIssuerOverride = 'https://evil.example.com';
      const res = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaWellKnownExample(t1));
      expect(res.status).toBe(400);
      expectProviderError(res.body, 'E0000001');
      expect(res.body.errorCauses[0].errorSummary).toMatch(
        /issuer 'https:\/\/evil\.example\.com' does not match settings\.well_known_url/,
      );
    });

    it('refuses http and loopback URLs unless the config allows them', async () => {
      const { server } = await startSsfBackend({ databases, id });
      const wellKnown = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaWellKnownExample(t1));
      expect(wellKnown.status).toBe(400);
      expect(wellKnown.body.errorCauses[0].errorSummary).toMatch(
        /must use https .*ssf\.receiver\.allowInsecureUrls/,
      );
      const loopback = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({
          name: 'x',
          type: 'okta',
          settings: {
            issuer: 'https://transmitter.example.com',
            jwks_url: 'https://127.0.0.1/jwks',
          },
        });
      expect(loopback.status).toBe(400);
      expect(loopback.body.errorCauses[0].errorSummary).toMatch(
        /must not point at a loopback address.*ssf\.receiver\.allowPrivateNetworks/,
      );
      const httpIssuer = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({
          name: 'x',
          type: 'okta',
          settings: {
            issuer: 'http://transmitter.example.com',
            jwks_url: 'https://transmitter.example.com/jwks',
          },
        });
      expect(httpIssuer.status).toBe(400);
      expect(httpIssuer.body.errorCauses[0].errorSummary).toMatch(
        /settings\.issuer must be an https URL/,
      );
    });

    it('keeps names and issuers unique', async () => {
      const { server } = await start();
      const first = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t1));
      expect(first.status).toBe(200);
      const sameName = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({ ...oktaIssuerAndJwksExample(t2), name: first.body.name });
      expect(sameName.status).toBe(400);
      expect(sameName.body.errorCauses[0].errorSummary).toMatch(
        /name: a Security Events Provider named .* already exists/,
      );
      const sameIssuer = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaWellKnownExample(t1));
      expect(sameIssuer.status).toBe(400);
      expect(sameIssuer.body.errorCauses[0].errorSummary).toMatch(
        /issuer .* already belongs to the provider/,
      );
      // Replacing a provider with its own name and issuer is fine.
      const self = await request(server)
        .put(`${BASE}/${first.body.id}`)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t1));
      expect(self.status).toBe(200);
      // A replace must not change id or status.
      const badEcho = await request(server)
        .put(`${BASE}/${first.body.id}`)
        .set('Authorization', ADMIN)
        .send({
          ...oktaIssuerAndJwksExample(t1),
          id: 'sseother',
          status: 'INACTIVE',
        });
      expect(badEcho.status).toBe(400);
      expect(badEcho.body.errorCauses).toHaveLength(2);
    });

    it('keeps the bearer secret write-only', async () => {
      const { server, knex } = await start();
      const secret = 'a-very-long-shared-secret-0123456789';
      const created = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({
          ...oktaIssuerAndJwksExample(t1),
          authorization_secret: secret,
        });
      expect(created.status).toBe(200);
      expect(created.body.has_authorization_secret).toBe(true);
      expect(JSON.stringify(created.body)).not.toContain(secret);
      const [row] = await knex('ssf_providers');
      expect(JSON.stringify(row)).not.toContain(secret);
      // Absent on replace: kept. null: removed.
      const kept = await request(server)
        .put(`${BASE}/${created.body.id}`)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t1));
      expect(kept.body.has_authorization_secret).toBe(true);
      const removed = await request(server)
        .put(`${BASE}/${created.body.id}`)
        .set('Authorization', ADMIN)
        .send({ ...oktaIssuerAndJwksExample(t1), authorization_secret: null });
      expect(removed.body).not.toHaveProperty('has_authorization_secret');
    });

    it('requires the provider permissions, and refuses service principals', async () => {
      const { server } = await start({ permission: AuthorizeResult.DENY });
      for (const [method, path] of [
        ['get', BASE],
        ['post', BASE],
        ['get', `${BASE}/sse1`],
        ['put', `${BASE}/sse1`],
        ['delete', `${BASE}/sse1`],
        ['post', `${BASE}/sse1/lifecycle/activate`],
      ] as const) {
        const res = await (request(server) as any)
          [method](path)
          .set('Authorization', ADMIN)
          .send(oktaIssuerAndJwksExample(t1));
        expect([method, path, res.status]).toEqual([method, path, 403]);
        expectProviderError(res.body, 'E0000006');
      }
      const allowed = await start();
      const asService = await request(allowed.server)
        .get(BASE)
        .set('Authorization', clientAuth('some-receiver'));
      expect(asService.status).toBe(403);
      expectProviderError(asService.body, 'E0000006');
    });

    it('audits every mutation, never with the secret', async () => {
      const events: Array<{ options: any; outcome?: any }> = [];
      const auditor = mockServices.auditor.mock({
        createEvent: async options => {
          const entry: { options: any; outcome?: any } = { options };
          events.push(entry);
          return {
            success: async o => void (entry.outcome = { success: o }),
            fail: async o => void (entry.outcome = { fail: o }),
          };
        },
      });
      const { server } = await start({ extraFeatures: [auditor.factory] });
      const secret = 'a-very-long-shared-secret-0123456789';
      const { body } = await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send({
          ...oktaIssuerAndJwksExample(t1),
          authorization_secret: secret,
        });
      await request(server)
        .put(`${BASE}/${body.id}`)
        .set('Authorization', ADMIN)
        .send({
          ...oktaIssuerAndJwksExample(t1),
          authorization_secret: `${secret}x`,
        });
      await request(server)
        .post(`${BASE}/${body.id}/lifecycle/deactivate`)
        .set('Authorization', ADMIN);
      await request(server)
        .post(`${BASE}/${body.id}/lifecycle/activate`)
        .set('Authorization', ADMIN);
      await request(server)
        .post(BASE)
        .set('Authorization', ADMIN)
        .send(oktaIssuerAndJwksExample(t1)); // 400: same name
      await request(server)
        .delete(`${BASE}/${body.id}`)
        .set('Authorization', ADMIN);
      await request(server).get(BASE).set('Authorization', ADMIN); // not audited

      expect(
        events.map(e => [
          e.options.eventId,
          e.options.meta.actionType,
          Object.keys(e.outcome)[0],
        ]),
      ).toEqual([
        ['provider-mutate', 'create', 'success'],
        ['provider-mutate', 'replace', 'success'],
        ['provider-mutate', 'deactivate', 'success'],
        ['provider-mutate', 'activate', 'success'],
        ['provider-mutate', 'create', 'fail'],
        ['provider-mutate', 'delete', 'success'],
      ]);
      expect(events[2].outcome.success.meta).toMatchObject({
        providerId: body.id,
        from: 'ACTIVE',
        to: 'INACTIVE',
      });
      expect(
        JSON.stringify(events.map(e => [e.options.meta, e.outcome])),
      ).not.toContain(secret);
    });
  },
);
