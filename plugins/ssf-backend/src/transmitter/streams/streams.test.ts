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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../../__testUtils__/testBackend';

jest.setTimeout(60_000);

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CREDENTIAL_CHANGE =
  'https://schemas.openid.net/secevent/caep/event-type/credential-change';
const PUSH = 'urn:ietf:rfc:8935';
const POLL = 'urn:ietf:rfc:8936';

// The example bodies of the stream API (SailPoint's SSF transmitter API), verbatim.
const sailPointCreate = {
  delivery: {
    method: PUSH,
    endpoint_url: 'https://receiver.example.com/ssf/events',
    authorization_header: 'Bearer eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...',
  },
  description: 'Production event stream',
  events_requested: [SESSION_REVOKED],
};
const sailPointReplace = (streamId: string) => ({
  delivery: sailPointCreate.delivery,
  stream_id: streamId,
  description: 'Production event stream',
  events_requested: [SESSION_REVOKED],
});
const sailPointUpdate = (streamId: string) => ({
  delivery: sailPointCreate.delivery,
  stream_id: streamId,
  description: 'Updated production event stream configuration',
  events_requested: [SESSION_REVOKED],
});
const sailPointStatus = (streamId: string) => ({
  reason: 'manually paused',
  stream_id: streamId,
  status: 'paused',
});

const A = clientAuth('client-a');
const B = clientAuth('client-b');
// The issuer comes from config; endpoints from the test server's real address.
const ISSUER = 'http://localhost:7007/api/ssf';
const baseOf = (server: { port(): number }) =>
  `http://localhost:${server.port()}/api/ssf`;

