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
import { createLocalJWKSet, jwtVerify } from 'jose';
import request from 'supertest';
import { TransmitterConfig } from '../config';
import { StreamStore } from './StreamStore';
import {
  createTestDatabases,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import {
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../../__testUtils__/testBackend';
import { ReceiverProfiles } from '../profiles/ReceiverProfiles';
import { StreamService } from './StreamService';

jest.setTimeout(60_000);

const PUSH = 'urn:ietf:rfc:8935';
const POLL = 'urn:ietf:rfc:8936';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const STREAM_UPDATED =
  'https://schemas.openid.net/secevent/ssf/event-type/stream-updated';
const ISSUER = 'http://localhost:7007/api/ssf';
const ADMIN = userAuth('user:default/admin');

const fastDelivery = {
  allowInsecureUrls: true,
  allowPrivateNetworks: true,
  timeout: { milliseconds: 1000 },
  initialBackoff: { milliseconds: 50 },
  maxBackoff: { milliseconds: 200 },
  maxAttempts: 3,
  leaseDuration: { seconds: 5 },
};

type AuditEntry = { options: any; outcome?: any };

/** An auditor that keeps every event, as streams.test.ts captures them. */
function capturingAuditor() {
  const events: AuditEntry[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const entry: AuditEntry = { options };
      events.push(entry);
      return {
        success: async o => void (entry.outcome = { success: o }),
        fail: async o => void (entry.outcome = { fail: o }),
      };
    },
  });
  return { events, factory: auditor.factory };
}

