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
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
import {
  describeOnEachDatabase,
  rowCount,
} from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import {
  CREDENTIAL_CHANGE,
  PUSH,
  SESSION_REVOKED,
  STREAM_UPDATED,
  TEST_ISSUER,
  VERIFICATION,
} from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { pushStream } from '../__testUtils__/transmitterApi';
import { startPushTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

const A = clientAuth('client-a');

const alice = { format: 'email', email: 'alice@example.com' };
const bob = { format: 'email', email: 'bob@example.com' };

describeOnEachDatabase('push delivery', (databases, id) => {
  let receiver: Awaited<ReturnType<typeof startTestReceiver>>;

  beforeEach(async () => {
    receiver = await startTestReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  async function setUp(transmitter: JsonObject = {}, delivery?: JsonObject) {
    const started = await startPushTransmitter({
      databases,
      id,
      transmitter,
      delivery,
    });
    const { api, knex } = started;
    const emit = (type: string, subject: object, payload: object = {}) =>
      api.emit({ type, subject, payload });
    const createStream = (body: object = {}) =>
      api.createStream(A, {
        ...pushStream(receiver.url, 'Bearer receiver-secret'),
        ...body,
      });
    const setStatus = (streamId: string, status: string, auth = A) =>
      api.setStatus(auth, {
        stream_id: streamId,
        status,
        reason: `now ${status}`,
      });
    const adminView = async () =>
      (await api.adminStreams(userAuth())).body.items;
    /** The SET's outbox row, once it is in `state`. */
    const rowOnceIn = (jti: string, state: string) =>
      waitFor(async () => {
        const row = await knex('ssf_outbox').where({ jti }).first();
        return row?.state === state && row;
      });
    return {
      ...started,
      emit,
      createStream,
      setStatus,
      adminView,
      rowOnceIn,
    };
  }

  it('pushes a signed SET with every claim, verifiable against /jwks', async () => {
    const { api, emit, createStream } = await setUp();
    const stream = (await createStream()).body;
    const emitted = await emit(SESSION_REVOKED, alice, {
      initiating_entity: 'policy',
      reason_admin: { en: 'terminated' },
    });
    expect(emitted.status).toBe(202);
    expect(emitted.body.sets).toEqual([
      { stream_id: stream.stream_id, jti: expect.any(String) },
    ]);

    await waitFor(() => receiver.received.length === 1, 10_000, 'the SET');
    const [push] = receiver.received;
    expect(push.headers['content-type']).toBe('application/secevent+jwt');
    expect(push.headers.accept).toBe('application/json');
    expect(push.headers.authorization).toBe('Bearer receiver-secret');

    const jwks = (await api.jwks()).body;
    const { payload, protectedHeader } = await jwtVerify(
      push.body,
      createLocalJWKSet(jwks),
      {
        issuer: TEST_ISSUER,
        audience: 'client-a',
        typ: 'secevent+jwt',
      },
    );
    expect(protectedHeader).toEqual({
      alg: 'RS256',
      kid: jwks.keys[0].kid,
      typ: 'secevent+jwt',
    });
    expect(payload).toEqual({
      iss: TEST_ISSUER,
      aud: 'client-a',
      iat: expect.any(Number),
      jti: emitted.body.sets[0].jti,
      txn: emitted.body.txn,
      sub_id: alice,
      events: {
        [SESSION_REVOKED]: {
          initiating_entity: 'policy',
          reason_admin: { en: 'terminated' },
        },
      },
    });
    expect(payload).not.toHaveProperty('sub');
    expect(payload).not.toHaveProperty('exp');
  });

  it('hands the SETs it emits to its own worker, stored already leased', async () => {
    const { knex, emit, createStream } = await setUp();
    await createStream();
    const inserted: Array<Record<string, unknown>> = [];
    knex.on('query', (query: { sql: string; bindings?: unknown[] }) => {
      const match = /^insert into ["`]ssf_outbox["`] \(([^)]*)\)/.exec(
        query.sql,
      );
      if (!match) return;
      const columns = match[1].split(', ').map(c => c.replace(/["`]/g, ''));
      inserted.push(
        Object.fromEntries(columns.map((c, i) => [c, query.bindings![i]])),
      );
    });

    expect((await emit(SESSION_REVOKED, alice)).status).toBe(202);
    await waitFor(() => receiver.received.length === 1, 10_000, 'the SET');
    // Stored leased to this instance as its first attempt, so the worker
    // pushes it without claiming it.
    expect(inserted).toEqual([
      expect.objectContaining({
        lease_owner: expect.any(String),
        attempts: 1,
      }),
    ]);
  });

  it('signs with ES256 when configured', async () => {
    const { emit, createStream } = await setUp({
      signing: { algorithm: 'ES256' },
    });
    await createStream();
    await emit(SESSION_REVOKED, alice);
    await waitFor(() => receiver.received.length === 1);
    expect(decodeProtectedHeader(receiver.received[0].body).alg).toBe('ES256');
  });

  it('sends no Authorization header when the stream has none', async () => {
    const { emit, createStream } = await setUp();
    await createStream(pushStream(receiver.url));
    await emit(SESSION_REVOKED, alice);
    await waitFor(() => receiver.received.length === 1);
    expect(receiver.received[0].headers).not.toHaveProperty('authorization');
  });

  it('keeps the write-only authorization header when a PATCH echoes the same endpoint', async () => {
    const { api, emit, createStream } = await setUp();
    const stream = (await createStream()).body;
    // A receiver PATCHes back the delivery it read, which has no header.
    await api.updateStream(A, {
      stream_id: stream.stream_id,
      delivery: stream.delivery,
      description: 'x',
    });
    await emit(SESSION_REVOKED, alice);
    await waitFor(() => receiver.received.length === 1);
    expect(receiver.received[0].headers.authorization).toBe(
      'Bearer receiver-secret',
    );

    // A new endpoint never inherits the old endpoint's secret.
    const other = await startTestReceiver();
    try {
      await api.updateStream(A, {
        stream_id: stream.stream_id,
        delivery: { method: PUSH, endpoint_url: other.url },
      });
      await emit(SESSION_REVOKED, bob);
      await waitFor(() => other.received.length === 1);
      expect(other.received[0].headers).not.toHaveProperty('authorization');
    } finally {
      await other.close();
    }
  });

  it('delivers only the requested event types and refuses invalid events at emit time', async () => {
    const { emit, createStream, knex } = await setUp();
    await createStream();
    expect(
      (
        await emit(CREDENTIAL_CHANGE, alice, {
          credential_type: 'password',
          change_type: 'update',
        })
      ).body.sets,
    ).toEqual([]);
    const bad = await emit(CREDENTIAL_CHANGE, alice, {
      credential_type: 'password',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/change_type/);
    const badSubject = await emit(SESSION_REVOKED, {
      format: 'email',
      email: 'not-an-email',
    });
    expect(badSubject.status).toBe(400);
    const unknown = await emit('https://example.com/unknown', alice);
    expect(unknown.status).toBe(400);
    await emit(SESSION_REVOKED, alice);
    await waitFor(() => receiver.received.length === 1);
    expect(await rowCount(knex, 'ssf_outbox')).toBe(1);
  });

  it('refuses emits from anyone but backend plugins', async () => {
    const { api } = await setUp();
    for (const auth of [A, userAuth()]) {
      const res = await api.emit(
        { type: SESSION_REVOKED, subject: alice },
        auth,
      );
      expect(res.status).toBe(403);
    }
  });

  it('verifies a stream, echoing state, at most once per min_verification_interval', async () => {
    const { api, createStream, adminView } = await setUp();
    const stream = (await createStream()).body;
    const verify = () =>
      api.verify(A, { stream_id: stream.stream_id, state: 'challenge-123' });
    const first = await verify();
    expect(first.status).toBe(204);
    await waitFor(() => receiver.received.length === 1);
    const { payload } = await jwtVerify(
      receiver.received[0].body,
      createLocalJWKSet((await api.jwks()).body),
    );
    expect(payload.sub_id).toEqual({
      format: 'opaque',
      id: stream.stream_id,
    });
    expect(payload.events).toEqual({
      [VERIFICATION]: { state: 'challenge-123' },
    });

    const second = await verify();
    expect(second.status).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    expect(second.body.error.message).toMatch(/min_verification_interval/);

    const [view] = await waitFor(async () => {
      const items = await adminView();
      return items[0].last_verification?.status === 'delivered' && items;
    });
    expect(view.last_verification).toMatchObject({
      state: 'challenge-123',
      status: 'delivered',
      delivered_at: expect.any(String),
    });

    const other = await api.verify(clientAuth('client-b'), {
      stream_id: stream.stream_id,
    });
    expect(other.status).toBe(404);
  });

  it('holds events while paused and delivers them, after a stream-updated SET, on enable', async () => {
    const { emit, createStream, setStatus, adminView } = await setUp();
    const stream = (await createStream()).body;
    expect((await setStatus(stream.stream_id, 'paused')).status).toBe(200);
    await emit(SESSION_REVOKED, alice);
    await emit(SESSION_REVOKED, bob);
    await new Promise(r => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(0);
    expect((await adminView())[0].stats).toMatchObject({
      held: 2,
      pending: 0,
    });

    await setStatus(stream.stream_id, 'enabled');
    await waitFor(() => receiver.received.length === 3, 10_000, 'three SETs');
    const events = receiver.received.map(
      r => decodeJwt(r.body).events as Record<string, unknown>,
    );
    expect(events).toContainEqual({
      [STREAM_UPDATED]: { status: 'enabled', reason: 'now enabled' },
    });
    expect(events.filter(e => e[SESSION_REVOKED])).toHaveLength(2);
  });

  it('drops events for a disabled stream and tells the receiver when an admin disables it', async () => {
    const { emit, createStream, setStatus, adminView } = await setUp();
    const stream = (await createStream()).body;
    expect(
      (await setStatus(stream.stream_id, 'disabled', userAuth())).status,
    ).toBe(200);
    await waitFor(
      () => receiver.received.length === 1,
      10_000,
      'the stream-updated SET',
    );
    expect(decodeJwt(receiver.received[0].body).events).toEqual({
      [STREAM_UPDATED]: { status: 'disabled', reason: 'now disabled' },
    });

    expect((await emit(SESSION_REVOKED, alice)).body.sets).toEqual([]);
    await new Promise(r => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(1);
    expect((await adminView())[0].stats.pending).toBe(0);
  });

  it('retries 5xx answers with backoff until the receiver accepts', async () => {
    const { emit, createStream, rowOnceIn } = await setUp();
    await createStream();
    receiver.answerNext({ status: 503 }, { status: 500 });
    const { jti } = (await emit(SESSION_REVOKED, alice)).body.sets[0];
    await waitFor(
      () => receiver.received.length === 3,
      10_000,
      'the third attempt',
    );
    expect(receiver.jtis()).toEqual([jti, jti, jti]);
    const row = await rowOnceIn(jti, 'delivered');
    expect(row.attempts).toBe(3);
    expect(row.last_error).toBe('HTTP 500');
  });

  it('dead-letters an RFC 8935 error, keeps it, and redelivers on request', async () => {
    const { api, emit, createStream, adminView } = await setUp();
    const stream = (await createStream()).body;
    receiver.answerNext({
      status: 400,
      body: JSON.stringify({
        err: 'invalid_audience',
        description: 'aud not recognised',
      }),
    });
    const { jti } = (await emit(SESSION_REVOKED, alice)).body.sets[0];
    const [view] = await waitFor(async () => {
      const items = await adminView();
      return items[0].stats.dead === 1 && items;
    });
    expect(view.last_error.message).toBe(
      'invalid_audience: aud not recognised',
    );
    expect(receiver.received).toHaveLength(1);

    const sets = await api.adminSets(userAuth(), {
      stream_id: stream.stream_id,
      state: 'dead',
    });
    expect(sets.body).toMatchObject({
      total: 1,
      items: [
        {
          jti,
          state: 'dead',
          last_error: 'invalid_audience: aud not recognised',
        },
      ],
    });

    const redeliver = await api.redeliver(userAuth(), {
      stream_id: stream.stream_id,
    });
    expect(redeliver.body).toEqual({ redelivered: 1 });
    await waitFor(() => receiver.received.length === 2);
    await waitFor(async () => (await adminView())[0].stats.delivered === 1);
  });

  it('times out a receiver that never answers, and retries', async () => {
    const { emit, createStream, rowOnceIn } = await setUp();
    await createStream();
    receiver.answerNext('hang');
    const { jti } = (await emit(SESSION_REVOKED, alice)).body.sets[0];
    const row = await rowOnceIn(jti, 'delivered');
    expect(row.attempts).toBe(2);
    expect(row.last_error).toMatch(/No answer .* within 500 ms/);
  });

  it('gives up after maxAttempts and dead-letters with the last error', async () => {
    const { emit, createStream, rowOnceIn } = await setUp();
    await createStream();
    receiver.answerAlways({ status: 502 });
    const { jti } = (await emit(SESSION_REVOKED, alice)).body.sets[0];
    const row = await rowOnceIn(jti, 'dead');
    expect(row.attempts).toBe(4);
    expect(row.last_error).toBe('gave up after 4 attempts; last: HTTP 502');
  });

  it('honours subjects:add and subjects:remove', async () => {
    const { api, emit, createStream } = await setUp();
    const stream = (await createStream()).body;
    const of = (subject: object) => ({
      stream_id: stream.stream_id,
      subject,
    });
    const setsFor = async (subject: object) =>
      (await emit(SESSION_REVOKED, subject)).body.sets;

    expect((await api.removeSubject(A, of(bob))).status).toBe(204);
    expect(
      await setsFor({ format: 'email', email: 'BOB@example.com' }),
    ).toEqual([]);
    expect(await setsFor({ format: 'complex', user: bob })).toEqual([]);
    expect(await setsFor(alice)).toHaveLength(1);

    const add = await api.addSubject(A, { ...of(bob), verified: true });
    expect(add.status).toBe(200);
    expect(await setsFor(bob)).toHaveLength(1);

    const bad = await api.addSubject(
      A,
      of({ format: 'phone_number', phone_number: '555-1234' }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/E\.164/);
    const foreign = await api.addSubject(clientAuth('client-b'), of(bob));
    expect(foreign.status).toBe(404);
  });

  it('with default_subjects NONE, delivers only for added subjects', async () => {
    const { api, emit, createStream } = await setUp({
      defaultSubjects: 'NONE',
    });
    const stream = (await createStream()).body;
    const aliceOnStream = { stream_id: stream.stream_id, subject: alice };
    expect((await emit(SESSION_REVOKED, alice)).body.sets).toEqual([]);
    await api.addSubject(A, aliceOnStream);
    expect((await emit(SESSION_REVOKED, alice)).body.sets).toHaveLength(1);
    await api.removeSubject(A, aliceOnStream);
    expect((await emit(SESSION_REVOKED, alice)).body.sets).toEqual([]);
  });

  it('refuses a push endpoint that became private at delivery time', async () => {
    const { api, knex } = await setUp({}, { allowPrivateNetworks: false });
    // Stored directly: the API would refuse a loopback URL at registration.
    const now = new Date();
    await knex('ssf_streams').insert({
      stream_id: 's-private',
      client_id: 'client-a',
      iss: TEST_ISSUER,
      aud_json: '"client-a"',
      events_requested_json: JSON.stringify([SESSION_REVOKED]),
      delivery_method: PUSH,
      endpoint_url: receiver.url,
      status: 'enabled',
      min_verification_interval: 30,
      created_at: now,
      updated_at: now,
    });
    await api.emit({ type: SESSION_REVOKED, subject: alice });
    const row = await waitFor(async () => {
      const r = await knex('ssf_outbox').first();
      return r?.state === 'dead' && r;
    });
    expect(row.last_error).toMatch(
      /refused by the outbound URL policy: .*loopback/,
    );
    expect(receiver.received).toHaveLength(0);
  });
});
