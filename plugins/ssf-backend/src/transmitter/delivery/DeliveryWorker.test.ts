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
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { readTransmitterConfig } from '../config';
import { StreamRecord, StreamStore } from '../streams/StreamStore';
import {
  describeOnEachDatabase,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import { POLL, PUSH, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { testStream } from '../__testUtils__/streamRecords';
import { DeliveryWorker } from './DeliveryWorker';
import { ClaimedSet, OutboxStore } from './OutboxStore';

jest.setTimeout(60_000);

const config = readTransmitterConfig(
  new ConfigReader({
    backend: { baseUrl: 'http://localhost:7007' },
    ssf: {
      transmitter: {
        delivery: {
          allowInsecureUrls: true,
          allowPrivateNetworks: true,
          timeout: { milliseconds: 500 },
          leaseDuration: { seconds: 60 },
        },
      },
    },
  }),
);

describeOnEachDatabase('the delivery worker', (databases, id) => {
  let knex: Knex;
  let receiver: Awaited<ReturnType<typeof startTestReceiver>>;
  let worker: DeliveryWorker;
  let outbox: OutboxStore;
  let streams: StreamStore;

  beforeEach(async () => {
    knex = await migratedDatabase(databases, id);
    receiver = await startTestReceiver();
    outbox = new OutboxStore(knex);
    streams = new StreamStore(knex);
    worker = new DeliveryWorker({
      outbox,
      streams,
      config: config.delivery,
      policy: config.urlPolicy,
      logger: mockServices.logger.mock(),
      owner: 'instance-a',
    });
  });
  afterEach(async () => {
    await worker.stop();
    await receiver.close();
  });

  async function addStream(
    overrides: Partial<StreamRecord> = {},
  ): Promise<StreamRecord> {
    const stream = testStream(randomUUID(), {
      delivery: { method: PUSH, endpointUrl: receiver.url },
      ...overrides,
    });
    await streams.insert(stream);
    return (await streams.get(stream.streamId))!;
  }

  /** Stores SETs as the emitter does when the worker took them. */
  async function storeLeased(
    stream: StreamRecord,
    count: number,
    leaseUntil: Date,
  ): Promise<ClaimedSet[]> {
    const sets = Array.from({ length: count }, () => {
      const jti = randomUUID();
      // Only the receiver reads it, for the jti; signing is not tested here.
      const claims = Buffer.from(JSON.stringify({ jti })).toString('base64url');
      return {
        jti,
        streamId: stream.streamId,
        eventType: SESSION_REVOKED,
        setJws: `e30.${claims}.c2ln`,
        attempts: 1,
        leaseUntil,
        createdAt: new Date(),
      };
    });
    await outbox.insert(
      sets.map(s => ({
        ...s,
        txn: randomUUID(),
        lease: { owner: worker.owner, until: leaseUntil },
      })),
      new Date(),
    );
    return sets;
  }

  const row = async (jti: string) => knex('ssf_outbox').where({ jti }).first();

  it('pushes SETs handed over at emit without claiming them', async () => {
    worker.start();
    const stream = await addStream();
    expect(worker.reserve(stream, 3)).toBe(3);
    // Leased for a minute: no claim can reach them within this test, so
    // only the hand-over delivers them.
    const sets = await storeLeased(stream, 3, new Date(Date.now() + 60_000));
    worker.accept(stream.streamId, sets);

    await waitFor(() => receiver.received.length === 3, 5_000, 'the SETs');
    expect(new Set(receiver.jtis())).toEqual(new Set(sets.map(s => s.jti)));
    await waitFor(
      async () => (await row(sets[2].jti)).state === 'delivered',
      5_000,
      'the delivered marks',
    );
    for (const set of sets) {
      expect(await row(set.jti)).toMatchObject({
        state: 'delivered',
        attempts: 1,
        lease_owner: null,
      });
    }
  });

  it('takes hand-overs only for enabled push streams, and only so many', async () => {
    const stream = await addStream();
    expect(worker.reserve(stream, 5)).toBe(0); // not started

    worker.start();
    const paused = await addStream({ status: 'paused' });
    const polled = await addStream({
      delivery: {
        method: POLL,
        endpointUrl: 'http://localhost:7007/api/ssf/poll/x',
      },
    });
    expect(worker.reserve(paused, 5)).toBe(0);
    expect(worker.reserve(polled, 5)).toBe(0);

    expect(worker.reserve(stream, 5_000)).toBe(1_000);
    expect(worker.reserve(stream, 1)).toBe(0);
    worker.cancel(stream.streamId, 1_000);
    expect(worker.reserve(stream, 1)).toBe(1);
  });

  it('gives back a SET whose lease would run out mid-push, then claims it afresh', async () => {
    worker.start();
    const stream = await addStream();
    expect(worker.reserve(stream, 1)).toBe(1);
    // Less than one push timeout (500 ms) of lease left.
    const [set] = await storeLeased(stream, 1, new Date(Date.now() + 200));
    const release = jest.spyOn(outbox, 'release');
    worker.accept(stream.streamId, [set]);

    await waitFor(() => receiver.received.length === 1, 10_000, 'the SET');
    expect(release).toHaveBeenCalledWith([set.jti], 'instance-a');
    await waitFor(
      async () => (await row(set.jti)).state === 'delivered',
      5_000,
      'the delivered mark',
    );
    // Released without an attempt, then claimed and pushed once.
    expect(await row(set.jti)).toMatchObject({ attempts: 1 });
    expect(receiver.received).toHaveLength(1);
  });

  it('releases only what it still holds', async () => {
    const stream = await addStream();
    const [set] = await storeLeased(stream, 1, new Date(Date.now() + 60_000));
    await outbox.release([set.jti], 'instance-b');
    expect(await row(set.jti)).toMatchObject({ lease_owner: 'instance-a' });
    await outbox.release([set.jti], 'instance-a');
    expect(await row(set.jti)).toMatchObject({
      lease_owner: null,
      attempts: 0,
    });
  });
});
