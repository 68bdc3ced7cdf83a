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

import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import { SESSION_REVOKED } from '../../__testUtils__/specUris';
import { clientAuth } from '../../__testUtils__/testBackend';
import { pushStream, TransmitterApi } from '../__testUtils__/transmitterApi';
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(180_000);

const A = clientAuth('client-a');
// The push timeout and lease leave room for a CI machine busy with every
// other test: a receiver's 202 that arrives after the timeout makes the SET
// be pushed again (at-least-once, by design), which is not what this test is
// about. What it is about: two instances never hold the same SET at once and
// lose none.
const delivery = {
  allowInsecureUrls: true,
  allowPrivateNetworks: true,
  timeout: { seconds: 5 },
  initialBackoff: { milliseconds: 50 },
  maxBackoff: { milliseconds: 200 },
  leaseDuration: { seconds: 15 },
};

async function emitMany(
  api: TransmitterApi,
  count: number,
  parallel = 10,
): Promise<string[]> {
  const jtis: string[] = [];
  for (let i = 0; i < count; i += parallel) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(parallel, count - i) }, (_, j) =>
        api.emit({
          type: SESSION_REVOKED,
          subject: { format: 'opaque', id: `user-${i + j}` },
        }),
      ),
    );
    for (const res of batch) {
      expect(res.status).toBe(202);
      jtis.push(res.body.sets[0].jti);
    }
  }
  return jtis;
}

describeOnEachDatabase('delivery across replicas', (databases, id) => {
  it('two instances on one database deliver 1000 SETs, none lost, none twice at once', async () => {
    const receiver = await startTestReceiver();
    const knex = await databases.init(id);
    const config = { ssf: { transmitter: { delivery } } };
    const one = await startTransmitter({ databases, id, knex, config });
    const two = await startTransmitter({ databases, id, knex, config });
    try {
      await one.api.createStream(A, pushStream(receiver.url));
      // Emit through both instances, so both workers are woken and compete.
      const jtis = [
        ...(await emitMany(one.api, 500)),
        ...(await emitMany(two.api, 500)),
      ];
      await waitFor(
        () => new Set(receiver.jtis()).size === 1000,
        120_000,
        'all 1000 SETs at the receiver',
      );
      expect(new Set(receiver.jtis())).toEqual(new Set(jtis));
      expect(receiver.concurrentDuplicates).toBe(0);
      expect(receiver.received).toHaveLength(1000);
      // The receiver's 202 reaches the outbox a moment after the SET arrives.
      await waitFor(async () => {
        const [{ n }] = await knex('ssf_outbox')
          .where({ state: 'delivered' })
          .count({ n: '*' });
        return Number(n) === 1000;
      });
    } finally {
      await one.backend.stop();
      await two.backend.stop();
      await receiver.close();
    }
  });

  it('loses nothing when an instance stops mid-delivery or dies holding leases', async () => {
    const receiver = await startTestReceiver();
    const knex = await databases.init(id);
    const config = { ssf: { transmitter: { delivery } } };
    const first = await startTransmitter({ databases, id, knex, config });
    await first.api.createStream(A, pushStream(receiver.url));

    // The receiver is stuck: pushes are in flight when the instance stops.
    receiver.answerAlways('hang');
    const jtis = await emitMany(first.api, 20);
    await waitFor(async () => {
      const [{ n }] = await knex('ssf_outbox')
        .whereNotNull('lease_owner')
        .count({ n: '*' });
      return Number(n) > 0;
    });
    await first.backend.stop();

    // Another instance died holding leases on a few of them.
    await knex('ssf_outbox')
      .whereIn('jti', jtis.slice(0, 3))
      .update({
        lease_owner: 'crashed-instance',
        lease_expires_at: new Date(Date.now() + 1000),
      });

    receiver.answerAlways({ status: 202 });
    const second = await startTransmitter({ databases, id, knex, config });
    try {
      await waitFor(
        () => jtis.every(j => receiver.jtis().includes(j)),
        30_000,
        'every SET delivered after the restart',
      );
      await waitFor(async () => {
        const states = await knex('ssf_outbox').select('state');
        return states.every((r: { state: string }) => r.state === 'delivered');
      });
      expect(receiver.concurrentDuplicates).toBe(0);
    } finally {
      await second.backend.stop();
      await receiver.close();
    }
  });
});
