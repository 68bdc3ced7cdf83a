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
import { decodeJwt } from 'jose';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { SESSION_REVOKED, VERIFICATION } from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { pushStream } from '../__testUtils__/transmitterApi';
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

const A = clientAuth('client-a');

describeOnEachDatabase('poll delivery (RFC 8936)', (databases, id) => {
  async function setUp(longPollTimeout = { seconds: 1 }) {
    const started = await startTransmitter({
      databases,
      id,
      config: {
        ssf: {
          transmitter: {
            delivery: {
              pollRedeliveryAfter: { milliseconds: 400 },
              longPollTimeout,
            },
          },
        },
      },
    });
    const { api } = started;
    const stream = (
      await api.createStream(A, { events_requested: [SESSION_REVOKED] })
    ).body;
    const path = new URL(stream.delivery.endpoint_url).pathname;
    const poll = (body: object, auth = A) => api.poll(auth, path, body);
    const emit = (email: string) =>
      api.emit({
        type: SESSION_REVOKED,
        subject: { format: 'email', email },
      });
    /** Emits an event for `email` and polls once, so its SET is handed out. */
    const emitAndPoll = async (email: string) => {
      const { jti } = (await emit(email)).body.sets[0];
      await poll({ returnImmediately: true });
      return jti as string;
    };
    /** The state of a SET's outbox row. */
    const stateOf = async (jti: string) =>
      (await started.knex('ssf_outbox').where({ jti }).first()).state;
    return { ...started, stream, path, poll, emit, emitAndPoll, stateOf };
  }

  it('returns SETs immediately and says whether more are available (poll only)', async () => {
    const { poll, emit } = await setUp();
    const jtis = [];
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      jtis.push((await emit(email)).body.sets[0].jti);
    }
    const first = await poll({ maxEvents: 2, returnImmediately: true });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body.sets)).toEqual(jtis.slice(0, 2));
    expect(first.body.moreAvailable).toBe(true);
    const claims = decodeJwt(first.body.sets[jtis[0]]);
    expect(claims).toMatchObject({
      jti: jtis[0],
      aud: 'client-a',
      sub_id: { format: 'email', email: 'a@example.com' },
    });

    // SETs handed out and not yet acknowledged are not handed out again at once.
    const second = await poll({ returnImmediately: true });
    expect(Object.keys(second.body.sets)).toEqual([jtis[2]]);
    expect(second.body.moreAvailable).toBe(false);
  });

  it('acknowledges without asking for more (ack only)', async () => {
    const { poll, emitAndPoll, stateOf } = await setUp();
    const jti = await emitAndPoll('a@example.com');
    const ackOnly = await poll({
      maxEvents: 0,
      ack: [jti],
      returnImmediately: true,
    });
    expect(ackOnly.status).toBe(200);
    expect(ackOnly.body).toEqual({ sets: {}, moreAvailable: false });
    expect(await stateOf(jti)).toBe('delivered');
  });

  it('acknowledges and polls in one request (combined)', async () => {
    const { poll, emit, emitAndPoll, stateOf } = await setUp();
    const one = await emitAndPoll('a@example.com');
    const two = (await emit('b@example.com')).body.sets[0].jti;
    const combined = await poll({ ack: [one], returnImmediately: true });
    expect(Object.keys(combined.body.sets)).toEqual([two]);
    expect(await stateOf(one)).toBe('delivered');
  });

  it('records errors the receiver reports (setErrs) and does not offer those SETs again', async () => {
    const { poll, emitAndPoll, knex } = await setUp();
    const jti = await emitAndPoll('a@example.com');
    const res = await poll({
      maxEvents: 0,
      returnImmediately: true,
      setErrs: {
        [jti]: { err: 'invalid_key', description: 'kid not found' },
      },
    });
    expect(res.status).toBe(200);
    const row = await knex('ssf_outbox').where({ jti }).first();
    expect(row.state).toBe('dead');
    expect(row.last_error).toBe(
      'rejected by the receiver: invalid_key: kid not found',
    );
    await new Promise(r => setTimeout(r, 500));
    expect((await poll({ returnImmediately: true })).body.sets).toEqual({});
  });

  it('offers unacknowledged SETs again after pollRedeliveryAfter', async () => {
    const { poll, emit } = await setUp();
    const { jti } = (await emit('a@example.com')).body.sets[0];
    expect(
      Object.keys((await poll({ returnImmediately: true })).body.sets),
    ).toEqual([jti]);
    expect((await poll({ returnImmediately: true })).body.sets).toEqual({});
    await new Promise(r => setTimeout(r, 500));
    expect(
      Object.keys((await poll({ returnImmediately: true })).body.sets),
    ).toEqual([jti]);
  });

  it('long-polls: answers as soon as a SET arrives', async () => {
    const { poll, emit } = await setUp({ seconds: 30 });
    const started = Date.now();
    const pending = poll({ maxEvents: 10 });
    await new Promise(r => setTimeout(r, 300));
    const { jti } = (await emit('a@example.com')).body.sets[0];
    const res = await pending;
    expect(Object.keys(res.body.sets)).toEqual([jti]);
    // Not a performance bound: it shows the poll did not sit out its 30 s wait.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('long-polls: answers empty when nothing arrives before the timeout', async () => {
    const { poll } = await setUp({ seconds: 1 });
    const empty = await poll({ maxEvents: 10 });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ sets: {}, moreAvailable: false });
  });

  it('delivers verification SETs by poll', async () => {
    const { api, poll, stream } = await setUp();
    await api.verify(A, { stream_id: stream.stream_id, state: 'xyz' });
    const res = await poll({ returnImmediately: true });
    const [set] = Object.values(res.body.sets) as string[];
    expect(decodeJwt(set)).toMatchObject({
      sub_id: { format: 'opaque', id: stream.stream_id },
      events: { [VERIFICATION]: { state: 'xyz' } },
    });
  });

  it('lets only the stream owner poll, and challenges missing credentials', async () => {
    const { poll, path } = await setUp();
    const none = await poll(
      { returnImmediately: true },
      mockCredentials.none.header(),
    );
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(
      (await poll({ returnImmediately: true }, clientAuth('client-b'))).status,
    ).toBe(404);
    expect((await poll({ returnImmediately: true }, userAuth())).status).toBe(
      403,
    );
    expect(path).toMatch(/^\/api\/ssf\/poll\//);
  });

  it('validates the poll body', async () => {
    const { poll } = await setUp();
    for (const body of [
      { maxEvents: -1 },
      { maxEvents: 'ten' },
      { returnImmediately: 'yes' },
      { ack: 'jti' },
      { setErrs: { x: { description: 'no err' } } },
      { unknown: true },
    ]) {
      const res = await poll(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^Invalid poll request/);
    }
  });

  it('refuses polling a push stream', async () => {
    const { api } = await startTransmitter({
      databases,
      id,
      config: {
        ssf: {
          transmitter: {
            delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
          },
        },
      },
    });
    const stream = (
      await api.createStream(A, pushStream('http://127.0.0.1:9/x'))
    ).body;
    const res = await api.poll(A, `/api/ssf/poll/${stream.stream_id}`, {
      returnImmediately: true,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/uses push delivery/);
  });
});