describe.each(createTestDatabases().eachSupportedId())(
  'stream API on %p',
  id => {
    const databases = createTestDatabases();

    async function start(
      extra: Partial<Parameters<typeof startSsfBackend>[0]> = {},
    ) {
      return startSsfBackend({ databases, id, ...extra });
    }

    async function countStreams(knex: { (t: string): any }) {
      const [{ n }] = await knex('ssf_streams').count({ n: '*' });
      return Number(n);
    }

    it('serves the transmitter metadata at the plugin and at the host root', async () => {
      const { server } = await start();
      const BASE = baseOf(server);
      const res = await request(server).get(
        '/api/ssf/.well-known/ssf-configuration',
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        spec_version: '1_0',
        issuer: ISSUER,
        jwks_uri: `${BASE}/jwks`,
        delivery_methods_supported: [PUSH, POLL],
        configuration_endpoint: `${BASE}/streams`,
        status_endpoint: `${BASE}/streams/status`,
        verification_endpoint: `${BASE}/streams/verify`,
        add_subject_endpoint: `${BASE}/subjects:add`,
        remove_subject_endpoint: `${BASE}/subjects:remove`,
        authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
        default_subjects: 'ALL',
      });
      const root = await request(server).get(
        '/.well-known/ssf-configuration/api/ssf',
      );
      expect(root.status).toBe(200);
      expect(root.body).toEqual(res.body);
    });

    it('uses a configured issuer and default_subjects', async () => {
      const { server } = await start({
        config: {
          ssf: {
            transmitter: {
              issuer: 'https://portal.example.com/ssf',
              defaultSubjects: 'NONE',
            },
          },
        },
      });
      const res = await request(server).get(
        '/api/ssf/.well-known/ssf-configuration',
      );
      expect(res.body.issuer).toBe('https://portal.example.com/ssf');
      expect(res.body.default_subjects).toBe('NONE');
      // The issuer is not on this backend's origin, so the host root is not ours to serve.
      expect(
        (await request(server).get('/.well-known/ssf-configuration/ssf'))
          .status,
      ).toBe(404);
    });

    it('publishes public signing keys without credentials', async () => {
      const { server } = await start();
      const res = await request(server).get('/api/ssf/jwks');
      expect(res.status).toBe(200);
      expect(res.body.keys).toHaveLength(1);
      expect(res.body.keys[0]).toMatchObject({
        kty: 'RSA',
        alg: 'RS256',
        use: 'sig',
      });
      expect(res.body.keys[0]).not.toHaveProperty('d');
    });

    it("walks the stream API's operations with its example bodies", async () => {
      const { server } = await start();

      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate);
      expect(created.status).toBe(201);
      const streamId = created.body.stream_id;
      expect(created.body).toEqual({
        stream_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iss: ISSUER,
        aud: 'client-a',
        events_supported: expect.arrayContaining([
          SESSION_REVOKED,
          CREDENTIAL_CHANGE,
        ]),
        events_requested: [SESSION_REVOKED],
        events_delivered: [SESSION_REVOKED],
        delivery: {
          method: PUSH,
          endpoint_url: 'https://receiver.example.com/ssf/events',
        },
        description: 'Production event stream',
        min_verification_interval: 30,
      });
      // The authorization header is write-only.
      expect(JSON.stringify(created.body)).not.toContain('eyJhbGci');

      const list = await request(server)
        .get('/api/ssf/streams')
        .set('Authorization', A);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([created.body]);

      const one = await request(server)
        .get('/api/ssf/streams')
        .query({ stream_id: streamId })
        .set('Authorization', A);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(created.body);

      const replaced = await request(server)
        .put('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointReplace(streamId));
      expect(replaced.status).toBe(200);
      expect(replaced.body).toEqual(created.body);

      const updated = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointUpdate(streamId));
      expect(updated.status).toBe(200);
      expect(updated.body.description).toBe(
        'Updated production event stream configuration',
      );

      const status = await request(server)
        .get('/api/ssf/streams/status')
        .query({ stream_id: streamId })
        .set('Authorization', A);
      expect(status.status).toBe(200);
      expect(status.body).toEqual({ stream_id: streamId, status: 'enabled' });

      const paused = await request(server)
        .post('/api/ssf/streams/status')
        .set('Authorization', A)
        .send(sailPointStatus(streamId));
      expect(paused.status).toBe(200);
      expect(paused.body).toEqual({
        stream_id: streamId,
        status: 'paused',
        reason: 'manually paused',
      });
      const statusAfter = await request(server)
        .get('/api/ssf/streams/status')
        .query({ stream_id: streamId })
        .set('Authorization', A);
      expect(statusAfter.body).toEqual(paused.body);

      const deleted = await request(server)
        .delete('/api/ssf/streams')
        .query({ stream_id: streamId })
        .set('Authorization', A);
      expect(deleted.status).toBe(204);
      expect(deleted.text).toBe('');

      for (const r of [
        request(server).get('/api/ssf/streams').query({ stream_id: streamId }),
        request(server)
          .get('/api/ssf/streams/status')
          .query({ stream_id: streamId }),
        request(server)
          .delete('/api/ssf/streams')
          .query({ stream_id: streamId }),
        request(server).patch('/api/ssf/streams').send({ stream_id: streamId }),
        request(server)
          .put('/api/ssf/streams')
          .send(sailPointReplace(streamId)),
        request(server)
          .post('/api/ssf/streams/status')
          .send(sailPointStatus(streamId)),
      ]) {
        expect((await r.set('Authorization', A)).status).toBe(404);
      }
      expect(
        (await request(server).get('/api/ssf/streams').set('Authorization', A))
          .body,
      ).toEqual([]);
    });

    it('creates a poll stream with a transmitter-made endpoint when delivery is absent', async () => {
      const { server } = await start();
      const res = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send({ events_requested: [SESSION_REVOKED] });
      expect(res.status).toBe(201);
      expect(res.body.delivery).toEqual({
        method: POLL,
        endpoint_url: `${baseOf(server)}/poll/${res.body.stream_id}`,
      });
      expect(res.body).not.toHaveProperty('description');

      // Echoing the transmitter's poll URL back is fine; another one is not.
      const echo = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send({ stream_id: res.body.stream_id, delivery: res.body.delivery });
      expect(echo.status).toBe(200);
      const other = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send({
          stream_id: res.body.stream_id,
          delivery: {
            method: POLL,
            endpoint_url: 'https://evil.example.com/poll',
          },
        });
      expect(other.status).toBe(400);
      expect(other.body.error.message).toContain('set by the transmitter');
    });

    it('replaces with PUT: absent receiver-supplied properties are removed', async () => {
      const { server } = await start();
      const { body } = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate);
      const res = await request(server)
        .put('/api/ssf/streams')
        .set('Authorization', A)
        .send({ stream_id: body.stream_id, delivery: { method: POLL } });
      expect(res.status).toBe(200);
      expect(res.body).not.toHaveProperty('description');
      expect(res.body.events_requested).toEqual([]);
      expect(res.body.events_delivered).toEqual([]);
      expect(res.body.delivery.method).toBe(POLL);

      const missingDelivery = await request(server)
        .put('/api/ssf/streams')
        .set('Authorization', A)
        .send({ stream_id: body.stream_id });
      expect(missingDelivery.status).toBe(400);
      expect(missingDelivery.body.error.message).toContain('delivery');
    });

    it('updates with PATCH: absent properties stay, transmitter-supplied ones cannot change', async () => {
      const { server } = await start();
      const { body } = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate);

      const events = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send({
          stream_id: body.stream_id,
          events_requested: [CREDENTIAL_CHANGE, SESSION_REVOKED],
        });
      expect(events.status).toBe(200);
      expect(events.body.description).toBe('Production event stream');
      expect(events.body.events_delivered).toEqual([
        CREDENTIAL_CHANGE,
        SESSION_REVOKED,
      ]);

      // Echoing transmitter-supplied values unchanged is accepted...
      const echo = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send({ ...events.body, description: 'echoed' });
      expect(echo.status).toBe(200);
      expect(echo.body.description).toBe('echoed');

      // ...changing them is not, and nothing is written.
      for (const change of [
        { iss: 'https://elsewhere.example.com' },
        { aud: 'someone-else' },
        { events_delivered: [] },
        { events_supported: [SESSION_REVOKED] },
        { min_verification_interval: 1 },
      ]) {
        const res = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', A)
          .send({
            stream_id: body.stream_id,
            description: 'changed',
            ...change,
          });
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain('set by the transmitter');
      }
      const after = await request(server)
        .get('/api/ssf/streams')
        .query({ stream_id: body.stream_id })
        .set('Authorization', A);
      expect(after.body.description).toBe('echoed');
    });

    it('ignores event types it does not understand on create, PUT and PATCH (SSF 1.0 §8.1.1)', async () => {
      // SSF 1.0 §8.1.1: "A Transmitter MUST ignore any array values that it
      // does not understand"; events_delivered stays supported ∩ requested.
      const { server } = await start();
      const UNKNOWN = 'https://example.com/not-an-event';
      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send({ events_requested: [SESSION_REVOKED, UNKNOWN] });
      expect(created.status).toBe(201);
      expect(created.body.events_requested).toEqual([SESSION_REVOKED, UNKNOWN]);
      expect(created.body.events_delivered).toEqual([SESSION_REVOKED]);
      const streamId = created.body.stream_id;

      const replaced = await request(server)
        .put('/api/ssf/streams')
        .set('Authorization', A)
        .send({
          stream_id: streamId,
          delivery: { method: POLL },
          events_requested: [UNKNOWN, CREDENTIAL_CHANGE],
        });
      expect(replaced.status).toBe(200);
      expect(replaced.body.events_delivered).toEqual([CREDENTIAL_CHANGE]);

      const patched = await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send({ stream_id: streamId, events_requested: [UNKNOWN] });
      expect(patched.status).toBe(200);
      expect(patched.body.events_requested).toEqual([UNKNOWN]);
      expect(patched.body.events_delivered).toEqual([]);
    });

    it("defaults aud to the client ID the authorization server issued, not Backstage's principal name", async () => {
      // Backstage's jwks external access names the principal
      // external:<subjectPrefix>:<sub>; the receiver knows only <sub>.
      const { server } = await start({
        config: {
          backend: {
            baseUrl: 'http://localhost:7007',
            auth: {
              externalAccess: [
                {
                  type: 'jwks',
                  options: {
                    url: 'https://idp.example.com/keys',
                    issuer: 'https://idp.example.com',
                    subjectPrefix: 'oauth2',
                  },
                },
              ],
            },
          },
        },
      });
      const decorated = clientAuth('external:oauth2:client-a');
      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', decorated)
        .send({});
      expect(created.status).toBe(201);
      expect(created.body.aud).toBe('client-a');

      // A proposed aud still wins.
      const other = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth('external:oauth2:client-b'))
        .send({ aud: 'https://receiver-b.example.com' });
      expect(other.body.aud).toBe('https://receiver-b.example.com');

      // An admin creating a stream for a decorated principal gets the bare ID too.
      const forC = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', userAuth())
        .send({ client_id: 'external:oauth2:client-c' });
      expect(forC.status).toBe(201);
      expect(forC.body.aud).toBe('client-c');
    });

    it('answers bad input with 400 and a message, leaving the database unchanged', async () => {
      const { server, knex } = await start();
      const { body } = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate);
      const before = await knex('ssf_streams').select();

      const cases: Array<[string, request.Test, RegExp]> = [
        [
          'malformed JSON',
          request(server)
            .post('/api/ssf/streams')
            .set('Content-Type', 'application/json')
            .send('{"delivery": '),
          /not valid JSON/,
        ],
        [
          'not JSON',
          request(server)
            .post('/api/ssf/streams')
            .set('Content-Type', 'text/plain')
            .send('hello'),
          /must be JSON/,
        ],
        [
          'an array body',
          request(server).post('/api/ssf/streams').send([1, 2]),
          /expected object/,
        ],
        [
          'a wrong type',
          request(server).post('/api/ssf/streams').send({ description: 42 }),
          /description: .*expected string/,
        ],
        [
          'an event type that is not a string',
          request(server)
            .post('/api/ssf/streams')
            .send({ events_requested: [42] }),
          /events_requested.0: .*expected string/,
        ],
        [
          'an unknown delivery method',
          request(server)
            .post('/api/ssf/streams')
            .send({ delivery: { method: 'urn:example:smoke-signals' } }),
          /delivery/,
        ],
        [
          'an unknown property',
          request(server).post('/api/ssf/streams').send({ colour: 'blue' }),
          /colour/,
        ],
        [
          'an http endpoint',
          request(server)
            .post('/api/ssf/streams')
            .send({
              delivery: {
                method: PUSH,
                endpoint_url: 'http://receiver.example.com/',
              },
            }),
          /must use https/,
        ],
        [
          'a cloud metadata endpoint',
          request(server)
            .post('/api/ssf/streams')
            .send({
              delivery: {
                method: PUSH,
                endpoint_url: 'https://169.254.169.254/latest',
              },
            }),
          /linkLocal address/,
        ],
        [
          'a loopback endpoint',
          request(server)
            .post('/api/ssf/streams')
            .send({
              delivery: {
                method: PUSH,
                endpoint_url: 'https://localhost:8443/events',
              },
            }),
          /loopback address/,
        ],
        [
          'a header injection in the authorization header',
          request(server)
            .post('/api/ssf/streams')
            .send({
              delivery: {
                method: PUSH,
                endpoint_url: 'https://receiver.example.com/',
                authorization_header: 'Bearer x\r\nX-Evil: 1',
              },
            }),
          /single-line header value/,
        ],
        [
          'a poll endpoint chosen by the receiver',
          request(server)
            .post('/api/ssf/streams')
            .send({
              delivery: {
                method: POLL,
                endpoint_url: 'https://receiver.example.com/',
              },
            }),
          /set by the transmitter/,
        ],
        [
          'DELETE without stream_id',
          request(server).delete('/api/ssf/streams'),
          /stream_id is required/,
        ],
        [
          'DELETE with an empty stream_id',
          request(server).delete('/api/ssf/streams').query({ stream_id: '' }),
          /stream_id must not be empty/,
        ],
        [
          'a repeated stream_id',
          request(server)
            .get('/api/ssf/streams')
            .query('stream_id=a&stream_id=b'),
          /stream_id/,
        ],
        [
          'status without stream_id',
          request(server).get('/api/ssf/streams/status'),
          /stream_id/,
        ],
        [
          'an unknown status',
          request(server)
            .post('/api/ssf/streams/status')
            .send({ stream_id: body.stream_id, status: 'on' }),
          /status must be one of 'enabled', 'paused' or 'disabled'/,
        ],
        [
          'PATCH without stream_id',
          request(server).patch('/api/ssf/streams').send({ description: 'x' }),
          /stream_id/,
        ],
        [
          'a client choosing another owner',
          request(server)
            .post('/api/ssf/streams')
            .send({ client_id: 'client-z' }),
          /client_id can only be chosen by a portal administrator/,
        ],
      ];
      for (const [what, req, message] of cases) {
        const res = await req.set('Authorization', B);
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
        expect({ what, message: res.body.error?.message }).toEqual({
          what,
          message: expect.stringMatching(message),
        });
      }

      const huge = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', B)
        .send({ description: 'x'.repeat(70 * 1024) });
      expect(huge.status).toBe(413);
      expect(huge.body.error.message).toContain('larger than 64kb');

      expect(await knex('ssf_streams').select()).toEqual(before);
    });

    it('answers a missing or invalid token with 401 and a Bearer challenge', async () => {
      const { server } = await start();
      const routes = [
        request(server).get('/api/ssf/streams'),
        request(server).post('/api/ssf/streams').send(sailPointCreate),
        request(server).put('/api/ssf/streams').send({}),
        request(server).patch('/api/ssf/streams').send({}),
        request(server).delete('/api/ssf/streams').query({ stream_id: 'x' }),
        request(server)
          .get('/api/ssf/streams/status')
          .query({ stream_id: 'x' }),
        request(server).post('/api/ssf/streams/status').send({}),
      ];
      for (const route of routes) {
        // The test backend treats a request without a header as the default
        // user, so "no credentials" is spelt out explicitly here.
        const res = await route.set(
          'Authorization',
          mockCredentials.none.header(),
        );
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(
          new RegExp(`^Bearer realm="${ISSUER}"`),
        );
      }
      const invalid = await request(server)
        .get('/api/ssf/streams')
        .set('Authorization', 'Bearer not-a-valid-token');
      expect(invalid.status).toBe(401);
      expect(invalid.headers['www-authenticate']).toContain(
        'error="invalid_token"',
      );
    });

    it('allows one stream per client and at most maxStreams in all', async () => {
      const { server } = await start({
        config: { ssf: { transmitter: { maxStreams: 2 } } },
      });
      expect(
        (
          await request(server)
            .post('/api/ssf/streams')
            .set('Authorization', A)
            .send({})
        ).status,
      ).toBe(201);
      const again = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send({});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(
        /already exists for client 'client-a'/,
      );

      expect(
        (
          await request(server)
            .post('/api/ssf/streams')
            .set('Authorization', B)
            .send({})
        ).status,
      ).toBe(201);
      const third = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth('client-c'))
        .send({});
      expect(third.status).toBe(409);
      expect(third.body.error.message).toMatch(/at most 2 streams/);
    });

    it("keeps clients apart: another client's stream is not found", async () => {
      const { server } = await start();
      const a = (
        await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', A)
          .send(sailPointCreate)
      ).body;
      const b = (
        await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', B)
          .send({})
      ).body;

      expect(
        (await request(server).get('/api/ssf/streams').set('Authorization', A))
          .body,
      ).toEqual([a]);
      expect(
        (await request(server).get('/api/ssf/streams').set('Authorization', B))
          .body,
      ).toEqual([b]);

      for (const r of [
        request(server)
          .get('/api/ssf/streams')
          .query({ stream_id: a.stream_id }),
        request(server)
          .get('/api/ssf/streams/status')
          .query({ stream_id: a.stream_id }),
        request(server)
          .patch('/api/ssf/streams')
          .send({ stream_id: a.stream_id, description: 'mine' }),
        request(server)
          .put('/api/ssf/streams')
          .send({ stream_id: a.stream_id, delivery: { method: POLL } }),
        request(server)
          .post('/api/ssf/streams/status')
          .send({ stream_id: a.stream_id, status: 'disabled' }),
        request(server)
          .delete('/api/ssf/streams')
          .query({ stream_id: a.stream_id }),
      ]) {
        const res = await r.set('Authorization', B);
        expect(res.status).toBe(404);
        expect(res.body.error.message).toBe(`Stream ${a.stream_id} not found`);
      }
      const still = await request(server)
        .get('/api/ssf/streams')
        .query({ stream_id: a.stream_id })
        .set('Authorization', A);
      expect(still.body).toEqual(a);
    });

    it('filters by audience', async () => {
      const { server } = await start();
      await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send({ aud: ['x', 'y'] });
      await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', B)
        .send({});
      const admin = userAuth();
      const res = await request(server)
        .get('/api/ssf/streams')
        .query({ aud: 'y' })
        .set('Authorization', admin);
      expect(res.body.map((s: { aud: unknown }) => s.aud)).toEqual([
        ['x', 'y'],
      ]);
      expect(
        (
          await request(server)
            .get('/api/ssf/streams')
            .query({ aud: 'nobody' })
            .set('Authorization', A)
        ).body,
      ).toEqual([]);
    });

    it('lets portal admins with permission manage every stream', async () => {
      const { server } = await start();
      const a = (
        await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', A)
          .send({})
      ).body;
      const admin = userAuth();

      const all = await request(server)
        .get('/api/ssf/streams')
        .set('Authorization', admin);
      expect(all.body).toEqual([a]);

      const forB = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', admin)
        .send({ client_id: 'client-b', description: 'made by an admin' });
      expect(forB.status).toBe(201);
      expect(forB.body.aud).toBe('client-b');
      // The receiver it was made for owns it.
      expect(
        (await request(server).get('/api/ssf/streams').set('Authorization', B))
          .body,
      ).toEqual([forB.body]);

      const disabled = await request(server)
        .post('/api/ssf/streams/status')
        .set('Authorization', admin)
        .send({
          stream_id: a.stream_id,
          status: 'disabled',
          reason: 'offboarded',
        });
      expect(disabled.body).toEqual({
        stream_id: a.stream_id,
        status: 'disabled',
        reason: 'offboarded',
      });
      expect(
        (
          await request(server)
            .delete('/api/ssf/streams')
            .query({ stream_id: a.stream_id })
            .set('Authorization', admin)
        ).status,
      ).toBe(204);
    });

    it('refuses portal users without permission with 403', async () => {
      const { server, knex } = await start({
        permission: AuthorizeResult.DENY,
      });
      const user = userAuth('user:default/guest');
      const routes = [
        request(server).get('/api/ssf/streams'),
        request(server).post('/api/ssf/streams').send({}),
        request(server)
          .put('/api/ssf/streams')
          .send({ stream_id: 'x', delivery: { method: POLL } }),
        request(server).patch('/api/ssf/streams').send({ stream_id: 'x' }),
        request(server).delete('/api/ssf/streams').query({ stream_id: 'x' }),
        request(server)
          .get('/api/ssf/streams/status')
          .query({ stream_id: 'x' }),
        request(server)
          .post('/api/ssf/streams/status')
          .send({ stream_id: 'x', status: 'enabled' }),
      ];
      for (const route of routes) {
        const res = await route.set('Authorization', user);
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /requires the ssf\.stream\.(read|manage) permission/,
        );
      }
      expect(await countStreams(knex)).toBe(0);
    });

    it('audits every mutation without the authorization header', async () => {
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
      const { body } = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate);
      await request(server)
        .patch('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointUpdate(body.stream_id));
      await request(server)
        .put('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointReplace(body.stream_id));
      await request(server)
        .post('/api/ssf/streams/status')
        .set('Authorization', A)
        .send(sailPointStatus(body.stream_id));
      await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', A)
        .send(sailPointCreate); // 409
      await request(server)
        .delete('/api/ssf/streams')
        .query({ stream_id: body.stream_id })
        .set('Authorization', A);

      expect(
        events.map(e => [
          e.options.eventId,
          e.options.meta.actionType,
          Object.keys(e.outcome)[0],
        ]),
      ).toEqual([
        ['stream-mutate', 'create', 'success'],
        ['stream-mutate', 'update', 'success'],
        ['stream-mutate', 'replace', 'success'],
        ['stream-mutate', 'update-status', 'success'],
        ['stream-mutate', 'create', 'fail'],
        ['stream-mutate', 'delete', 'success'],
      ]);
      expect(events[3].outcome.success.meta).toEqual({
        streamId: body.stream_id,
        from: 'enabled',
        to: 'paused',
      });
      expect(
        JSON.stringify(events.map(e => [e.options.meta, e.outcome])),
      ).not.toContain('eyJhbGci');
    });
  },
);
