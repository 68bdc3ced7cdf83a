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

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { captureAudits } from '../../__testUtils__/capturedAudits';
import {
  describeOnEachDatabase,
  rowCount,
} from '../../__testUtils__/databases';
import {
  CREDENTIAL_CHANGE,
  POLL,
  PUSH,
  SESSION_REVOKED,
  TEST_ISSUER,
} from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

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
const ADMIN = userAuth();
// The issuer comes from config; endpoints from the test server's real address.
const baseOf = (server: { port(): number }) =>
  `http://localhost:${server.port()}/api/ssf`;

describeOnEachDatabase('stream API', (databases, id) => {
  const start = (extra: Partial<Parameters<typeof startTransmitter>[0]> = {}) =>
    startTransmitter({ databases, id, ...extra });

  /** A backend on which client A made its stream from the create example. */
  async function startWithExampleStream(
    extra: Partial<Parameters<typeof startTransmitter>[0]> = {},
  ) {
    const started = await start(extra);
    const created = await started.api.createStream(A, sailPointCreate);
    return { ...started, stream: created.body };
  }

  it('serves the transmitter metadata at the plugin and at the host root', async () => {
    const { server, api } = await start();
    const BASE = baseOf(server);
    const res = await api.metadata();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      spec_version: '1_0',
      issuer: TEST_ISSUER,
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
    const { server, api } = await start({
      config: {
        ssf: {
          transmitter: {
            issuer: 'https://portal.example.com/ssf',
            defaultSubjects: 'NONE',
          },
        },
      },
    });
    const res = await api.metadata();
    expect(res.body.issuer).toBe('https://portal.example.com/ssf');
    expect(res.body.default_subjects).toBe('NONE');
    // The issuer is not on this backend's origin, so the host root is not ours to serve.
    expect(
      (await request(server).get('/.well-known/ssf-configuration/ssf')).status,
    ).toBe(404);
  });

  it('publishes public signing keys without credentials', async () => {
    const { api } = await start();
    const res = await api.jwks();
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
    const { api } = await start();

    const created = await api.createStream(A, sailPointCreate);
    expect(created.status).toBe(201);
    const streamId = created.body.stream_id;
    expect(created.body).toEqual({
      stream_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iss: TEST_ISSUER,
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

    const list = await api.listStreams(A);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([created.body]);

    const one = await api.getStream(A, streamId);
    expect(one.status).toBe(200);
    expect(one.body).toEqual(created.body);

    const replaced = await api.replaceStream(A, sailPointReplace(streamId));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toEqual(created.body);

    const updated = await api.updateStream(A, sailPointUpdate(streamId));
    expect(updated.status).toBe(200);
    expect(updated.body.description).toBe(
      'Updated production event stream configuration',
    );

    const status = await api.getStatus(A, streamId);
    expect(status.status).toBe(200);
    expect(status.body).toEqual({ stream_id: streamId, status: 'enabled' });

    const paused = await api.setStatus(A, sailPointStatus(streamId));
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({
      stream_id: streamId,
      status: 'paused',
      reason: 'manually paused',
    });
    const statusAfter = await api.getStatus(A, streamId);
    expect(statusAfter.body).toEqual(paused.body);

    const deleted = await api.deleteStream(A, streamId);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    for (const r of [
      api.getStream(A, streamId),
      api.getStatus(A, streamId),
      api.deleteStream(A, streamId),
      api.updateStream(A, { stream_id: streamId }),
      api.replaceStream(A, sailPointReplace(streamId)),
      api.setStatus(A, sailPointStatus(streamId)),
    ]) {
      expect((await r).status).toBe(404);
    }
    expect((await api.listStreams(A)).body).toEqual([]);
  });

  it('creates a poll stream with a transmitter-made endpoint when delivery is absent', async () => {
    const { server, api } = await start();
    const res = await api.createStream(A, {
      events_requested: [SESSION_REVOKED],
    });
    expect(res.status).toBe(201);
    expect(res.body.delivery).toEqual({
      method: POLL,
      endpoint_url: `${baseOf(server)}/poll/${res.body.stream_id}`,
    });
    expect(res.body).not.toHaveProperty('description');

    // Echoing the transmitter's poll URL back is fine; another one is not.
    const echo = await api.updateStream(A, {
      stream_id: res.body.stream_id,
      delivery: res.body.delivery,
    });
    expect(echo.status).toBe(200);
    const other = await api.updateStream(A, {
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
    const { api, stream } = await startWithExampleStream();
    const res = await api.replaceStream(A, {
      stream_id: stream.stream_id,
      delivery: { method: POLL },
    });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty('description');
    expect(res.body.events_requested).toEqual([]);
    expect(res.body.events_delivered).toEqual([]);
    expect(res.body.delivery.method).toBe(POLL);

    const missingDelivery = await api.replaceStream(A, {
      stream_id: stream.stream_id,
    });
    expect(missingDelivery.status).toBe(400);
    expect(missingDelivery.body.error.message).toContain('delivery');
  });

  it('updates with PATCH: absent properties stay, transmitter-supplied ones cannot change', async () => {
    const { api, stream } = await startWithExampleStream();

    const events = await api.updateStream(A, {
      stream_id: stream.stream_id,
      events_requested: [CREDENTIAL_CHANGE, SESSION_REVOKED],
    });
    expect(events.status).toBe(200);
    expect(events.body.description).toBe('Production event stream');
    expect(events.body.events_delivered).toEqual([
      CREDENTIAL_CHANGE,
      SESSION_REVOKED,
    ]);

    // Echoing transmitter-supplied values unchanged is accepted...
    const echo = await api.updateStream(A, {
      ...events.body,
      description: 'echoed',
    });
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
      const res = await api.updateStream(A, {
        stream_id: stream.stream_id,
        description: 'changed',
        ...change,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('set by the transmitter');
    }
    const after = await api.getStream(A, stream.stream_id);
    expect(after.body.description).toBe('echoed');
  });

  it('ignores event types it does not understand on create, PUT and PATCH (SSF 1.0 §8.1.1)', async () => {
    // SSF 1.0 §8.1.1: "A Transmitter MUST ignore any array values that it
    // does not understand"; events_delivered stays supported ∩ requested.
    const { api } = await start();
    const UNKNOWN = 'https://example.com/not-an-event';
    const created = await api.createStream(A, {
      events_requested: [SESSION_REVOKED, UNKNOWN],
    });
    expect(created.status).toBe(201);
    expect(created.body.events_requested).toEqual([SESSION_REVOKED, UNKNOWN]);
    expect(created.body.events_delivered).toEqual([SESSION_REVOKED]);
    const streamId = created.body.stream_id;

    const replaced = await api.replaceStream(A, {
      stream_id: streamId,
      delivery: { method: POLL },
      events_requested: [UNKNOWN, CREDENTIAL_CHANGE],
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.events_delivered).toEqual([CREDENTIAL_CHANGE]);

    const patched = await api.updateStream(A, {
      stream_id: streamId,
      events_requested: [UNKNOWN],
    });
    expect(patched.status).toBe(200);
    expect(patched.body.events_requested).toEqual([UNKNOWN]);
    expect(patched.body.events_delivered).toEqual([]);
  });

  it("defaults aud to the client ID the authorization server issued, not Backstage's principal name", async () => {
    // Backstage's jwks external access names the principal
    // external:<subjectPrefix>:<sub>; the receiver knows only <sub>.
    const { api } = await start({
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
    const created = await api.createStream(
      clientAuth('external:oauth2:client-a'),
    );
    expect(created.status).toBe(201);
    expect(created.body.aud).toBe('client-a');

    // A proposed aud still wins.
    const other = await api.createStream(
      clientAuth('external:oauth2:client-b'),
      { aud: 'https://receiver-b.example.com' },
    );
    expect(other.body.aud).toBe('https://receiver-b.example.com');

    // An admin creating a stream for a decorated principal gets the bare ID too.
    const forC = await api.createStream(ADMIN, {
      client_id: 'external:oauth2:client-c',
    });
    expect(forC.status).toBe(201);
    expect(forC.body.aud).toBe('client-c');
  });

  it('answers bad input with 400 and a message, leaving the database unchanged', async () => {
    const { server, knex, api, stream } = await startWithExampleStream();
    const before = await knex('ssf_streams').select();
    /** A create whose body is not a JSON object, as `contentType`. */
    const rawCreate = (contentType: string, text: string) =>
      request(server)
        .post('/api/ssf/streams')
        .set('Authorization', B)
        .set('Content-Type', contentType)
        .send(text);
    const create = (config: object) => api.createStream(B, config);
    const pushTo = (delivery: object) =>
      create({ delivery: { method: PUSH, ...delivery } });

    const cases: Array<[string, request.Test, RegExp]> = [
      [
        'malformed JSON',
        rawCreate('application/json', '{"delivery": '),
        /not valid JSON/,
      ],
      ['not JSON', rawCreate('text/plain', 'hello'), /must be JSON/],
      ['an array body', create([1, 2]), /expected object/],
      [
        'a wrong type',
        create({ description: 42 }),
        /description: .*expected string/,
      ],
      [
        'an event type that is not a string',
        create({ events_requested: [42] }),
        /events_requested.0: .*expected string/,
      ],
      [
        'an unknown delivery method',
        create({ delivery: { method: 'urn:example:smoke-signals' } }),
        /delivery/,
      ],
      ['an unknown property', create({ colour: 'blue' }), /colour/],
      [
        'an http endpoint',
        pushTo({ endpoint_url: 'http://receiver.example.com/' }),
        /must use https/,
      ],
      [
        'a cloud metadata endpoint',
        pushTo({ endpoint_url: 'https://169.254.169.254/latest' }),
        /linkLocal address/,
      ],
      [
        'a loopback endpoint',
        pushTo({ endpoint_url: 'https://localhost:8443/events' }),
        /loopback address/,
      ],
      [
        'a header injection in the authorization header',
        pushTo({
          endpoint_url: 'https://receiver.example.com/',
          authorization_header: 'Bearer x\r\nX-Evil: 1',
        }),
        /single-line header value/,
      ],
      [
        'a poll endpoint chosen by the receiver',
        create({
          delivery: {
            method: POLL,
            endpoint_url: 'https://receiver.example.com/',
          },
        }),
        /set by the transmitter/,
      ],
      [
        'DELETE without stream_id',
        request(server).delete('/api/ssf/streams').set('Authorization', B),
        /stream_id is required/,
      ],
      [
        'DELETE with an empty stream_id',
        api.deleteStream(B, ''),
        /stream_id must not be empty/,
      ],
      [
        'a repeated stream_id',
        request(server)
          .get('/api/ssf/streams')
          .query('stream_id=a&stream_id=b')
          .set('Authorization', B),
        /stream_id/,
      ],
      [
        'status without stream_id',
        request(server).get('/api/ssf/streams/status').set('Authorization', B),
        /stream_id/,
      ],
      [
        'an unknown status',
        api.setStatus(B, { stream_id: stream.stream_id, status: 'on' }),
        /status must be one of 'enabled', 'paused' or 'disabled'/,
      ],
      [
        'PATCH without stream_id',
        api.updateStream(B, { description: 'x' }),
        /stream_id/,
      ],
      [
        'a client choosing another owner',
        create({ client_id: 'client-z' }),
        /client_id can only be chosen by a portal administrator/,
      ],
    ];
    for (const [what, req, message] of cases) {
      const res = await req;
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expect({ what, message: res.body.error?.message }).toEqual({
        what,
        message: expect.stringMatching(message),
      });
    }

    const huge = await create({ description: 'x'.repeat(70 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.message).toContain('larger than 64kb');

    expect(await knex('ssf_streams').select()).toEqual(before);
  });

  it('answers a missing or invalid token with 401 and a Bearer challenge', async () => {
    const { api } = await start();
    // The test backend treats a request without a header as the default
    // user, so "no credentials" is spelt out explicitly here.
    const none = mockCredentials.none.header();
    const routes = [
      api.listStreams(none),
      api.createStream(none, sailPointCreate),
      api.replaceStream(none, {}),
      api.updateStream(none, {}),
      api.deleteStream(none, 'x'),
      api.getStatus(none, 'x'),
      api.setStatus(none, {}),
    ];
    for (const route of routes) {
      const res = await route;
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(
        new RegExp(`^Bearer realm="${TEST_ISSUER}"`),
      );
    }
    const invalid = await api.listStreams('Bearer not-a-valid-token');
    expect(invalid.status).toBe(401);
    expect(invalid.headers['www-authenticate']).toContain(
      'error="invalid_token"',
    );
  });

  it('allows one stream per client and at most maxStreams in all', async () => {
    const { api } = await start({
      config: { ssf: { transmitter: { maxStreams: 2 } } },
    });
    expect((await api.createStream(A)).status).toBe(201);
    const again = await api.createStream(A);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(
      /already exists for client 'client-a'/,
    );

    expect((await api.createStream(B)).status).toBe(201);
    const third = await api.createStream(clientAuth('client-c'));
    expect(third.status).toBe(409);
    expect(third.body.error.message).toMatch(/at most 2 streams/);
  });

  it("keeps clients apart: another client's stream is not found", async () => {
    const { api, stream: a } = await startWithExampleStream();
    const b = (await api.createStream(B)).body;

    expect((await api.listStreams(A)).body).toEqual([a]);
    expect((await api.listStreams(B)).body).toEqual([b]);

    const streamId = a.stream_id;
    for (const r of [
      api.getStream(B, streamId),
      api.getStatus(B, streamId),
      api.updateStream(B, { stream_id: streamId, description: 'mine' }),
      api.replaceStream(B, {
        stream_id: streamId,
        delivery: { method: POLL },
      }),
      api.setStatus(B, { stream_id: streamId, status: 'disabled' }),
      api.deleteStream(B, streamId),
    ]) {
      const res = await r;
      expect(res.status).toBe(404);
      expect(res.body.error.message).toBe(`Stream ${streamId} not found`);
    }
    expect((await api.getStream(A, streamId)).body).toEqual(a);
  });

  it('filters by audience', async () => {
    const { api } = await start();
    await api.createStream(A, { aud: ['x', 'y'] });
    await api.createStream(B);
    const res = await api.listStreams(ADMIN, { aud: 'y' });
    expect(res.body.map((s: { aud: unknown }) => s.aud)).toEqual([['x', 'y']]);
    expect((await api.listStreams(A, { aud: 'nobody' })).body).toEqual([]);
  });

  it('lets portal admins with permission manage every stream', async () => {
    const { api } = await start();
    const a = (await api.createStream(A)).body;

    const all = await api.listStreams(ADMIN);
    expect(all.body).toEqual([a]);

    const forB = await api.createStream(ADMIN, {
      client_id: 'client-b',
      description: 'made by an admin',
    });
    expect(forB.status).toBe(201);
    expect(forB.body.aud).toBe('client-b');
    // The receiver it was made for owns it.
    expect((await api.listStreams(B)).body).toEqual([forB.body]);

    const disabled = await api.setStatus(ADMIN, {
      stream_id: a.stream_id,
      status: 'disabled',
      reason: 'offboarded',
    });
    expect(disabled.body).toEqual({
      stream_id: a.stream_id,
      status: 'disabled',
      reason: 'offboarded',
    });
    expect((await api.deleteStream(ADMIN, a.stream_id)).status).toBe(204);
  });

  it('refuses portal users without permission with 403', async () => {
    const { knex, api } = await start({
      permission: AuthorizeResult.DENY,
    });
    const user = userAuth('user:default/guest');
    const routes = [
      api.listStreams(user),
      api.createStream(user),
      api.replaceStream(user, { stream_id: 'x', delivery: { method: POLL } }),
      api.updateStream(user, { stream_id: 'x' }),
      api.deleteStream(user, 'x'),
      api.getStatus(user, 'x'),
      api.setStatus(user, { stream_id: 'x', status: 'enabled' }),
    ];
    for (const route of routes) {
      const res = await route;
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /requires the ssf\.stream\.(read|manage) permission/,
      );
    }
    expect(await rowCount(knex, 'ssf_streams')).toBe(0);
  });

  it('audits every mutation without the authorization header', async () => {
    const audits = captureAudits();
    const { api, stream } = await startWithExampleStream({
      extraFeatures: [audits.factory],
    });
    await api.updateStream(A, sailPointUpdate(stream.stream_id));
    await api.replaceStream(A, sailPointReplace(stream.stream_id));
    await api.setStatus(A, sailPointStatus(stream.stream_id));
    await api.createStream(A, sailPointCreate); // 409
    await api.deleteStream(A, stream.stream_id);

    expect(audits.summary()).toEqual([
      ['stream-mutate', 'create', 'success'],
      ['stream-mutate', 'update', 'success'],
      ['stream-mutate', 'replace', 'success'],
      ['stream-mutate', 'update-status', 'success'],
      ['stream-mutate', 'create', 'fail'],
      ['stream-mutate', 'delete', 'success'],
    ]);
    expect(audits.events[3].outcome.success.meta).toEqual({
      streamId: stream.stream_id,
      from: 'enabled',
      to: 'paused',
    });
    expect(audits.recorded()).not.toContain('eyJhbGci');
  });
});
