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
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { clientAuth } from '../../__testUtils__/testBackend';
import {
  addProvider,
  asAdmin,
  push,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import { useTestTransmitters } from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

const HISTORY = '/api/ssf/received-events/history';
const HOUR = 3600_000;

describeOnEachDatabase('received events history', (databases, id) => {
  const t = useTestTransmitters(
    { a: 'RS256', b: 'ES256', stranger: 'RS256' },
    'all',
  );

  it('counts accepted and refused SETs per provider by hour, with refusals by err', async () => {
    const { server, knex } = await startReceiverBackend({ databases, id });
    const pa = await addProvider(server, t.a);
    const pb = await addProvider(server, t.b);

    for (let i = 0; i < 4; i++) {
      expect(
        (await push(server, await t.a.sign({ jti: `a${i}` }))).status,
      ).toBe(202);
    }
    // A redelivery is answered 202 again but is not a new SET.
    expect((await push(server, await t.a.sign({ jti: 'a0' }))).status).toBe(
      202,
    );
    for (let i = 0; i < 2; i++) {
      const forged = await push(server, await t.a.sign({}, { forge: true }));
      expect(forged.status).toBe(400);
      expect(forged.body.err).toBe('invalid_key');
    }
    // Another provider's SETs, and an issuer that names no provider.
    expect((await push(server, await t.b.sign({ jti: 'b0' }))).status).toBe(
      202,
    );
    expect((await push(server, await t.stranger.sign({}))).status).toBe(400);

    // One of a's SETs arrived three hours ago.
    await knex('ssf_received_events')
      .where({ jti: 'a3' })
      .update({ received_at: new Date(Date.now() - 3 * HOUR) });

    const res = await asAdmin(server)
      .get(HISTORY)
      .query({ provider_id: pa.id });
    expect(res.status).toBe(200);
    expect(res.body.bucket_seconds).toBe(3600);
    expect(res.body.buckets).toHaveLength(24);
    const currentHour = Math.floor(Date.now() / HOUR) * HOUR;
    res.body.buckets.forEach((bucket: { start: string }, i: number) =>
      expect(Date.parse(bucket.start)).toBe(currentHour - (23 - i) * HOUR),
    );
    expect(res.body.buckets[20]).toEqual({
      start: new Date(currentHour - 3 * HOUR).toISOString(),
      accepted: 1,
      rejected: 0,
    });
    const recent = res.body.buckets
      .slice(21)
      .reduce(
        (sum: number[], bucket: { accepted: number; rejected: number }) => [
          sum[0] + bucket.accepted,
          sum[1] + bucket.rejected,
        ],
        [0, 0],
      );
    expect(recent).toEqual([3, 2]);
    const total = res.body.buckets.reduce(
      (n: number, bucket: { accepted: number; rejected: number }) =>
        n + bucket.accepted + bucket.rejected,
      0,
    );
    expect(total).toBe(6);
    expect(res.body.rejected_by_err).toEqual({ invalid_key: 2 });

    const other = await asAdmin(server)
      .get(HISTORY)
      .query({ provider_id: pb.id, hours: '1' });
    expect(other.body).toEqual({
      bucket_seconds: 3600,
      buckets: [
        {
          start: new Date(currentHour).toISOString(),
          accepted: 1,
          rejected: 0,
        },
      ],
      rejected_by_err: {},
    });

    // The unknown issuer was counted under no provider.
    const [{ n }] = await knex('ssf_received_rejections').sum({ n: 'count' });
    expect(Number(n)).toBe(2);
  });

  it('refuses bad parameters with 400 and callers without ssf.provider.read', async () => {
    const { server } = await startReceiverBackend({
      databases,
      id,
      extraFeatures: [
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    for (const [query, message] of [
      [{}, 'provider_id'],
      [{ provider_id: 'p', hours: '0' }, 'between 1 and 168'],
      [{ provider_id: 'p', hours: '500' }, 'between 1 and 168'],
      [{ provider_id: 'p', hours: 'x' }, 'hours'],
      [{ provider_id: 'p', since: 'yesterday' }, 'since'],
    ] as const) {
      const res = await asAdmin(server).get(HISTORY).query(query);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
    expect(
      (await request(server).get(HISTORY).query({ provider_id: 'p' })).status,
    ).toBe(401);
    expect(
      (
        await request(server)
          .get(HISTORY)
          .query({ provider_id: 'p' })
          .set('Authorization', clientAuth('client-a'))
      ).status,
    ).toBe(403);

    const denied = await startReceiverBackend({
      databases,
      id,
      permission: AuthorizeResult.DENY,
    });
    expect(
      (await asAdmin(denied.server).get(HISTORY).query({ provider_id: 'p' }))
        .status,
    ).toBe(403);
  });
});
