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

import { createLocalJWKSet, jwtVerify } from 'jose';
import { TransmitterConfig } from '../config';
import { StreamStore } from './StreamStore';
import { captureAudits } from '../../__testUtils__/capturedAudits';
import {
  describeOnEachDatabase,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import {
  POLL,
  PUSH,
  SESSION_REVOKED,
  STREAM_UPDATED,
  TEST_ISSUER,
} from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { pushStream } from '../__testUtils__/transmitterApi';
import {
  startPushTransmitter,
  startTransmitter,
} from '../__testUtils__/transmitterBackend';
import { ReceiverProfiles } from '../profiles/ReceiverProfiles';
import { StreamService } from './StreamService';

jest.setTimeout(60_000);

const ADMIN = userAuth('user:default/admin');

describeOnEachDatabase('stream security', (databases, id) => {
  describe('audience', () => {
    it('refuses an aud another client’s stream uses, and always accepts the client’s own ID', async () => {
      const { knex, api } = await startTransmitter({ databases, id });
      const asReceiver = (name: string, body: object = {}) =>
        api.createStream(clientAuth(name), body);
      const a = await asReceiver('receiver-a');
      expect(a.status).toBe(201);
      expect(a.body.aud).toBe('receiver-a');
      const url = await asReceiver('receiver-u', {
        aud: 'https://u.example.com',
      });
      expect(url.status).toBe(201);
      const before = await knex('ssf_streams').select();

      // receiver-b would be sent SETs addressed to receiver-a (or to
      // receiver-u), which it could replay to them.
      for (const aud of [
        'receiver-a',
        ['https://b.example.com', 'receiver-a'],
        'https://u.example.com',
        'receiver-u', // another client's ID, though not its stream's aud
      ]) {
        const res = await asReceiver('receiver-b', { aud });
        expect({ aud, status: res.status }).toEqual({ aud, status: 409 });
        expect(res.body.error.message).toMatch(
          /^aud '[^']+' is already used by another client's stream/,
        );
      }
      // An admin may not hand one either, to any client.
      const admin = await api.createStream(ADMIN, {
        client_id: 'receiver-c',
        aud: 'receiver-a',
      });
      expect(admin.status).toBe(409);
      expect(await knex('ssf_streams').select()).toEqual(before);

      // Its own client ID, and an audience nobody uses, are fine.
      const own = await asReceiver('receiver-b', { aud: 'receiver-b' });
      expect(own.status).toBe(201);
      expect(own.body.aud).toBe('receiver-b');
      const fresh = await api.createStream(ADMIN, {
        client_id: 'receiver-c',
        aud: ['receiver-c', 'https://c.example.com'],
      });
      expect(fresh.status).toBe(201);
    });

    it('lets only one of several concurrent creates take a new audience', async () => {
      const { knex, api } = await startTransmitter({ databases, id });
      const results = await Promise.all(
        ['receiver-x', 'receiver-y', 'receiver-z'].map(client =>
          api.createStream(clientAuth(client), {
            aud: 'https://shared.example.com',
          }),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([201, 409, 409]);
      const rows = await knex('ssf_streams').select('aud_json');
      expect(rows).toEqual([
        { aud_json: JSON.stringify('https://shared.example.com') },
      ]);
    });

    it('checks the audience of two creates that overlap inside their transactions one after the other', async () => {
      // Both creates are held, mid-transaction, until the other has
      // reached the same point (or 500 ms have passed). Under PostgreSQL's
      // READ COMMITTED neither would see the other's uncommitted row, so
      // both would store the same audience, unless creates are serialised.
      const knex = await migratedDatabase(databases, id);
      const store = new StreamStore(knex);
      let arrived = 0;
      const count = store.count.bind(store);
      store.count = async tx => {
        arrived += 1;
        const deadline = Date.now() + 500;
        while (arrived < 2 && Date.now() < deadline) {
          await new Promise(r => setTimeout(r, 10));
        }
        return count(tx);
      };
      const service = new StreamService({
        store,
        config: {
          issuer: TEST_ISSUER,
          maxStreams: 10,
          eventsSupported: [SESSION_REVOKED],
          minVerificationIntervalSeconds: 30,
          defaultSubjects: 'ALL',
          signing: { algorithm: 'RS256' },
          urlPolicy: {
            allowInsecureUrls: false,
            allowPrivateNetworks: false,
          },
        } as TransmitterConfig,
        profiles: new ReceiverProfiles(),
        baseUrl: TEST_ISSUER,
      });
      const results = await Promise.allSettled(
        ['receiver-x', 'receiver-y'].map(client =>
          service.create(
            { type: 'client', clientId: client, audience: client },
            { aud: 'https://shared.example.com' },
          ),
        ),
      );
      expect(results.map(r => r.status).sort()).toEqual([
        'fulfilled',
        'rejected',
      ]);
      expect(
        (results.find(r => r.status === 'rejected') as PromiseRejectedResult)
          .reason.message,
      ).toMatch(/already used by another client's stream/);
      expect((await store.list()).map(r => r.aud)).toEqual([
        'https://shared.example.com',
      ]);
    });
  });

  describe('control characters', () => {
    // U+0000–U+001F, U+007F and U+0080–U+009F, each somewhere in a value.
    const CONTROLS = [
      '\u0000',
      '\r\nInjected: 1',
      '\t',
      '\u001b[31m',
      '\u007f',
      '\u0085',
      '\u009f',
    ];

    it('refuses them in every stream configuration string, naming the field', async () => {
      const { knex, api } = await startTransmitter({ databases, id });
      const A = clientAuth('client-a');
      const push = (over: object = {}) => ({
        method: PUSH,
        endpoint_url: 'https://receiver.example.com/events',
        ...over,
      });
      const created = await api.createStream(A, { delivery: push() });
      expect(created.status).toBe(201);
      const streamId = created.body.stream_id;
      const before = await knex('ssf_streams').select();

      const failures: string[] = [];
      // A receiver of its own for each create, so that one value wrongly
      // accepted cannot hide the next behind "a stream already exists".
      let n = 0;
      const B = () => clientAuth(`client-b-${++n}`);
      for (const c of CONTROLS) {
        const cases: Array<
          [
            field: RegExp,
            operation:
              | 'createStream'
              | 'updateStream'
              | 'replaceStream'
              | 'setStatus',
            auth: string,
            body: object,
          ]
        > = [
          [
            /^Invalid stream configuration: aud: /,
            'createStream',
            B(),
            { aud: `b${c}` },
          ],
          [/aud\.1: /, 'createStream', B(), { aud: ['b', `b${c}`] }],
          [/description: /, 'createStream', B(), { description: `hello${c}` }],
          [
            /delivery\.endpoint_url: /,
            'createStream',
            B(),
            {
              delivery: push({
                endpoint_url: `https://receiver.example.com/a${c}b`,
              }),
            },
          ],
          [
            /delivery\.authorization_header: /,
            'createStream',
            B(),
            { delivery: push({ authorization_header: `Bearer x${c}y` }) },
          ],
          [
            /events_requested\.0: /,
            'createStream',
            B(),
            { events_requested: [`${SESSION_REVOKED}${c}`] },
          ],
          [/client_id: /, 'createStream', ADMIN, { client_id: `client-c${c}` }],
          [
            /receiver_profile: /,
            'createStream',
            ADMIN,
            { receiver_profile: `ssf${c}` },
          ],
          [
            /description: /,
            'updateStream',
            A,
            { stream_id: streamId, description: `x${c}` },
          ],
          [
            /events_requested\.0: /,
            'updateStream',
            A,
            { stream_id: streamId, events_requested: [`e${c}`] },
          ],
          [
            /delivery\.endpoint_url: /,
            'updateStream',
            A,
            {
              stream_id: streamId,
              delivery: push({
                endpoint_url: `https://rec${c}eiver.example.com/`,
              }),
            },
          ],
          [
            /delivery\.authorization_header: /,
            'replaceStream',
            A,
            {
              stream_id: streamId,
              delivery: push({ authorization_header: `${c}Bearer` }),
            },
          ],
          [
            /aud: /,
            'updateStream',
            A,
            { stream_id: streamId, aud: `client-a${c}` },
          ],
          [/stream_id: /, 'updateStream', A, { stream_id: `${streamId}${c}` }],
          [
            /reason: /,
            'setStatus',
            A,
            {
              stream_id: streamId,
              status: 'paused',
              reason: `maintenance${c}`,
            },
          ],
        ];
        for (const [field, operation, auth, body] of cases) {
          const res = await api[operation](auth, body);
          const message: string = res.body?.error?.message ?? '';
          if (
            res.status !== 400 ||
            !field.test(message) ||
            !/control characters/.test(message)
          ) {
            failures.push(
              `${operation} ${JSON.stringify(body)}: ${res.status} ${message}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await knex('ssf_streams').select()).toEqual(before);
    });

    it('still takes printable and non-ASCII text', async () => {
      const { api } = await startTransmitter({ databases, id });
      const res = await api.createStream(clientAuth('client-a'), {
        aud: 'https://receiver.example.com/ünïcode',
        description: 'Zürich — 東京 ✓ (a\u00a0non-breaking space)',
        delivery: {
          method: PUSH,
          endpoint_url: 'https://receiver.example.com/events',
          authorization_header: 'Bearer abc.DEF-123_~+/=',
        },
      });
      expect(res.status).toBe(201);
    });
  });

  describe('a portal admin changing another client’s delivery', () => {
    let oldReceiver: Awaited<ReturnType<typeof startTestReceiver>>;
    let newReceiver: Awaited<ReturnType<typeof startTestReceiver>>;

    beforeEach(async () => {
      oldReceiver = await startTestReceiver();
      newReceiver = await startTestReceiver();
    });
    afterEach(async () => {
      await oldReceiver.close();
      await newReceiver.close();
    });

    async function setUp() {
      const audit = captureAudits();
      const started = await startPushTransmitter({
        databases,
        id,
        delivery: { timeout: { milliseconds: 1000 }, maxAttempts: 3 },
        extraFeatures: [audit.factory],
      });
      const { api } = started;
      const jwks = createLocalJWKSet((await api.jwks()).body);
      /** A stream pushing to the old receiver, with its old credential. */
      const createStream = (auth: string, body: object = {}) =>
        api.createStream(auth, {
          ...pushStream(oldReceiver.url, 'Bearer old-receiver-secret'),
          ...body,
        });
      /** A PATCH by `auth` pointing the stream at the new receiver. */
      const moveToNew = (auth: string, streamId: string, body: object = {}) =>
        api.updateStream(auth, {
          stream_id: streamId,
          delivery: { method: PUSH, endpoint_url: newReceiver.url },
          ...body,
        });
      const streamUpdatedRows = (streamId: string) =>
        started.knex('ssf_outbox').where({
          stream_id: streamId,
          event_type: STREAM_UPDATED,
        });
      const deliveryEvents = () =>
        audit.events.filter(
          e => e.options.eventId === 'stream-delivery-change',
        );
      /**
       * A stream-updated SET to client-a as SSF 1.0 §8.1.5 defines it:
       * signed by the transmitter (RFC 8417 §2), `sub_id` of format
       * `opaque` whose `id` is the stream ID, and an event with a REQUIRED
       * `status` and an OPTIONAL `reason`.
       */
      const expectStreamUpdated = async (jws: string, streamId: string) => {
        const { payload } = await jwtVerify(jws, jwks, {
          issuer: TEST_ISSUER,
          audience: 'client-a',
          typ: 'secevent+jwt',
        });
        expect(payload.sub_id).toEqual({ format: 'opaque', id: streamId });
        const events = payload.events as Record<string, any>;
        expect(Object.keys(events)).toEqual([STREAM_UPDATED]);
        expect(events[STREAM_UPDATED]).toEqual({
          status: 'enabled',
          reason: expect.stringMatching(
            /delivery of this stream.*changed by a portal administrator/,
          ),
        });
        return payload.jti as string;
      };
      return {
        ...started,
        audit,
        createStream,
        moveToNew,
        streamUpdatedRows,
        deliveryEvents,
        expectStreamUpdated,
      };
    }

    it('audits it at high severity and tells the receiver at the old endpoint, then the new one', async () => {
      const { audit, createStream, moveToNew, ...t } = await setUp();
      const stream = (await createStream(clientAuth('client-a'))).body;

      const patched = await moveToNew(ADMIN, stream.stream_id, {
        delivery: {
          method: PUSH,
          endpoint_url: newReceiver.url,
          authorization_header: 'Bearer new-endpoint-secret',
        },
      });
      expect(patched.status).toBe(200);
      expect(patched.body.delivery.endpoint_url).toBe(newReceiver.url);

      // Pushed to the old endpoint, with its old credential, before the
      // PATCH answered.
      expect(oldReceiver.received).toHaveLength(1);
      const [old] = oldReceiver.received;
      expect(old.headers.authorization).toBe('Bearer old-receiver-secret');
      const jti = await t.expectStreamUpdated(old.body, stream.stream_id);

      // The same SET reaches the new endpoint through the outbox.
      await waitFor(
        () => newReceiver.jtis().includes(jti),
        10_000,
        'the stream-updated SET at the new endpoint',
      );
      const atNew = newReceiver.received.find(r => r.jti === jti)!;
      expect(atNew.headers.authorization).toBe('Bearer new-endpoint-secret');
      await t.expectStreamUpdated(atNew.body, stream.stream_id);
      expect(oldReceiver.received).toHaveLength(1);

      const [event] = t.deliveryEvents();
      expect(t.deliveryEvents()).toHaveLength(1);
      expect(event.options.severityLevel).toBe('high');
      const delivery = (endpointUrl: string) => ({
        method: PUSH,
        endpointUrl,
        authorizationHeader: 'set',
      });
      expect(event.options.meta).toEqual({
        streamId: stream.stream_id,
        clientId: 'client-a',
        caller: 'user:default/admin',
        before: delivery(oldReceiver.url),
        after: delivery(newReceiver.url),
        authorizationHeaderChanged: true,
      });
      expect(event.outcome).toEqual({
        success: {
          meta: {
            receiverNotified: {
              streamUpdatedJti: jti,
              previousEndpoint: 'delivered',
            },
          },
        },
      });
      const mutate = audit.events.find(
        e =>
          e.options.eventId === 'stream-mutate' &&
          e.options.meta.actionType === 'update',
      )!;
      expect(mutate.outcome.success.meta).toEqual({
        streamId: stream.stream_id,
        deliveryChanged: true,
      });
      expect(audit.recorded()).not.toMatch(
        /old-receiver-secret|new-endpoint-secret/,
      );
    });

    it('counts a new authorization header alone, sent with PUT, and tells the receiver with its old one', async () => {
      const { api, createStream, deliveryEvents, expectStreamUpdated } =
        await setUp();
      const stream = (await createStream(clientAuth('client-a'))).body;
      const put = await api.replaceStream(ADMIN, {
        stream_id: stream.stream_id,
        ...pushStream(oldReceiver.url, 'Bearer wrong-on-purpose'),
      });
      expect(put.status).toBe(200);
      // The same URL gets the SET twice, one jti: from the outbox with the
      // new header (which the receiver may well refuse), and directly with
      // the old one, which still opens it.
      const withOld = oldReceiver.received.find(
        r => r.headers.authorization === 'Bearer old-receiver-secret',
      );
      expect(withOld).toBeDefined();
      await expectStreamUpdated(withOld!.body, stream.stream_id);
      const [event] = deliveryEvents();
      expect(event.options.severityLevel).toBe('high');
      expect(event.options.meta.before.endpointUrl).toBe(oldReceiver.url);
      expect(event.options.meta.after.endpointUrl).toBe(oldReceiver.url);
      expect(event.options.meta.authorizationHeaderChanged).toBe(true);
      expect(JSON.stringify([event.options.meta, event.outcome])).not.toMatch(
        /old-receiver-secret|wrong-on-purpose/,
      );
    });

    it('still answers, and records it, when the old endpoint does not take the SET', async () => {
      const { createStream, moveToNew, deliveryEvents, streamUpdatedRows } =
        await setUp();
      const stream = (await createStream(clientAuth('client-a'))).body;
      oldReceiver.answerAlways({ status: 503 });
      const patched = await moveToNew(ADMIN, stream.stream_id);
      expect(patched.status).toBe(200);
      expect(deliveryEvents()[0].outcome.success.meta.receiverNotified).toEqual(
        {
          streamUpdatedJti: expect.any(String),
          previousEndpoint: 'not delivered: HTTP 503',
        },
      );
      expect(await streamUpdatedRows(stream.stream_id)).toHaveLength(1);
    });

    it('tells a poll receiver’s stream as it now is, the old delivery having no endpoint to push to', async () => {
      const { api, moveToNew, deliveryEvents, expectStreamUpdated } =
        await setUp();
      const stream = (
        await api.createStream(clientAuth('client-a'), {
          delivery: { method: POLL },
        })
      ).body;
      const patched = await moveToNew(ADMIN, stream.stream_id);
      expect(patched.status).toBe(200);
      const [event] = deliveryEvents();
      expect(event.options.meta.before).toEqual({
        method: POLL,
        endpointUrl: stream.delivery.endpoint_url,
        authorizationHeader: 'none',
      });
      expect(event.outcome.success.meta.receiverNotified).toEqual({
        streamUpdatedJti: expect.any(String),
        previousEndpoint: 'not-push',
      });
      await waitFor(
        () => newReceiver.received.length === 1,
        10_000,
        'the stream-updated SET',
      );
      await expectStreamUpdated(newReceiver.received[0].body, stream.stream_id);
    });

    it('sends nothing to a receiver profile that takes no stream events, but still audits', async () => {
      const { createStream, moveToNew, deliveryEvents, streamUpdatedRows } =
        await setUp();
      const okta = await createStream(ADMIN, {
        client_id: 'okta-org',
        receiver_profile: 'okta',
        events_requested: undefined,
      });
      expect(okta.status).toBe(201);
      const patched = await moveToNew(ADMIN, okta.body.stream_id);
      expect(patched.status).toBe(200);
      const [event] = deliveryEvents();
      expect(event.options.severityLevel).toBe('high');
      expect(event.outcome).toEqual({ success: { meta: {} } });
      expect(await streamUpdatedRows(okta.body.stream_id)).toHaveLength(0);
      expect(oldReceiver.received).toHaveLength(0);
    });

    it('is not what a receiver changing its own stream, or an admin changing other properties or its own stream, does', async () => {
      const { audit, createStream, moveToNew, ...t } = await setUp();
      const A = clientAuth('client-a');
      const stream = (await createStream(A)).body;

      // The receiver moves its own endpoint.
      expect((await moveToNew(A, stream.stream_id)).status).toBe(200);
      // An admin edits the description, echoing the delivery it read.
      expect(
        (
          await moveToNew(ADMIN, stream.stream_id, {
            description: 'edited by an admin',
          })
        ).status,
      ).toBe(200);
      // An admin re-points a stream it owns itself (no client_id).
      const own = (await createStream(ADMIN)).body;
      expect((await moveToNew(ADMIN, own.stream_id)).status).toBe(200);

      expect(t.deliveryEvents()).toEqual([]);
      expect(
        audit.events
          .filter(e => e.options.eventId === 'stream-mutate')
          .map(e => e.options.severityLevel),
      ).toEqual(['medium', 'medium', 'medium', 'medium', 'medium']);
      expect(await t.streamUpdatedRows(stream.stream_id)).toHaveLength(0);
      expect(await t.streamUpdatedRows(own.stream_id)).toHaveLength(0);
      expect(oldReceiver.received).toHaveLength(0);
    });
  });
});
