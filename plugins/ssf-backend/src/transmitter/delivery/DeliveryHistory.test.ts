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
import {
  describeOnEachDatabase,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import { POLL, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { pushStream } from '../__testUtils__/transmitterApi';
import {
  startPushTransmitter,
  startTransmitter,
} from '../__testUtils__/transmitterBackend';
import { DeliveryHistory, DeliveryOutcome } from './DeliveryHistory';

jest.setTimeout(60_000);

const A = clientAuth('client-a');
const ADMIN = userAuth();
const HISTORY = '/api/ssf/admin/streams/history';
const HOUR = 3600_000;

/** The sum of one count over all buckets of a history. */
const total = (buckets: Array<Record<string, number>>, key: string) =>
  buckets.reduce((n, b) => n + b[key], 0);

describeOnEachDatabase('stream delivery history', (databases, id) => {
  it('counts what delivery did in the current hour: 3 delivered, 1 retried, 2 dead', async () => {
    const receiver = await startTestReceiver();
    try {
      const { api } = await startPushTransmitter({ databases, id });
      const stream = (await api.createStream(A, pushStream(receiver.url))).body;
      const emit = async (n: number) => {
        const res = await api.emit({
          type: SESSION_REVOKED,
          subject: { format: 'email', email: `u${n}@example.com` },
        });
        expect(res.status).toBe(202);
      };
      const stats = async () =>
        (await api.adminStreams(ADMIN)).body.items[0].stats;
      const history = (query: Record<string, string> = {}) =>
        api.adminHistory(ADMIN, { stream_id: stream.stream_id, ...query });

      // One SET fails once and is retried, then delivered; two go through;
      // two are refused with an RFC 8935 error and dead-lettered.
      receiver.answerNext(
        { status: 500 },
        { status: 202 },
        { status: 202 },
        { status: 202 },
        { status: 400, body: '{"err":"invalid_request"}' },
        { status: 400, body: '{"err":"invalid_request"}' },
      );
      for (let n = 0; n < 3; n++) {
        await emit(n);
        await waitFor(async () => (await stats()).delivered === n + 1);
      }
      for (let n = 3; n < 5; n++) {
        await emit(n);
        await waitFor(async () => (await stats()).dead === n - 2);
      }
      expect(receiver.received).toHaveLength(6);

      const res = await history();
      expect(res.status).toBe(200);
      expect(res.body.bucket_seconds).toBe(3600);
      expect(res.body.buckets).toHaveLength(24);
      const now = Date.now();
      const currentHour = Math.floor(now / HOUR) * HOUR;
      // Oldest first, one per hour, ending with the current hour.
      res.body.buckets.forEach((b: { start: string }, i: number) =>
        expect(Date.parse(b.start)).toBe(currentHour - (23 - i) * HOUR),
      );
      const last = res.body.buckets[23];
      // Just after an hour boundary the outcomes may sit in the hour before.
      const counted = {
        delivered: total(res.body.buckets, 'delivered'),
        failed: total(res.body.buckets, 'failed'),
        dead: total(res.body.buckets, 'dead'),
      };
      expect(counted).toEqual({ delivered: 3, failed: 1, dead: 2 });
      // All of it in the current hour, unless the hour began during the test.
      const hourBeganDuringTest = now - currentHour < 60_000;
      expect(hourBeganDuringTest ? counted : last).toMatchObject({
        delivered: 3,
        failed: 1,
        dead: 2,
      });

      // Redelivering the dead SETs does not rewrite the hour they died in.
      const redeliver = await api.redeliver(ADMIN, {
        stream_id: stream.stream_id,
      });
      expect(redeliver.body).toEqual({ redelivered: 2 });
      await waitFor(async () => (await stats()).delivered === 5);
      const after = (await history({ hours: '2' })).body.buckets;
      expect(after).toHaveLength(2);
      expect([
        total(after, 'delivered'),
        total(after, 'failed'),
        total(after, 'dead'),
      ]).toEqual([5, 1, 2]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses bad parameters with 400, unknown streams with 404, and non-admins', async () => {
    const { server, api } = await startPushTransmitter({
      databases,
      id,
      extraFeatures: [
        // A request without an Authorization header carries no credentials
        // (the mock's default would be a signed-in user).
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const stream = (
      await api.createStream(A, {
        delivery: { method: POLL },
        events_requested: [SESSION_REVOKED],
      })
    ).body;
    const get = (query: Record<string, string>, auth?: string) => {
      const req = request(server).get(HISTORY).query(query);
      return auth ? req.set('Authorization', auth) : req;
    };
    for (const [query, message] of [
      [{}, 'stream_id'],
      [{ stream_id: stream.stream_id, hours: '0' }, 'between 1 and 168'],
      [{ stream_id: stream.stream_id, hours: '169' }, 'between 1 and 168'],
      [{ stream_id: stream.stream_id, hours: '1.5' }, 'whole number'],
      [{ stream_id: stream.stream_id, hours: 'day' }, 'hours'],
      [{ stream_id: stream.stream_id, window: '24' }, 'window'],
    ] as const) {
      const res = await get(query, ADMIN);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(message);
    }
    const ok = await get({ stream_id: stream.stream_id, hours: '168' }, ADMIN);
    expect(ok.status).toBe(200);
    expect(ok.body.buckets).toHaveLength(168);
    expect(
      ok.body.buckets.every(
        (b: Record<string, number>) =>
          b.delivered === 0 && b.failed === 0 && b.dead === 0,
      ),
    ).toBe(true);

    expect((await get({ stream_id: 'nope' }, ADMIN)).status).toBe(404);
    expect((await get({ stream_id: stream.stream_id })).status).toBe(401);
    // A receiver's own token: the ADMIN views are for portal users.
    expect((await get({ stream_id: stream.stream_id }, A)).status).toBe(403);

    const denied = await startTransmitter({
      databases,
      id,
      permission: AuthorizeResult.DENY,
    });
    expect(
      (
        await denied.api.adminHistory(ADMIN, {
          stream_id: stream.stream_id,
        })
      ).status,
    ).toBe(403);
  });

  it('has a migration that can be run again after stopping halfway, and undone', async () => {
    const knex = await migratedDatabase(databases, id);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const migration = require('../../../migrations/20261202100000_activity_history.js');
    expect(migration.config).toEqual({ transaction: false });
    // As if a run had stopped after the first table.
    await knex.schema.dropTable('ssf_received_rejections');
    await migration.up(knex);
    await migration.up(knex);
    expect(await knex.schema.hasTable('ssf_delivery_counts')).toBe(true);
    expect(await knex.schema.hasTable('ssf_received_rejections')).toBe(true);
    await migration.down(knex);
    expect(await knex.schema.hasTable('ssf_delivery_counts')).toBe(false);
    expect(await knex.schema.hasTable('ssf_received_rejections')).toBe(false);
  });

  it('sums minutes into the right hours in SQL, and leaves out what is outside the window', async () => {
    const knex = await migratedDatabase(databases, id);
    const history = new DeliveryHistory(knex);
    const now = new Date(Date.UTC(2026, 11, 1, 15, 20));
    const at = (hoursAgo: number, minute = 0) =>
      new Date(
        Date.UTC(2026, 11, 1, 15 - hoursAgo, minute, 30) /* mid-minute */,
      );
    /** Records outcomes `minute` minutes into the hour `hoursAgo`. */
    const record = (
      hoursAgo: number,
      minute: number,
      ...o: DeliveryOutcome[]
    ) => history.record(o, at(hoursAgo, minute));
    const s1 = (outcome: DeliveryOutcome['outcome'], count: number) => ({
      streamId: 's1',
      outcome,
      count,
    });
    await record(0, 5, s1('delivered', 2));
    await record(0, 19, s1('delivered', 1));
    await record(2, 59, s1('failed', 1), s1('dead', 1), {
      streamId: 's2',
      outcome: 'dead',
      count: 7,
    });
    // 23 hours ago is the window's first hour; 24 is outside it.
    await record(23, 0, s1('dead', 4));
    await record(24, 59, s1('dead', 9));

    const result = await history.history('s1', 24, now);
    expect(result.buckets).toHaveLength(24);
    expect(result.buckets[0]).toEqual({
      start: '2026-11-30T16:00:00.000Z',
      delivered: 0,
      failed: 0,
      dead: 4,
    });
    expect(result.buckets[21]).toEqual({
      start: '2026-12-01T13:00:00.000Z',
      delivered: 0,
      failed: 1,
      dead: 1,
    });
    expect(result.buckets[23]).toEqual({
      start: '2026-12-01T15:00:00.000Z',
      delivered: 3,
      failed: 0,
      dead: 0,
    });
    const nonEmpty = result.buckets.filter(
      b => b.delivered + b.failed + b.dead > 0,
    );
    expect(nonEmpty).toHaveLength(3);

    // A wider window reaches the older hour.
    const wide = await history.history('s1', 25, now);
    expect(wide.buckets[0]).toMatchObject({
      start: '2026-11-30T15:00:00.000Z',
      dead: 9,
    });
  });
});
