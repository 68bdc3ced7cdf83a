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

import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../../__testUtils__/testBackend';

jest.setTimeout(60_000);

const POLL = 'urn:ietf:rfc:8936';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const STREAM_UPDATED =
  'https://schemas.openid.net/secevent/ssf/event-type/stream-updated';
const INACTIVITY_TASK_ID = 'ssf-transmitter-inactivity';
const ADMIN = 'user:default/ssf-admin';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function decodeSet(jws: string) {
  return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString());
}

// SSF 1.0 §8.1.1 inactivity_timeout: "After the timeout duration passes with
// no eligible activity from the Receiver ... the Transmitter MAY either
// pause, disable, or delete the stream", eligible activity being any Stream
// Management call that references the stream and, for poll streams, polls;
// "If the Transmitter decides to pause or disable the stream, it MUST send
// a Stream Updated Event to the Receiver".
describe.each(createTestDatabases().eachSupportedId())(
  'inactivity_timeout on %p',
  id => {
    const databases = createTestDatabases();

    async function start(config: JsonObject) {
      let scheduler: SchedulerService | undefined;
      const sent: NotificationSendOptions[] = [];
      const { backend, server, knex } = await startSsfBackend({
        databases,
        id,
        config: {
          ssf: config,
          // The notifications backend lives "elsewhere": the SSF plugin then
          // sends its alerts through notificationService (recorded here).
          discovery: {
            endpoints: [
              {
                target: 'http://notifications.invalid/api/notifications',
                plugins: ['notifications'],
              },
            ],
          },
        },
        extraFeatures: [
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({
              send: async (options: NotificationSendOptions) => {
                sent.push(options);
              },
            }),
          }),
          createBackendModule({
            pluginId: 'ssf',
            moduleId: 'test-scheduler-handle',
            register(reg) {
              reg.registerInit({
                deps: { s: coreServices.scheduler },
                async init({ s }) {
                  scheduler = s;
                },
              });
            },
          }),
        ],
      });
      return { backend, server, knex, sent, scheduler: () => scheduler! };
    }

    async function createPollStream(
      server: Parameters<typeof request>[0],
      clientId: string,
    ) {
      const res = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth(clientId))
        .send({
          delivery: { method: POLL },
          events_requested: [SESSION_REVOKED],
        });
      expect(res.status).toBe(201);
      return res.body as { stream_id: string; inactivity_timeout?: number };
    }

    it('pauses an idle stream, with a stream-updated SET and a notification; a polling one and admin calls do not count', async () => {
      const { backend, server, knex, sent, scheduler } = await start({
        transmitter: { inactivityTimeout: { seconds: 1 } },
        notifications: { recipients: [ADMIN] },
      });
      try {
        const idle = await createPollStream(server, 'client-idle');
        const busy = await createPollStream(server, 'client-busy');
        // Transmitter-supplied, in seconds, in every stream response.
        expect(idle.inactivity_timeout).toBe(1);
        const listed = await request(server)
          .get('/api/ssf/streams')
          .set('Authorization', clientAuth('client-busy'));
        expect(listed.body[0].inactivity_timeout).toBe(1);

        const pollBusy = () =>
          request(server)
            .post(`/api/ssf/poll/${busy.stream_id}`)
            .set('Authorization', clientAuth('client-busy'))
            .send({ returnImmediately: true })
            .expect(200);
        for (let i = 0; i < 6; i++) {
          await sleep(250);
          await pollBusy();
          // A portal admin looking at the idle stream is not its receiver.
          await request(server)
            .get(`/api/ssf/streams/status?stream_id=${idle.stream_id}`)
            .set('Authorization', userAuth(ADMIN))
            .expect(200);
        }

        await scheduler().triggerTask(INACTIVITY_TASK_ID);

        const status = async (clientId: string, streamId: string) =>
          (
            await request(server)
              .get(`/api/ssf/streams/status?stream_id=${streamId}`)
              .set('Authorization', clientAuth(clientId))
              .expect(200)
          ).body;
        const idleStatus = await status('client-idle', idle.stream_id);
        expect(idleStatus.status).toBe('paused');
        expect(idleStatus.reason).toMatch(/inactivity/);
        expect((await status('client-busy', busy.stream_id)).status).toBe(
          'enabled',
        );

        // The receiver is told, with a stream-updated SET it can poll
        // despite the pause.
        const rows = await knex('ssf_outbox')
          .where({ stream_id: idle.stream_id, event_type: STREAM_UPDATED })
          .select('set_jws');
        expect(rows).toHaveLength(1);
        expect(decodeSet(rows[0].set_jws).events[STREAM_UPDATED]).toMatchObject(
          { status: 'paused' },
        );
        const polled = await request(server)
          .post(`/api/ssf/poll/${idle.stream_id}`)
          .set('Authorization', clientAuth('client-idle'))
          .send({ returnImmediately: true })
          .expect(200);
        expect(Object.keys(polled.body.sets)).toHaveLength(1);
        expect(
          await knex('ssf_outbox').where({
            stream_id: busy.stream_id,
            event_type: STREAM_UPDATED,
          }),
        ).toHaveLength(0);

        // And the admins, once.
        await sleep(50);
        const titles = sent.map(n => n.payload.title);
        expect(titles).toEqual([
          `SSF stream ${idle.stream_id} was paused by the transmitter`,
        ]);
        expect(sent[0].recipients).toEqual({
          type: 'entity',
          entityRef: [ADMIN],
        });

        // A stream already paused is left as it is on the next check.
        await scheduler().triggerTask(INACTIVITY_TASK_ID);
        expect(
          await knex('ssf_outbox').where({
            stream_id: idle.stream_id,
            event_type: STREAM_UPDATED,
          }),
        ).toHaveLength(1);
      } finally {
        await backend.stop();
      }
    });

    it('restarts the clock on any receiver call, and on re-enable', async () => {
      const { backend, server, scheduler } = await start({
        transmitter: { inactivityTimeout: { seconds: 1 } },
      });
      try {
        const stream = await createPollStream(server, 'client-a');
        await sleep(700);
        // A stream-management call, not a poll, also counts.
        await request(server)
          .get('/api/ssf/streams')
          .set('Authorization', clientAuth('client-a'))
          .expect(200);
        await sleep(700);
        await scheduler().triggerTask(INACTIVITY_TASK_ID);
        const get = async () =>
          (
            await request(server)
              .get(`/api/ssf/streams/status?stream_id=${stream.stream_id}`)
              .set('Authorization', userAuth())
              .expect(200)
          ).body.status;
        expect(await get()).toBe('enabled');

        await sleep(1200);
        await scheduler().triggerTask(INACTIVITY_TASK_ID);
        expect(await get()).toBe('paused');

        // An admin re-enabling it gives the receiver a full timeout again.
        await request(server)
          .post('/api/ssf/streams/status')
          .set('Authorization', userAuth())
          .send({ stream_id: stream.stream_id, status: 'enabled' })
          .expect(200);
        await scheduler().triggerTask(INACTIVITY_TASK_ID);
        expect(await get()).toBe('enabled');
      } finally {
        await backend.stop();
      }
    });

    it('offers no inactivity_timeout, and pauses nothing, when off', async () => {
      const { backend, server } = await start({});
      try {
        const stream = await createPollStream(server, 'client-a');
        expect(stream).not.toHaveProperty('inactivity_timeout');
        // A receiver echoing a value the transmitter does not supply is
        // refused, like any other transmitter-supplied member.
        const res = await request(server)
          .patch('/api/ssf/streams')
          .set('Authorization', clientAuth('client-a'))
          .send({ stream_id: stream.stream_id, inactivity_timeout: 60 });
        expect(res.status).toBe(400);
      } finally {
        await backend.stop();
      }
    });
  },
);
