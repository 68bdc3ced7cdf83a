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

import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { JsonObject } from '@backstage/types';
import { decodeJwt } from 'jose';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { manualScheduler } from '../../__testUtils__/manualScheduler';
import {
  POLL,
  SESSION_REVOKED,
  STREAM_UPDATED,
} from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { TransmitterApi } from '../__testUtils__/transmitterApi';
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

const INACTIVITY_TASK_ID = 'ssf-transmitter-inactivity';
const ADMIN = 'user:default/ssf-admin';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// SSF 1.0 §8.1.1 inactivity_timeout: "After the timeout duration passes with
// no eligible activity from the Receiver ... the Transmitter MAY either
// pause, disable, or delete the stream", eligible activity being any Stream
// Management call that references the stream and, for poll streams, polls;
// "If the Transmitter decides to pause or disable the stream, it MUST send
// a Stream Updated Event to the Receiver".
describeOnEachDatabase('inactivity_timeout', (databases, id) => {
  async function start(config: JsonObject) {
    const scheduler = manualScheduler();
    const sent: NotificationSendOptions[] = [];
    const { backend, knex, api } = await startTransmitter({
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
        ...scheduler.features,
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: NotificationSendOptions) => {
              sent.push(options);
            },
          }),
        }),
      ],
    });
    const checkInactivity = () => scheduler.trigger(INACTIVITY_TASK_ID);
    return { backend, knex, api, sent, checkInactivity };
  }

  async function createPollStream(api: TransmitterApi, clientId: string) {
    const res = await api.createStream(clientAuth(clientId), {
      delivery: { method: POLL },
      events_requested: [SESSION_REVOKED],
    });
    expect(res.status).toBe(201);
    return res.body as { stream_id: string; inactivity_timeout?: number };
  }

  /** The status of a stream as `auth` reads it. */
  const statusOf = async (
    api: TransmitterApi,
    auth: string,
    streamId: string,
  ) => (await api.getStatus(auth, streamId).expect(200)).body;

  it('pauses an idle stream, with a stream-updated SET and a notification; a polling one and admin calls do not count', async () => {
    const { backend, api, knex, sent, checkInactivity } = await start({
      transmitter: { inactivityTimeout: { seconds: 1 } },
      notifications: { recipients: [ADMIN] },
    });
    try {
      const idle = await createPollStream(api, 'client-idle');
      const busy = await createPollStream(api, 'client-busy');
      // Transmitter-supplied, in seconds, in every stream response.
      expect(idle.inactivity_timeout).toBe(1);
      const listed = await api.listStreams(clientAuth('client-busy'));
      expect(listed.body[0].inactivity_timeout).toBe(1);

      const poll = (clientId: string, streamId: string) =>
        api
          .poll(clientAuth(clientId), `/api/ssf/poll/${streamId}`, {
            returnImmediately: true,
          })
          .expect(200);
      for (let i = 0; i < 6; i++) {
        await sleep(250);
        await poll('client-busy', busy.stream_id);
        // A portal admin looking at the idle stream is not its receiver.
        await statusOf(api, userAuth(ADMIN), idle.stream_id);
      }

      await checkInactivity();

      const idleStatus = await statusOf(
        api,
        clientAuth('client-idle'),
        idle.stream_id,
      );
      expect(idleStatus.status).toBe('paused');
      expect(idleStatus.reason).toMatch(/inactivity/);
      expect(
        (await statusOf(api, clientAuth('client-busy'), busy.stream_id)).status,
      ).toBe('enabled');

      // The receiver is told, with a stream-updated SET it can poll
      // despite the pause.
      const streamUpdatedRows = (streamId: string) =>
        knex('ssf_outbox')
          .where({ stream_id: streamId, event_type: STREAM_UPDATED })
          .select('set_jws');
      const rows = await streamUpdatedRows(idle.stream_id);
      expect(rows).toHaveLength(1);
      const { events } = decodeJwt(rows[0].set_jws) as { events: any };
      expect(events[STREAM_UPDATED]).toMatchObject({ status: 'paused' });
      const polled = await poll('client-idle', idle.stream_id);
      expect(Object.keys(polled.body.sets)).toHaveLength(1);
      expect(await streamUpdatedRows(busy.stream_id)).toHaveLength(0);

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
      await checkInactivity();
      expect(await streamUpdatedRows(idle.stream_id)).toHaveLength(1);
    } finally {
      await backend.stop();
    }
  });

  it('restarts the clock on any receiver call, and on re-enable', async () => {
    const { backend, api, checkInactivity } = await start({
      transmitter: { inactivityTimeout: { seconds: 1 } },
    });
    try {
      const stream = await createPollStream(api, 'client-a');
      await sleep(700);
      // A stream-management call, not a poll, also counts.
      await api.listStreams(clientAuth('client-a')).expect(200);
      await sleep(700);
      await checkInactivity();
      const get = async () =>
        (await statusOf(api, userAuth(), stream.stream_id)).status;
      expect(await get()).toBe('enabled');

      await sleep(1200);
      await checkInactivity();
      expect(await get()).toBe('paused');

      // An admin re-enabling it gives the receiver a full timeout again.
      await api
        .setStatus(userAuth(), {
          stream_id: stream.stream_id,
          status: 'enabled',
        })
        .expect(200);
      await checkInactivity();
      expect(await get()).toBe('enabled');
    } finally {
      await backend.stop();
    }
  });

  it('offers no inactivity_timeout, and pauses nothing, when off', async () => {
    const { backend, api } = await start({});
    try {
      const stream = await createPollStream(api, 'client-a');
      expect(stream).not.toHaveProperty('inactivity_timeout');
      // A receiver echoing a value the transmitter does not supply is
      // refused, like any other transmitter-supplied member.
      const res = await api.updateStream(clientAuth('client-a'), {
        stream_id: stream.stream_id,
        inactivity_timeout: 60,
      });
      expect(res.status).toBe(400);
    } finally {
      await backend.stop();
    }
  });
});
