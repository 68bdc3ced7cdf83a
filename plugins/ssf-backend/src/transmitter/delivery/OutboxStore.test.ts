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

import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { StreamRecord, StreamStore } from '../streams/StreamStore';
import { NewOutboxEntry, OutboxStore } from './OutboxStore';

jest.setTimeout(60_000);

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const STREAM_UPDATED =
  'https://schemas.openid.net/secevent/ssf/event-type/stream-updated';

// Every time is fixed; the store takes `now` as an argument, so nothing here
// depends on the wall clock.
const T0 = new Date('2026-11-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function stream(
  streamId: string,
  overrides: Partial<StreamRecord> = {},
): StreamRecord {
  return {
    streamId,
    clientId: `client-${streamId}`,
    iss: 'https://portal.example.com/api/ssf',
    aud: `client-${streamId}`,
    eventsRequested: [SESSION_REVOKED],
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpointUrl: 'https://receiver.example.com/events',
      authorizationHeader: 'Bearer secret',
    },
    description: 'A stream',
    receiverProfile: 'ssf',
    status: 'enabled',
    minVerificationInterval: 30,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

function entry(
  jti: string,
  overrides: Partial<NewOutboxEntry> = {},
): NewOutboxEntry {
  return {
    jti,
    streamId: 's1',
    eventType: SESSION_REVOKED,
    txn: `txn-${jti}`,
    setJws: `eyJhbGciOiJSUzI1NiJ9.${jti}.signature`,
    ...overrides,
  };
}

type ClaimOptions = Parameters<OutboxStore['claim']>[0];

function claimOptions(overrides: Partial<ClaimOptions> = {}): ClaimOptions {
  return {
    streamId: 's1',
    owner: 'replica-a',
    now: T0,
    leaseUntil: at(30_000),
    limit: 10,
    controlOnly: false,
    countAttempt: true,
    ...overrides,
  };
}

const jtisOf = (sets: { jti: string }[]) => sets.map(s => s.jti);
const sortedJtisOf = (sets: { jti: string }[]) => jtisOf(sets).sort();

describe('OutboxStore', () => {
  const databases = createTestDatabases();

  /** A migrated database holding streams s1…s4 (s4 paused) and an outbox on it. */
  async function setup(id: TestDatabaseId) {
    const knex = await migratedDatabase(databases, id);
    const streams = new StreamStore(knex);
    await streams.insert(stream('s1'));
    await streams.insert(stream('s2'));
    await streams.insert(stream('s3'));
    await streams.insert(stream('s4', { status: 'paused' }));
    return { knex, outbox: new OutboxStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'inserts SETs and reads them back on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('e1'),
          entry('e2', {
            streamId: 's2',
            eventType: STREAM_UPDATED,
            control: true,
          }),
        ],
        T0,
      );
      await outbox.insert([], at(1000));

      expect(await outbox.get('e1')).toEqual({
        jti: 'e1',
        streamId: 's1',
        eventType: SESSION_REVOKED,
        txn: 'txn-e1',
        setJws: 'eyJhbGciOiJSUzI1NiJ9.e1.signature',
        state: 'pending',
        control: false,
        attempts: 0,
        nextAttemptAt: T0,
        createdAt: T0,
      });
      const e2 = await outbox.get('e2');
      expect(e2).toMatchObject({
        streamId: 's2',
        eventType: STREAM_UPDATED,
        control: true,
        state: 'pending',
      });
      expect(e2?.lastError).toBeUndefined();
      expect(e2?.deliveredAt).toBeUndefined();
      expect(await outbox.get('missing')).toBeUndefined();

      // Written in the caller's transaction: a rollback leaves nothing.
      await expect(
        knex.transaction(async tx => {
          await outbox.insert([entry('e3')], T0, tx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await outbox.get('e3')).toBeUndefined();

      // A jti is stored once.
      await expect(outbox.insert([entry('e1')], T0)).rejects.toThrow();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'claims only due SETs of the stream, oldest first, up to the limit on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('r1')], T0);
      await outbox.insert([entry('r2')], at(1000));
      await outbox.insert([entry('r3')], at(2000));
      await outbox.insert([entry('r4')], at(3000));
      // Inserted "later": not due before at(20_000).
      await outbox.insert([entry('r5')], at(20_000));
      await outbox.insert([entry('other', { streamId: 's2' })], T0);

      const first = await outbox.claim(
        claimOptions({ now: at(10_000), leaseUntil: at(40_000), limit: 2 }),
      );
      expect(first).toEqual([
        {
          jti: 'r1',
          streamId: 's1',
          eventType: SESSION_REVOKED,
          setJws: 'eyJhbGciOiJSUzI1NiJ9.r1.signature',
          attempts: 1,
          leaseUntil: at(40_000),
          // Its emit time, from which the push latency metric runs.
          createdAt: T0,
        },
        expect.objectContaining({
          jti: 'r2',
          attempts: 1,
          createdAt: at(1000),
        }),
      ]);

      // Another replica gets the rest that is due; r1 and r2 are leased.
      const second = await outbox.claim(
        claimOptions({ owner: 'replica-b', now: at(10_000) }),
      );
      expect(jtisOf(second)).toEqual(['r3', 'r4']);

      // Nothing left that is due now; r5 becomes due at its time.
      expect(
        await outbox.claim(
          claimOptions({ owner: 'replica-c', now: at(10_000) }),
        ),
      ).toEqual([]);
      expect(
        jtisOf(
          await outbox.claim(
            claimOptions({ owner: 'replica-c', now: at(20_000) }),
          ),
        ),
      ).toEqual(['r5']);

      // The other stream's SET was not touched.
      expect((await outbox.get('other'))?.attempts).toBe(0);
      expect(
        jtisOf(await outbox.claim(claimOptions({ streamId: 's2' }))),
      ).toEqual(['other']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'breaks ties in creation time by jti when choosing what to claim on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('c'), entry('a'), entry('b')], T0);
      const claimed = await outbox.claim(claimOptions({ limit: 2 }));
      expect(sortedJtisOf(claimed)).toEqual(['a', 'b']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'claims only control SETs for a stream that is not enabled on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      // s4 is paused; callers pass controlOnly = status !== 'enabled'
      // (DeliveryWorker, PollService).
      await outbox.insert(
        [
          entry('n1', { streamId: 's4' }),
          entry('k1', {
            streamId: 's4',
            eventType: STREAM_UPDATED,
            control: true,
          }),
        ],
        T0,
      );
      expect(await outbox.hasDue('s4', T0, true)).toBe(true);
      const control = await outbox.claim(
        claimOptions({ streamId: 's4', controlOnly: true }),
      );
      expect(jtisOf(control)).toEqual(['k1']);
      // Only the held ordinary SET is left, and it is not due while paused.
      expect(await outbox.hasDue('s4', T0, true)).toBe(false);
      expect(
        await outbox.claim(
          claimOptions({
            streamId: 's4',
            owner: 'replica-b',
            controlOnly: true,
          }),
        ),
      ).toEqual([]);
      expect((await outbox.get('n1'))?.attempts).toBe(0);

      // Once the stream is enabled again the held SET is due.
      expect(await outbox.hasDue('s4', T0, false)).toBe(true);
      expect(
        jtisOf(
          await outbox.claim(
            claimOptions({ streamId: 's4', owner: 'replica-b' }),
          ),
        ),
      ).toEqual(['n1']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'does not hand a leased SET to another owner until the lease runs out on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('r1')], T0);

      const a = await outbox.claim(
        claimOptions({ owner: 'replica-a', now: T0, leaseUntil: at(30_000) }),
      );
      expect(a).toEqual([expect.objectContaining({ jti: 'r1', attempts: 1 })]);
      expect((await outbox.get('r1'))?.attempts).toBe(1);

      expect(
        await outbox.claim(
          claimOptions({ owner: 'replica-b', now: at(29_999) }),
        ),
      ).toEqual([]);
      expect(await outbox.hasDue('s1', at(29_999), false)).toBe(false);

      // The lease ran out (the worker died, say): another owner takes it,
      // and the attempt is counted again.
      expect(await outbox.hasDue('s1', at(30_001), false)).toBe(true);
      const b = await outbox.claim(
        claimOptions({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(60_001),
        }),
      );
      expect(b).toEqual([
        expect.objectContaining({
          jti: 'r1',
          attempts: 2,
          leaseUntil: at(60_001),
        }),
      ]);
      expect((await outbox.get('r1'))?.attempts).toBe(2);

      // Now replica-b holds it, the first owner included.
      expect(
        await outbox.claim(
          claimOptions({ owner: 'replica-a', now: at(31_000) }),
        ),
      ).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'leases without counting an attempt for poll claims on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('p1')], T0);
      const polled = await outbox.claim(claimOptions({ countAttempt: false }));
      expect(polled).toEqual([
        expect.objectContaining({ jti: 'p1', attempts: 0 }),
      ]);
      expect((await outbox.get('p1'))?.attempts).toBe(0);
      // The lease is taken all the same.
      expect(
        await outbox.claim(claimOptions({ owner: 'replica-b', now: at(1000) })),
      ).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'never gives one SET to two concurrent claimers on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      const jtis = Array.from(
        { length: 40 },
        (_, i) => `c${String(i).padStart(2, '0')}`,
      );
      await outbox.insert(
        jtis.map(jti => entry(jti)),
        T0,
      );
      const owners = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5'];
      const results = await Promise.all(
        owners.map(owner => outbox.claim(claimOptions({ owner, limit: 6 }))),
      );
      const claimed = results.flatMap(jtisOf);
      expect(new Set(claimed).size).toBe(claimed.length);
      for (const set of results.flat()) {
        expect(set.attempts).toBe(1);
      }
      // Nothing was lost: what no one claimed is still there to claim.
      const rest = await outbox.claim(
        claimOptions({ owner: 'r-6', limit: 100 }),
      );
      expect([...claimed, ...jtisOf(rest)].sort()).toEqual(jtis);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'honours a hand-over lease stored with the SET on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      const lease = { owner: 'replica-a', until: at(30_000) };
      await outbox.insert(
        [entry('h1', { lease }), entry('h2', { lease }), entry('free')],
        T0,
      );
      // The hand-over counts as the first attempt.
      expect((await outbox.get('h1'))?.attempts).toBe(1);
      expect((await outbox.get('free'))?.attempts).toBe(0);

      const before = await outbox.claim(
        claimOptions({
          owner: 'replica-b',
          now: at(10_000),
          leaseUntil: at(100_000),
        }),
      );
      expect(jtisOf(before)).toEqual(['free']);
      expect(await outbox.hasDue('s1', at(10_000), false)).toBe(false);

      // After `until`, anyone may claim them: another replica…
      const other = await outbox.claim(
        claimOptions({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(60_001),
          limit: 1,
        }),
      );
      expect(other).toEqual([
        expect.objectContaining({ jti: 'h1', attempts: 2 }),
      ]);
      // …or the replica that was handed them.
      const own = await outbox.claim(
        claimOptions({ owner: 'replica-a', now: at(30_001) }),
      );
      expect(own).toEqual([
        expect.objectContaining({ jti: 'h2', attempts: 2 }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'releases only the SETs the owner still holds on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [entry('r1'), entry('r2'), entry('r3'), entry('r4')],
        T0,
      );
      await outbox.claim(
        claimOptions({ owner: 'replica-a', leaseUntil: at(30_000) }),
      );

      await outbox.release([], 'replica-a');
      // Someone else's release changes nothing.
      await outbox.release(['r1', 'r2'], 'replica-b');
      expect(
        await outbox.claim(claimOptions({ owner: 'replica-c', now: at(1000) })),
      ).toEqual([]);

      // The owner gives r1 back: claimable at once, its attempt undone.
      await outbox.release(['r1'], 'replica-a');
      expect((await outbox.get('r1'))?.attempts).toBe(0);
      expect(
        await outbox.claim(
          claimOptions({
            owner: 'replica-c',
            now: at(1000),
            leaseUntil: at(100_000),
          }),
        ),
      ).toEqual([expect.objectContaining({ jti: 'r1', attempts: 1 })]);

      // r2's lease ran out and replica-b took it; replica-a releasing it
      // late must not undo replica-b's claim. r3 is still replica-a's.
      const taken = await outbox.claim(
        claimOptions({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(90_000),
          limit: 1,
        }),
      );
      expect(jtisOf(taken)).toEqual(['r2']);
      expect((await outbox.get('r2'))?.attempts).toBe(2);

      // r4 was delivered meanwhile: releasing it does not bring it back.
      await outbox.markDelivered(['r4'], at(30_002));
      await outbox.release(['r2', 'r3', 'r4'], 'replica-a');
      expect((await outbox.get('r2'))?.attempts).toBe(2);
      expect((await outbox.get('r3'))?.attempts).toBe(0);
      expect(await outbox.get('r4')).toMatchObject({
        state: 'delivered',
        attempts: 1,
      });

      const rest = await outbox.claim(
        claimOptions({ owner: 'replica-d', now: at(30_003) }),
      );
      expect(rest).toEqual([
        expect.objectContaining({ jti: 'r3', attempts: 1 }),
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'marks SETs delivered once, optionally only within one stream, on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('d1'),
          entry('d2'),
          entry('d3', { streamId: 's2' }),
          entry('d4'),
        ],
        T0,
      );
      await outbox.markDead(['d4'], 'gave up', at(500));
      await outbox.claim(claimOptions());

      expect(await outbox.markDelivered([], at(1000))).toBe(0);
      // Scoped to s1: the s2 SET named by mistake is left alone.
      expect(await outbox.markDelivered(['d1', 'd3'], at(1000), 's1')).toBe(1);
      expect(await outbox.get('d1')).toMatchObject({
        state: 'delivered',
        deliveredAt: at(1000),
      });
      expect((await outbox.get('d3'))?.state).toBe('pending');

      // Only pending SETs: d4 stays dead, d1 keeps its first delivery time.
      expect(
        await outbox.markDelivered(['d1', 'd2', 'd3', 'd4'], at(2000)),
      ).toBe(2);
      expect((await outbox.get('d1'))?.deliveredAt).toEqual(at(1000));
      expect((await outbox.get('d2'))?.deliveredAt).toEqual(at(2000));
      expect((await outbox.get('d3'))?.state).toBe('delivered');
      expect((await outbox.get('d4'))?.state).toBe('dead');

      // Delivered SETs are never claimed again, lease or no lease.
      expect(await outbox.claim(claimOptions({ now: at(60_000) }))).toEqual([]);

      // Within a transaction that rolls back, nothing changes.
      await outbox.insert([entry('d5')], T0);
      await expect(
        knex.transaction(async tx => {
          await outbox.markDelivered(['d5'], at(3000), undefined, tx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect((await outbox.get('d5'))?.state).toBe('pending');
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'retries a SET no earlier than its next attempt time on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('r1'), entry('done')], T0);
      await outbox.claim(
        claimOptions({ owner: 'replica-a', leaseUntil: at(60_000) }),
      );
      await outbox.markRetry('r1', 'HTTP 503', at(1000), at(10_000));

      expect(await outbox.get('r1')).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'HTTP 503',
        lastErrorAt: at(1000),
        nextAttemptAt: at(10_000),
      });
      expect(await outbox.hasDue('s1', at(9_999), false)).toBe(false);
      expect(
        await outbox.claim(
          claimOptions({ owner: 'replica-b', now: at(9_999) }),
        ),
      ).toEqual([]);

      // Due at its time, although replica-a's claim would have run longer:
      // the retry gave up the lease.
      expect(await outbox.hasDue('s1', at(10_000), false)).toBe(true);
      expect(
        await outbox.claim(
          claimOptions({ owner: 'replica-b', now: at(10_000) }),
        ),
      ).toEqual([expect.objectContaining({ jti: 'r1', attempts: 2 })]);

      // A finished SET is not retried.
      await outbox.markDelivered(['done'], at(1000));
      await outbox.markRetry('done', 'late failure', at(2000), at(3000));
      const done = await outbox.get('done');
      expect(done?.state).toBe('delivered');
      expect(done?.lastError).toBeUndefined();
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'marks SETs dead and keeps the error on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('x1'),
          entry('x2'),
          entry('x3'),
          entry('y1', { streamId: 's2' }),
          entry('ok'),
        ],
        T0,
      );
      await outbox.markDelivered(['ok'], at(500));
      await outbox.claim(claimOptions());

      expect(await outbox.markDead(['x1'], 'HTTP 400: bad SET', at(1000))).toBe(
        1,
      );
      expect(await outbox.get('x1')).toMatchObject({
        state: 'dead',
        attempts: 1,
        lastError: 'HTTP 400: bad SET',
        lastErrorAt: at(1000),
      });

      // A per-SET message, scoped to one stream; finished SETs stay as
      // they are.
      expect(
        await outbox.markDead(
          ['x2', 'x3', 'y1', 'ok'],
          jti => `rejected ${jti}`,
          at(2000),
          's1',
        ),
      ).toBe(2);
      expect((await outbox.get('x2'))?.lastError).toBe('rejected x2');
      expect((await outbox.get('x3'))?.lastError).toBe('rejected x3');
      expect((await outbox.get('y1'))?.state).toBe('pending');
      expect(await outbox.get('ok')).toMatchObject({ state: 'delivered' });
      expect((await outbox.get('ok'))?.lastError).toBeUndefined();

      // Dead SETs are not claimed.
      expect(await outbox.claim(claimOptions({ now: at(60_000) }))).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "drops a disabled stream's pending SETs except control ones on %p",
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('p1'),
          entry('p2'),
          entry('c1', { eventType: STREAM_UPDATED, control: true }),
          entry('d1'),
          entry('q1', { streamId: 's2' }),
        ],
        T0,
      );
      await outbox.markDelivered(['d1'], at(100));

      expect(await outbox.dropPending('s1', 'stream disabled', at(1000))).toBe(
        2,
      );
      for (const jti of ['p1', 'p2']) {
        expect(await outbox.get(jti)).toMatchObject({
          state: 'dropped',
          lastError: 'stream disabled',
          lastErrorAt: at(1000),
        });
      }
      expect((await outbox.get('c1'))?.state).toBe('pending');
      expect((await outbox.get('d1'))?.state).toBe('delivered');
      expect((await outbox.get('q1'))?.state).toBe('pending');
      expect(await outbox.dropPending('s1', 'again', at(2000))).toBe(0);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps only the newest SETs of a paused stream up to the hold limit on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('c1', {
            streamId: 's4',
            eventType: STREAM_UPDATED,
            control: true,
          }),
        ],
        at(-1000),
      );
      for (let i = 1; i <= 5; i++) {
        await outbox.insert([entry(`h${i}`, { streamId: 's4' })], at(i * 1000));
      }
      await outbox.insert([entry('other', { streamId: 's2' })], T0);

      expect(await outbox.enforceHoldLimit('s4', 2, at(10_000))).toBe(3);
      for (const jti of ['h1', 'h2', 'h3']) {
        const dropped = await outbox.get(jti);
        expect(dropped?.state).toBe('dropped');
        expect(dropped?.lastError).toContain('more than 2 SETs');
        expect(dropped?.lastErrorAt).toEqual(at(10_000));
      }
      expect((await outbox.get('h4'))?.state).toBe('pending');
      expect((await outbox.get('h5'))?.state).toBe('pending');
      // Control SETs do not count against the limit and are never dropped.
      expect((await outbox.get('c1'))?.state).toBe('pending');
      expect((await outbox.get('other'))?.state).toBe('pending');
      expect(await outbox.enforceHoldLimit('s4', 2, at(11_000))).toBe(0);

      // SETs stored at the same moment: the highest jtis are kept.
      await outbox.insert(
        [
          entry('t-b', { streamId: 's3' }),
          entry('t-c', { streamId: 's3' }),
          entry('t-a', { streamId: 's3' }),
        ],
        T0,
      );
      expect(await outbox.enforceHoldLimit('s3', 2, at(10_000))).toBe(1);
      expect((await outbox.get('t-a'))?.state).toBe('dropped');
      expect((await outbox.get('t-b'))?.state).toBe('pending');
      expect((await outbox.get('t-c'))?.state).toBe('pending');

      // A limit of zero holds nothing.
      expect(await outbox.enforceHoldLimit('s3', 0, at(10_000))).toBe(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'drops SETs held longer than allowed by the given streams on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('o1', { streamId: 's4' }),
          entry('oc', {
            streamId: 's4',
            eventType: STREAM_UPDATED,
            control: true,
          }),
          entry('o3', { streamId: 's2' }),
          entry('o4', { streamId: 's3' }),
        ],
        T0,
      );
      await outbox.insert([entry('edge', { streamId: 's4' })], at(5000));
      await outbox.insert([entry('o2', { streamId: 's4' })], at(10_000));

      expect(await outbox.dropHeldOlderThan([], at(5000), at(20_000))).toBe(0);
      expect(
        await outbox.dropHeldOlderThan(['s4', 's2'], at(5000), at(20_000)),
      ).toBe(2);
      for (const jti of ['o1', 'o3']) {
        const dropped = await outbox.get(jti);
        expect(dropped?.state).toBe('dropped');
        expect(dropped?.lastError).toContain('longer than allowed');
        expect(dropped?.lastErrorAt).toEqual(at(20_000));
      }
      // Not older than the cutoff, a control SET, a stream not listed.
      for (const jti of ['edge', 'o2', 'oc', 'o4']) {
        expect((await outbox.get(jti))?.state).toBe('pending');
      }
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'sends dead SETs again, one or all of a stream, on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('x1'),
          entry('x2'),
          entry('x3'),
          entry('y1', { streamId: 's2' }),
        ],
        T0,
      );
      await outbox.claim(claimOptions());
      await outbox.claim(claimOptions({ streamId: 's2' }));
      await outbox.markDead(['x1', 'x2', 'y1'], 'HTTP 400', at(1000));
      await outbox.markDelivered(['x3'], at(1000));

      expect(await outbox.redeliver('s1', 'x1', at(5000))).toBe(1);
      expect(await outbox.get('x1')).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at(5000),
      });
      expect((await outbox.get('x2'))?.state).toBe('dead');
      // A jti of another stream is not redelivered through this one.
      expect(await outbox.redeliver('s1', 'y1', at(5000))).toBe(0);
      expect((await outbox.get('y1'))?.state).toBe('dead');

      expect(await outbox.redeliver('s1', undefined, at(6000))).toBe(1);
      expect(await outbox.get('x2')).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at(6000),
      });
      expect((await outbox.get('x3'))?.state).toBe('delivered');
      expect((await outbox.get('y1'))?.state).toBe('dead');

      // Redelivered SETs are due again (x1's old lease no longer holds).
      expect(
        sortedJtisOf(
          await outbox.claim(
            claimOptions({ owner: 'replica-b', now: at(6000) }),
          ),
        ),
      ).toEqual(['x1', 'x2']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes finished SETs older than the cutoff on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert(
        [
          entry('old-delivered'),
          entry('old-dropped'),
          entry('old-dead'),
          entry('old-pending'),
        ],
        T0,
      );
      await outbox.insert(
        [entry('new-delivered', { streamId: 's2' })],
        at(10_000),
      );
      await outbox.markDelivered(
        ['old-delivered', 'new-delivered'],
        at(11_000),
      );
      await outbox.markDead(['old-dead'], 'gave up', at(11_000));
      await outbox.enforceHoldLimit('s1', 1, at(11_000));
      // enforceHoldLimit dropped old-dropped (lower jti than old-pending).
      expect((await outbox.get('old-dropped'))?.state).toBe('dropped');
      expect((await outbox.get('old-pending'))?.state).toBe('pending');

      expect(await outbox.deleteFinishedBefore(at(5000))).toBe(3);
      for (const jti of ['old-delivered', 'old-dropped', 'old-dead']) {
        expect(await outbox.get(jti)).toBeUndefined();
      }
      expect((await outbox.get('old-pending'))?.state).toBe('pending');
      expect((await outbox.get('new-delivered'))?.state).toBe('delivered');
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'tells whether a stream has due SETs on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      expect(await outbox.hasDue('s1', T0, false)).toBe(false);
      await outbox.insert([entry('later')], at(5000));
      await outbox.insert([entry('elsewhere', { streamId: 's2' })], T0);
      expect(await outbox.hasDue('s1', T0, false)).toBe(false);
      expect(await outbox.hasDue('s1', at(5000), false)).toBe(true);
      expect(await outbox.hasDue('s1', at(5000), true)).toBe(false);
      await outbox.markDelivered(['later'], at(6000));
      expect(await outbox.hasDue('s1', at(7000), false)).toBe(false);
      expect(await outbox.hasDue('s2', at(7000), false)).toBe(true);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'gets many SETs by jti, beyond one batch of 500, on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      const jtis = Array.from(
        { length: 1201 },
        (_, i) => `m${String(i).padStart(4, '0')}`,
      );
      await outbox.insert(
        jtis.map((jti, i) => entry(jti, { streamId: i % 2 ? 's2' : 's1' })),
        T0,
      );
      expect((await outbox.getMany([])).size).toBe(0);

      const wanted = [
        ...jtis.slice(0, 1100),
        'missing-1',
        ...jtis.slice(1100),
        'missing-2',
      ];
      const found = await outbox.getMany(wanted);
      expect(found).toBeInstanceOf(Map);
      expect(found.size).toBe(jtis.length);
      expect([...found.keys()].sort()).toEqual(jtis);
      expect(found.has('missing-1')).toBe(false);
      expect(found.get('m1200')).toEqual(await outbox.get('m1200'));
      expect(found.get('m0777')).toMatchObject({
        jti: 'm0777',
        streamId: 's2',
        txn: 'txn-m0777',
        state: 'pending',
      });
      for (const [jti, set] of found) {
        expect(set.jti).toBe(jti);
      }

      const some = await outbox.getMany(['m0003', 'nope', 'm0004']);
      expect([...some.keys()].sort()).toEqual(['m0003', 'm0004']);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "lists a stream's SETs newest first, by page and state, on %p",
    async id => {
      const { knex, outbox } = await setup(id);
      for (let i = 1; i <= 5; i++) {
        await outbox.insert([entry(`l${i}`)], at(i * 1000));
      }
      // Two stored at once: the higher jti counts as newer.
      await outbox.insert([entry('l6a'), entry('l6b')], at(6000));
      await outbox.insert([entry('elsewhere', { streamId: 's2' })], at(9000));
      await outbox.markDead(['l3'], 'HTTP 400', at(7000));
      await outbox.markDead(['l5'], 'HTTP 400', at(7000));

      const page1 = await outbox.list({ streamId: 's1', limit: 3, offset: 0 });
      expect(page1.total).toBe(7);
      expect(jtisOf(page1.items)).toEqual(['l6b', 'l6a', 'l5']);
      const page2 = await outbox.list({ streamId: 's1', limit: 3, offset: 3 });
      expect(jtisOf(page2.items)).toEqual(['l4', 'l3', 'l2']);
      const page3 = await outbox.list({ streamId: 's1', limit: 3, offset: 6 });
      expect(page3).toEqual({
        total: 7,
        items: [await outbox.get('l1')],
      });

      const dead = await outbox.list({
        streamId: 's1',
        state: 'dead',
        limit: 10,
        offset: 0,
      });
      expect(dead.total).toBe(2);
      expect(jtisOf(dead.items)).toEqual(['l5', 'l3']);
      expect(dead.items[0]).toMatchObject({
        state: 'dead',
        lastError: 'HTTP 400',
        lastErrorAt: at(7000),
      });

      expect(
        await outbox.list({
          streamId: 's1',
          state: 'delivered',
          limit: 10,
          offset: 0,
        }),
      ).toEqual({ total: 0, items: [] });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'breaks a tie between errors of one batch by the highest jti on %p',
    async id => {
      const { knex, outbox } = await setup(id);
      // Inserted out of jti order, so neither insertion nor row order can
      // stand in for the tie-break.
      await outbox.insert([entry('m3'), entry('m1'), entry('m2')], T0);
      await outbox.markDead(
        ['m2', 'm3', 'm1'],
        jti => `${jti}: HTTP 400`,
        at(5000),
      );
      const stats = await outbox.stats(['s1']);
      expect(stats.get('s1')!.lastError).toEqual({
        message: 'm3: HTTP 400',
        at: at(5000),
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "counts each stream's SETs by state with its newest error on %p",
    async id => {
      const { knex, outbox } = await setup(id);
      await outbox.insert([entry('b5', { streamId: 's2' })], at(-1000));
      await outbox.insert(
        [
          entry('a1'),
          entry('a2'),
          entry('a3'),
          entry('a4'),
          entry('a5'),
          entry('b1', { streamId: 's2' }),
          entry('b2', { streamId: 's2' }),
          entry('b3', { streamId: 's2' }),
          entry('b4', {
            streamId: 's2',
            eventType: STREAM_UPDATED,
            control: true,
          }),
          entry('z1', { streamId: 's3' }),
          entry('w1', { streamId: 's4' }),
        ],
        T0,
      );
      await outbox.claim(claimOptions({ streamId: 's1' }));
      await outbox.claim(claimOptions({ streamId: 's2' }));

      // s1: errors at 1s, 3s and 5s; the newest is a2's.
      await outbox.markRetry('a1', 'a1: timeout', at(1000), at(60_000));
      await outbox.markRetry('a3', 'a3: HTTP 502', at(3000), at(3500));
      await outbox.markDelivered(['a3'], at(4000));
      await outbox.markDead(['a2'], 'a2: HTTP 400', at(5000));
      await outbox.markDelivered(['a4'], at(2000));
      await outbox.markDelivered(['a5'], at(6000));

      // s2: errors at 0.1s, 7s, 8s and 9s, all later than any of s1's, so
      // a newest-of-all instead of newest-per-stream would give s1 none.
      // The newest (b1's) is on a SET stored before b3, whose error is older.
      await outbox.dropHeldOlderThan(['s2'], T0, at(100));
      await outbox.markDead(['b2'], 'b2: HTTP 401', at(7000));
      await outbox.markRetry('b3', 'b3: HTTP 503', at(8000), at(60_000));
      await outbox.markRetry('b1', 'b1: HTTP 429', at(9000), at(60_000));

      // s4 is not asked for; its error is the newest of all.
      await outbox.markDead(['w1'], 'w1: not asked for', at(20_000));

      const stats = await outbox.stats(['s1', 's2', 's3', 'unknown']);
      expect([...stats.keys()]).toEqual(['s1', 's2', 's3', 'unknown']);
      expect(stats.get('s1')).toEqual({
        pending: 1,
        delivered: 3,
        dead: 1,
        dropped: 0,
        lastError: { message: 'a2: HTTP 400', at: at(5000) },
        lastDeliveredAt: at(6000),
      });
      expect(stats.get('s2')).toEqual({
        pending: 3,
        delivered: 0,
        dead: 1,
        dropped: 1,
        lastError: { message: 'b1: HTTP 429', at: at(9000) },
      });
      expect(stats.get('s3')).toEqual({
        pending: 1,
        delivered: 0,
        dead: 0,
        dropped: 0,
      });
      expect(stats.get('unknown')).toEqual({
        pending: 0,
        delivered: 0,
        dead: 0,
        dropped: 0,
      });
      expect((await outbox.stats([])).size).toBe(0);
      await knex.destroy();
    },
  );
});
