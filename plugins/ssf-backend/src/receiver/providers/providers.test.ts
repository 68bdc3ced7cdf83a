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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { captureAudits } from '../../__testUtils__/capturedAudits';
import {
  describeOnEachDatabase,
  rowCount,
} from '../../__testUtils__/databases';
import {
  callerOf,
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../../__testUtils__/testBackend';
import {
  expectInvalid,
  expectProviderError,
  validationCauses,
} from '../__testUtils__/providerApiErrors';
import {
  asAdmin,
  PROVIDER_ID_ROUTES,
  PROVIDERS,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import { TestTransmitter } from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

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
/** An Okta provider named `x` with these settings. */
const okta = (settings: object) => ({ name: 'x', type: 'okta', settings });

const ACTIVE_LINKS = {
  self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
  deactivate: { hints: { allow: ['POST'] } },
};
const INACTIVE_LINKS = {
  self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
  activate: { hints: { allow: ['POST'] } },
};

/** A just-created provider as the API answers it: a new id, active. */
const newOktaProvider = (name: string, settings: object) => ({
  id: expect.stringMatching(/^sse[0-9A-Za-z]{17}$/),
  name,
  type: 'okta',
  status: 'ACTIVE',
  settings,
  _links: ACTIVE_LINKS,
});

describeOnEachDatabase('Security Events Providers API', (databases, id) => {
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

  const start = (extra: Partial<Parameters<typeof startSsfBackend>[0]> = {}) =>
    startReceiverBackend({ databases, id, ...extra });

  it("walks the provider API's seven operations with its example bodies and shapes", async () => {
    const { server } = await start();
    const api = asAdmin(server);

    // Create (well-known URL): issuer and jwks_url are read from the metadata.
    const created = await api.post(PROVIDERS, oktaWellKnownExample(t1));
    expect(created.status).toBe(200);
    expect(created.body).toEqual(
      newOktaProvider('Security Events Provider with well-known URL', {
        issuer: t1.issuer,
        jwks_url: t1.jwksUrl,
        well_known_url: t1.wellKnownUrl,
      }),
    );
    const wellKnown = `${PROVIDERS}/${created.body.id}`;

    // Create (issuer and JWKS URL).
    const second = await api.post(PROVIDERS, oktaIssuerAndJwksExample(t2));
    expect(second.status).toBe(200);
    expect(second.body).toEqual(
      newOktaProvider(
        'Security Events Provider with an issuer and a JWKS URL',
        {
          issuer: t2.issuer,
          jwks_url: t2.jwksUrl,
        },
      ),
    );

    // List.
    const list = await api.get(PROVIDERS);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([created.body, second.body]);

    // Retrieve.
    const got = await api.get(wellKnown);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    // Replace, with the provider API's replace body and a new name.
    const replaced = await api.put(wellKnown, {
      ...oktaWellKnownExample(t1),
      name: 'Renamed provider',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual({
      ...created.body,
      name: 'Renamed provider',
    });

    // Replace the well-known provider with the other settings form.
    const switched = await api.put(wellKnown, {
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
    const deactivated = await api.post(`${wellKnown}/lifecycle/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.status).toBe('INACTIVE');
    expect(deactivated.body._links).toEqual(INACTIVE_LINKS);
    const activated = await api.post(`${wellKnown}/lifecycle/activate`);
    expect(activated.status).toBe(200);
    expect(activated.body.status).toBe('ACTIVE');
    expect(activated.body._links).toEqual(ACTIVE_LINKS);

    // A GET body can be PUT back as it is (read-only members echoed).
    const echoed = await api.put(`${PROVIDERS}/${second.body.id}`, second.body);
    expect(echoed.status).toBe(200);
    expect(echoed.body).toEqual(second.body);

    // Delete: 204, then 404 in the provider API's error shape.
    const deleted = await api.delete(wellKnown);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await api.get(wellKnown);
    expect(gone.status).toBe(404);
    expectProviderError(gone.body, 'E0000007');
    expect(gone.body.errorSummary).toContain(created.body.id);
    expect(gone.body.errorCauses).toEqual([]);
  });

  it('answers 404 in the provider API shape for every operation on an unknown id', async () => {
    const { server } = await start();
    const call = callerOf(server, ADMIN);
    const unknown = 'sse00000000000000000';
    for (const [method, path, body] of [
      ['get', '', undefined],
      ['put', '', oktaIssuerAndJwksExample(t2)],
      ['delete', '', undefined],
      ['post', '/lifecycle/activate', undefined],
      ['post', '/lifecycle/deactivate', undefined],
    ] as const) {
      const res = await call(method, `${PROVIDERS}/${unknown}${path}`, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expectProviderError(res.body, 'E0000007');
    }
  });

  it.each([
    ['no settings', { name: 'x', type: 'okta' }, /settings/],
    ['no name', { type: 'okta', settings: {} }, /name/],
    [
      'both forms',
      (t: TestTransmitter) =>
        okta({
          well_known_url: t.wellKnownUrl,
          issuer: t.issuer,
          jwks_url: t.jwksUrl,
        }),
      /either well_known_url, or issuer and jwks_url, not both/,
    ],
    ['neither form', okta({}), /either well_known_url, or issuer and jwks_url/],
    [
      'an issuer without jwks_url',
      (t: TestTransmitter) => okta({ issuer: t.issuer }),
      /issuer and jwks_url must be given together/,
    ],
    [
      'a relative jwks_url',
      (t: TestTransmitter) => okta({ issuer: t.issuer, jwks_url: '/jwks' }),
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
      (t: TestTransmitter) =>
        okta({ well_known_url: `${t.origin}/tenant/jwks` }),
      /must contain \/\.well-known\/ssf-configuration/,
    ],
    [
      'a well-known URL that does not answer',
      (t: TestTransmitter) =>
        okta({
          well_known_url: `${t.origin}/.well-known/ssf-configuration/nobody`,
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
      const res = await asAdmin(server).post(
        PROVIDERS,
        typeof body === 'function' ? body(t1) : body,
      );
      const causes = validationCauses(res);
      expect(res.body.errorSummary).toMatch(/^Api validation failed: /);
      expect(causes.join('\n')).toMatch(cause);
      expect(await rowCount(knex, 'ssf_providers')).toBe(0);
    },
  );

  it('answers a path id that is not valid percent-encoding with 400 in the provider API shape on every route', async () => {
    const { server, knex } = await start();
    const call = callerOf(server, ADMIN);
    expect(
      (await call('post', PROVIDERS, oktaIssuerAndJwksExample(t2))).status,
    ).toBe(200);
    const before = await knex('ssf_providers').select();
    // decodeURIComponent refuses each of these (RFC 3986 §2.1: "%" must
    // be followed by two hex digits; RFC 3629 §3: a byte sequence that is
    // not UTF-8), so Express cannot decode the :id.
    for (const bad of ['%ff', '%E0%A4%A', '%']) {
      for (const [method, path] of PROVIDER_ID_ROUTES) {
        const res = await call(
          method,
          `${PROVIDERS}/${bad}${path}`,
          method === 'put' ? oktaIssuerAndJwksExample(t2) : {},
        );
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
    const api = asAdmin(server);
    const refused = await api.post(PROVIDERS, {
      ...oktaIssuerAndJwksExample(t2),
      type: 'EVIL',
    });
    expectInvalid(refused);
    expect(refused.body.errorCauses).toEqual([
      {
        errorSummary:
          "type: 'EVIL' is not a provider type; use one of 'ssf', 'okta' (any case)",
      },
    ]);
    expect(await rowCount(knex, 'ssf_providers')).toBe(0);

    // The provider API's "okta", and "ssf" in any case (the portal sends "SSF").
    const created = await api.post(PROVIDERS, oktaIssuerAndJwksExample(t2));
    expect(created.status).toBe(200);
    const one = `${PROVIDERS}/${created.body.id}`;
    for (const type of ['SSF', 'ssf', 'Okta']) {
      const replaced = await api.put(one, {
        ...oktaIssuerAndJwksExample(t2),
        type,
      });
      expect([type, replaced.status]).toEqual([type, 200]);
      expect(replaced.body.type).toBe(type);
    }
    const replaced = await api.put(one, {
      ...oktaIssuerAndJwksExample(t2),
      type: 'EVIL',
    });
    expect(validationCauses(replaced)[0]).toMatch(
      /^type: 'EVIL' is not a provider type/,
    );
    const [row] = await knex('ssf_providers').select('type');
    expect(row.type).toBe('Okta');
  });

  it('refuses metadata whose issuer is not the one its URL implies', async () => {
    const { server } = await start();
    t1.metadataIssuerOverride = 'https://evil.example.com';
    const res = await asAdmin(server).post(PROVIDERS, oktaWellKnownExample(t1));
    expect(validationCauses(res)[0]).toMatch(
      /issuer 'https:\/\/evil\.example\.com' does not match settings\.well_known_url/,
    );
  });

  it('refuses http and loopback URLs unless the config allows them', async () => {
    const { server } = await startSsfBackend({ databases, id });
    for (const [body, cause] of [
      [
        oktaWellKnownExample(t1),
        /must use https .*ssf\.receiver\.allowInsecureUrls/,
      ],
      [
        okta({
          issuer: 'https://transmitter.example.com',
          jwks_url: 'https://127.0.0.1/jwks',
        }),
        /must not point at a loopback address.*ssf\.receiver\.allowPrivateNetworks/,
      ],
      [
        okta({
          issuer: 'http://transmitter.example.com',
          jwks_url: 'https://transmitter.example.com/jwks',
        }),
        /settings\.issuer must be an https URL/,
      ],
    ] as const) {
      const res = await asAdmin(server).post(PROVIDERS, body);
      expect(validationCauses(res)[0]).toMatch(cause);
    }
  });

  it('keeps names and issuers unique', async () => {
    const { server } = await start();
    const api = asAdmin(server);
    const first = await api.post(PROVIDERS, oktaIssuerAndJwksExample(t1));
    expect(first.status).toBe(200);
    const sameName = await api.post(PROVIDERS, {
      ...oktaIssuerAndJwksExample(t2),
      name: first.body.name,
    });
    expect(validationCauses(sameName)[0]).toMatch(
      /name: a Security Events Provider named .* already exists/,
    );
    const sameIssuer = await api.post(PROVIDERS, oktaWellKnownExample(t1));
    expect(validationCauses(sameIssuer)[0]).toMatch(
      /issuer .* already belongs to the provider/,
    );
    // Replacing a provider with its own name and issuer is fine.
    const one = `${PROVIDERS}/${first.body.id}`;
    const self = await api.put(one, oktaIssuerAndJwksExample(t1));
    expect(self.status).toBe(200);
    // A replace must not change id or status.
    const badEcho = await api.put(one, {
      ...oktaIssuerAndJwksExample(t1),
      id: 'sseother',
      status: 'INACTIVE',
    });
    expect(validationCauses(badEcho)).toHaveLength(2);
  });

  it('keeps the bearer secret write-only', async () => {
    const { server, knex } = await start();
    const api = asAdmin(server);
    const secret = 'a-very-long-shared-secret-0123456789';
    const created = await api.post(PROVIDERS, {
      ...oktaIssuerAndJwksExample(t1),
      authorization_secret: secret,
    });
    expect(created.status).toBe(200);
    expect(created.body.has_authorization_secret).toBe(true);
    expect(JSON.stringify(created.body)).not.toContain(secret);
    const [row] = await knex('ssf_providers');
    expect(JSON.stringify(row)).not.toContain(secret);
    // Absent on replace: kept. null: removed.
    const one = `${PROVIDERS}/${created.body.id}`;
    const kept = await api.put(one, oktaIssuerAndJwksExample(t1));
    expect(kept.body.has_authorization_secret).toBe(true);
    const removed = await api.put(one, {
      ...oktaIssuerAndJwksExample(t1),
      authorization_secret: null,
    });
    expect(removed.body).not.toHaveProperty('has_authorization_secret');
  });

  it('requires the provider permissions, and refuses service principals', async () => {
    const { server } = await start({ permission: AuthorizeResult.DENY });
    const call = callerOf(server, ADMIN);
    for (const [method, path] of [
      ['get', PROVIDERS],
      ['post', PROVIDERS],
      ['get', `${PROVIDERS}/sse1`],
      ['put', `${PROVIDERS}/sse1`],
      ['delete', `${PROVIDERS}/sse1`],
      ['post', `${PROVIDERS}/sse1/lifecycle/activate`],
    ] as const) {
      const res = await call(method, path, oktaIssuerAndJwksExample(t1));
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expectProviderError(res.body, 'E0000006');
    }
    const allowed = await start();
    const asService = await callerOf(
      allowed.server,
      clientAuth('some-receiver'),
    )('get', PROVIDERS);
    expect(asService.status).toBe(403);
    expectProviderError(asService.body, 'E0000006');
  });

  it('audits every mutation, never with the secret', async () => {
    const audits = captureAudits();
    const { server } = await start({ extraFeatures: [audits.factory] });
    const api = asAdmin(server);
    const secret = 'a-very-long-shared-secret-0123456789';
    const { body } = await api.post(PROVIDERS, {
      ...oktaIssuerAndJwksExample(t1),
      authorization_secret: secret,
    });
    const one = `${PROVIDERS}/${body.id}`;
    await api.put(one, {
      ...oktaIssuerAndJwksExample(t1),
      authorization_secret: `${secret}x`,
    });
    await api.post(`${one}/lifecycle/deactivate`);
    await api.post(`${one}/lifecycle/activate`);
    await api.post(PROVIDERS, oktaIssuerAndJwksExample(t1)); // 400: same name
    await api.delete(one);
    await api.get(PROVIDERS); // not audited

    expect(audits.summary()).toEqual([
      ['provider-mutate', 'create', 'success'],
      ['provider-mutate', 'replace', 'success'],
      ['provider-mutate', 'deactivate', 'success'],
      ['provider-mutate', 'activate', 'success'],
      ['provider-mutate', 'create', 'fail'],
      ['provider-mutate', 'delete', 'success'],
    ]);
    expect(audits.events[2].outcome.success.meta).toMatchObject({
      providerId: body.id,
      from: 'ACTIVE',
      to: 'INACTIVE',
    });
    expect(audits.recorded()).not.toContain(secret);
  });
});