describe.each(createTestDatabases().eachSupportedId())(
  'stream security on %p',
  id => {
    const databases = createTestDatabases();

    describe('audience', () => {
      it('refuses an aud another client’s stream uses, and always accepts the client’s own ID', async () => {
        const { server, knex } = await startSsfBackend({ databases, id });
        const a = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', clientAuth('receiver-a'))
          .send({});
        expect(a.status).toBe(201);
        expect(a.body.aud).toBe('receiver-a');
        const url = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', clientAuth('receiver-u'))
          .send({ aud: 'https://u.example.com' });
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
          const res = await request(server)
            .post('/api/ssf/streams')
            .set('Authorization', clientAuth('receiver-b'))
            .send({ aud });
          expect({ aud, status: res.status }).toEqual({ aud, status: 409 });
          expect(res.body.error.message).toMatch(
            /^aud '[^']+' is already used by another client's stream/,
          );
        }
        // An admin may not hand one either, to any client.
        const admin = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({ client_id: 'receiver-c', aud: 'receiver-a' });
        expect(admin.status).toBe(409);
        expect(await knex('ssf_streams').select()).toEqual(before);

        // Its own client ID, and an audience nobody uses, are fine.
        const own = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', clientAuth('receiver-b'))
          .send({ aud: 'receiver-b' });
        expect(own.status).toBe(201);
        expect(own.body.aud).toBe('receiver-b');
        const fresh = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            client_id: 'receiver-c',
            aud: ['receiver-c', 'https://c.example.com'],
          });
        expect(fresh.status).toBe(201);
      });

      it('lets only one of several concurrent creates take a new audience', async () => {
        const { server, knex } = await startSsfBackend({ databases, id });
        const results = await Promise.all(
          ['receiver-x', 'receiver-y', 'receiver-z'].map(client =>
            request(server)
              .post('/api/ssf/streams')
              .set('Authorization', clientAuth(client))
              .send({ aud: 'https://shared.example.com' }),
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
            issuer: ISSUER,
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
          baseUrl: ISSUER,
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
        const { server, knex } = await startSsfBackend({ databases, id });
        const A = clientAuth('client-a');
        const created = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', A)
          .send({
            delivery: {
              method: PUSH,
              endpoint_url: 'https://receiver.example.com/events',
            },
          });
        expect(created.status).toBe(201);
        const streamId = created.body.stream_id;
        const before = await knex('ssf_streams').select();
        const push = (over: object) => ({
          method: PUSH,
          endpoint_url: 'https://receiver.example.com/events',
          ...over,
        });

        const failures: string[] = [];
        // A receiver of its own for each create, so that one value wrongly
        // accepted cannot hide the next behind "a stream already exists".
        let n = 0;
        const B = () => clientAuth(`client-b-${++n}`);
        for (const c of CONTROLS) {
          const cases: Array<
            [
              field: RegExp,
              method: 'post' | 'put' | 'patch',
              path: string,
              auth: string,
              body: object,
            ]
          > = [
            [
              /^Invalid stream configuration: aud: /,
              'post',
              '/api/ssf/streams',
              B(),
              { aud: `b${c}` },
            ],
            [
              /aud\.1: /,
              'post',
              '/api/ssf/streams',
              B(),
              { aud: ['b', `b${c}`] },
            ],
            [
              /description: /,
              'post',
              '/api/ssf/streams',
              B(),
              { description: `hello${c}` },
            ],
            [
              /delivery\.endpoint_url: /,
              'post',
              '/api/ssf/streams',
              B(),
              {
                delivery: push({
                  endpoint_url: `https://receiver.example.com/a${c}b`,
                }),
              },
            ],
            [
              /delivery\.authorization_header: /,
              'post',
              '/api/ssf/streams',
              B(),
              { delivery: push({ authorization_header: `Bearer x${c}y` }) },
            ],
            [
              /events_requested\.0: /,
              'post',
              '/api/ssf/streams',
              B(),
              { events_requested: [`${SESSION_REVOKED}${c}`] },
            ],
            [
              /client_id: /,
              'post',
              '/api/ssf/streams',
              ADMIN,
              { client_id: `client-c${c}` },
            ],
            [
              /receiver_profile: /,
              'post',
              '/api/ssf/streams',
              ADMIN,
              { receiver_profile: `ssf${c}` },
            ],
            [
              /description: /,
              'patch',
              '/api/ssf/streams',
              A,
              { stream_id: streamId, description: `x${c}` },
            ],
            [
              /events_requested\.0: /,
              'patch',
              '/api/ssf/streams',
              A,
              { stream_id: streamId, events_requested: [`e${c}`] },
            ],
            [
              /delivery\.endpoint_url: /,
              'patch',
              '/api/ssf/streams',
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
              'put',
              '/api/ssf/streams',
              A,
              {
                stream_id: streamId,
                delivery: push({ authorization_header: `${c}Bearer` }),
              },
            ],
            [
              /aud: /,
              'patch',
              '/api/ssf/streams',
              A,
              { stream_id: streamId, aud: `client-a${c}` },
            ],
            [
              /stream_id: /,
              'patch',
              '/api/ssf/streams',
              A,
              { stream_id: `${streamId}${c}` },
            ],
            [
              /reason: /,
              'post',
              '/api/ssf/streams/status',
              A,
              {
                stream_id: streamId,
                status: 'paused',
                reason: `maintenance${c}`,
              },
            ],
          ];
          for (const [field, method, path, auth, body] of cases) {
            const res = await request(server)
              [method](path)
              .set('Authorization', auth)
              .send(body);
            const message: string = res.body?.error?.message ?? '';
            if (
              res.status !== 400 ||
              !field.test(message) ||
              !/control characters/.test(message)
            ) {
              failures.push(
                `${method} ${path} ${JSON.stringify(body)}: ${
                  res.status
                } ${message}`,
              );
            }
          }
        }
        expect(failures).toEqual([]);
        expect(await knex('ssf_streams').select()).toEqual(before);
      });

      it('still takes printable and non-ASCII text', async () => {
        const { server } = await startSsfBackend({ databases, id });
        const res = await request(server)
          .post('/api/ssf/streams')
          .set('Authorization', clientAuth('client-a'))
          .send({
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
        const audit = capturingAuditor();
        const started = await startSsfBackend({
          databases,
          id,
          config: { ssf: { transmitter: { delivery: fastDelivery } } },
          extraFeatures: [audit.factory],
        });
        const jwks = createLocalJWKSet(
          (await request(started.server).get('/api/ssf/jwks')).body,
        );
        const createStream = (auth: string, body: object = {}) =>
          request(started.server)
            .post('/api/ssf/streams')
            .set('Authorization', auth)
            .send({
              delivery: {
                method: PUSH,
                endpoint_url: oldReceiver.url,
                authorization_header: 'Bearer old-receiver-secret',
              },
              events_requested: [SESSION_REVOKED],
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
        return {
          ...started,
          audit,
          jwks,
          createStream,
          streamUpdatedRows,
          deliveryEvents,
        };
      }

      /**
       * A stream-updated SET as SSF 1.0 §8.1.5 defines it: signed by the
       * transmitter (RFC 8417 §2), `sub_id` of format `opaque` whose `id` is
       * the stream ID, and an event with a REQUIRED `status` and an
       * OPTIONAL `reason`.
       */
      async function expectStreamUpdated(
        jws: string,
        jwks: ReturnType<typeof createLocalJWKSet>,
        streamId: string,
        aud: string,
      ) {
        const { payload } = await jwtVerify(jws, jwks, {
          issuer: ISSUER,
          audience: aud,
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
      }

      it('audits it at high severity and tells the receiver at the old endpoint, then the new one', async () => {
        const { server, audit, jwks, createStream, deliveryEvents } =
          await setUp();
        const stream = (await createStream(clientAuth('client-a'))).body;

        const patched = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            stream_id: stream.stream_id,
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
        const jti = await expectStreamUpdated(
          old.body,
          jwks,
          stream.stream_id,
          'client-a',
        );

        // The same SET reaches the new endpoint through the outbox.
        await waitFor(
          () => newReceiver.jtis().includes(jti),
          10_000,
          'the stream-updated SET at the new endpoint',
        );
        const atNew = newReceiver.received.find(r => r.jti === jti)!;
        expect(atNew.headers.authorization).toBe('Bearer new-endpoint-secret');
        await expectStreamUpdated(
          atNew.body,
          jwks,
          stream.stream_id,
          'client-a',
        );
        expect(oldReceiver.received).toHaveLength(1);

        const [event] = deliveryEvents();
        expect(deliveryEvents()).toHaveLength(1);
        expect(event.options.severityLevel).toBe('high');
        expect(event.options.meta).toEqual({
          streamId: stream.stream_id,
          clientId: 'client-a',
          caller: 'user:default/admin',
          before: {
            method: PUSH,
            endpointUrl: oldReceiver.url,
            authorizationHeader: 'set',
          },
          after: {
            method: PUSH,
            endpointUrl: newReceiver.url,
            authorizationHeader: 'set',
          },
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
        expect(
          JSON.stringify(audit.events.map(e => [e.options.meta, e.outcome])),
        ).not.toMatch(/old-receiver-secret|new-endpoint-secret/);
      });

      it('counts a new authorization header alone, sent with PUT, and tells the receiver with its old one', async () => {
        const { server, jwks, createStream, deliveryEvents } = await setUp();
        const stream = (await createStream(clientAuth('client-a'))).body;
        const put = await request(server)
          .put('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            stream_id: stream.stream_id,
            delivery: {
              method: PUSH,
              endpoint_url: oldReceiver.url,
              authorization_header: 'Bearer wrong-on-purpose',
            },
            events_requested: [SESSION_REVOKED],
          });
        expect(put.status).toBe(200);
        // The same URL gets the SET twice, one jti: from the outbox with the
        // new header (which the receiver may well refuse), and directly with
        // the old one, which still opens it.
        const withOld = oldReceiver.received.find(
          r => r.headers.authorization === 'Bearer old-receiver-secret',
        );
        expect(withOld).toBeDefined();
        await expectStreamUpdated(
          withOld!.body,
          jwks,
          stream.stream_id,
          'client-a',
        );
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
        const { server, createStream, deliveryEvents, streamUpdatedRows } =
          await setUp();
        const stream = (await createStream(clientAuth('client-a'))).body;
        oldReceiver.answerAlways({ status: 503 });
        const patched = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            stream_id: stream.stream_id,
            delivery: { method: PUSH, endpoint_url: newReceiver.url },
          });
        expect(patched.status).toBe(200);
        expect(
          deliveryEvents()[0].outcome.success.meta.receiverNotified,
        ).toEqual({
          streamUpdatedJti: expect.any(String),
          previousEndpoint: 'not delivered: HTTP 503',
        });
        expect(await streamUpdatedRows(stream.stream_id)).toHaveLength(1);
      });

      it('tells a poll receiver’s stream as it now is, the old delivery having no endpoint to push to', async () => {
        const { server, jwks, deliveryEvents } = await setUp();
        const stream = (
          await request(server)
            .post('/api/ssf/streams')
            .set('Authorization', clientAuth('client-a'))
            .send({ delivery: { method: POLL } })
        ).body;
        const patched = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            stream_id: stream.stream_id,
            delivery: { method: PUSH, endpoint_url: newReceiver.url },
          });
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
        await expectStreamUpdated(
          newReceiver.received[0].body,
          jwks,
          stream.stream_id,
          'client-a',
        );
      });

      it('sends nothing to a receiver profile that takes no stream events, but still audits', async () => {
        const { server, createStream, deliveryEvents, streamUpdatedRows } =
          await setUp();
        const okta = await createStream(ADMIN, {
          client_id: 'okta-org',
          receiver_profile: 'okta',
          events_requested: undefined,
        });
        expect(okta.status).toBe(201);
        const patched = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            stream_id: okta.body.stream_id,
            delivery: { method: PUSH, endpoint_url: newReceiver.url },
          });
        expect(patched.status).toBe(200);
        const [event] = deliveryEvents();
        expect(event.options.severityLevel).toBe('high');
        expect(event.outcome).toEqual({ success: { meta: {} } });
        expect(await streamUpdatedRows(okta.body.stream_id)).toHaveLength(0);
        expect(oldReceiver.received).toHaveLength(0);
      });

      it('is not what a receiver changing its own stream, or an admin changing other properties or its own stream, does', async () => {
        const {
          server,
          audit,
          createStream,
          deliveryEvents,
          streamUpdatedRows,
        } = await setUp();
        const A = clientAuth('client-a');
        const stream = (await createStream(A)).body;

        // The receiver moves its own endpoint.
        expect(
          (
            await request(server)
              .patch('/api/ssf/streams')
              .set('Authorization', A)
              .send({
                stream_id: stream.stream_id,
                delivery: { method: PUSH, endpoint_url: newReceiver.url },
              })
          ).status,
        ).toBe(200);
        // An admin edits the description, echoing the delivery it read.
        expect(
          (
            await request(server)
              .patch('/api/ssf/streams')
              .set('Authorization', ADMIN)
              .send({
                stream_id: stream.stream_id,
                description: 'edited by an admin',
                delivery: { method: PUSH, endpoint_url: newReceiver.url },
              })
          ).status,
        ).toBe(200);
        // An admin re-points a stream it owns itself (no client_id).
        const own = (await createStream(ADMIN)).body;
        expect(
          (
            await request(server)
              .patch('/api/ssf/streams')
              .set('Authorization', ADMIN)
              .send({
                stream_id: own.stream_id,
                delivery: { method: PUSH, endpoint_url: newReceiver.url },
              })
          ).status,
        ).toBe(200);

        expect(deliveryEvents()).toEqual([]);
        expect(
          audit.events
            .filter(e => e.options.eventId === 'stream-mutate')
            .map(e => e.options.severityLevel),
        ).toEqual(['medium', 'medium', 'medium', 'medium', 'medium']);
        expect(await streamUpdatedRows(stream.stream_id)).toHaveLength(0);
        expect(await streamUpdatedRows(own.stream_id)).toHaveLength(0);
        expect(oldReceiver.received).toHaveLength(0);
      });
    });
  },
);
