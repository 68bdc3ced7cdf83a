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

import { Knex } from 'knex';
import {
  createTestDatabases,
  itOnEachDatabaseWith,
} from '../../__testUtils__/databases';
import { SESSION_REVOKED, STREAM_UPDATED } from '../../__testUtils__/specUris';
import {
  insertStreams,
  RECORD_TIME,
  testStream,
} from '../__testUtils__/streamRecords';
import { NewOutboxEntry, OutboxEntry, OutboxStore } from './OutboxStore';

jest.setTimeout(60_000);

// Every time is fixed; the store takes `now` as an argument, so nothing here
// depends on the wall clock.
const T0 = RECORD_TIME;
const at = (ms: number) => new Date(T0.getTime() + ms);

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

/** SETs of stream s1, one for each jti. */
const entries = (...jtis: string[]) => jtis.map(jti => entry(jti));

/** A stream-updated SET, delivered whatever the stream's status. */
const controlEntry = (jti: string, overrides: Partial<NewOutboxEntry> = {}) =>
  entry(jti, { eventType: STREAM_UPDATED, control: true, ...overrides });

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

/**
 * An outbox on a database holding streams s1…s4 (s4 paused), with
 * shorthands for claiming with `claimOptions` and reading stored fields.
 */
async function outboxOnStreams(knex: Knex) {
  await insertStreams(knex, [
    testStream('s1'),
    testStream('s2'),
    testStream('s3'),
    testStream('s4', { status: 'paused' }),
  ]);
  const outbox = new OutboxStore(knex);
  const claim = (overrides?: Partial<ClaimOptions>) =>
    outbox.claim(claimOptions(overrides));
  return {
    knex,
    outbox,
    claim,
    claimJtis: async (overrides?: Partial<ClaimOptions>) =>
      jtisOf(await claim(overrides)),
    /** The jti and attempt count of each SET claimed. */
    claimAttempts: async (overrides?: Partial<ClaimOptions>) =>
      (await claim(overrides)).map(({ jti, attempts }) => ({ jti, attempts })),
    /**
     * Asserts one stored field of each SET named in `expected`, e.g.
     * `expectStored('state', { a1: 'dead' })`; undefined for a SET not stored.
     */
    async expectStored(
      field: keyof OutboxEntry,
      expected: Record<string, unknown>,
    ) {
      const actual: Record<string, unknown> = {};
      for (const jti of Object.keys(expected)) {
        actual[jti] = (await outbox.get(jti))?.[field];
      }
      expect(actual).toEqual(expected);
    },
  };
}

describe('OutboxStore', () => {
  const databases = createTestDatabases();

  /** A test of the outbox on streams s1…s4, once on each database. */
  const itWithStore = itOnEachDatabaseWith(databases, outboxOnStreams);

  itWithStore('inserts SETs and reads them back', async ({ knex, outbox }) => {
    await outbox.insert(
      [entry('e1'), controlEntry('e2', { streamId: 's2' })],
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
  });

  itWithStore(
    'claims only due SETs of the stream, oldest first, up to the limit',
    async ({ outbox, claim, claimJtis, expectStored }) => {
      await outbox.insert([entry('r1')], T0);
      await outbox.insert([entry('r2')], at(1000));
      await outbox.insert([entry('r3')], at(2000));
      await outbox.insert([entry('r4')], at(3000));
      // Inserted "later": not due before at(20_000).
      await outbox.insert([entry('r5')], at(20_000));
      await outbox.insert([entry('other', { streamId: 's2' })], T0);

      const first = await claim({
        now: at(10_000),
        leaseUntil: at(40_000),
        limit: 2,
      });
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
      expect(await claimJtis({ owner: 'replica-b', now: at(10_000) })).toEqual([
        'r3',
        'r4',
      ]);

      // Nothing left that is due now; r5 becomes due at its time.
      expect(await claim({ owner: 'replica-c', now: at(10_000) })).toEqual([]);
      expect(await claimJtis({ owner: 'replica-c', now: at(20_000) })).toEqual([
        'r5',
      ]);

      // The other stream's SET was not touched.
      await expectStored('attempts', { other: 0 });
      expect(await claimJtis({ streamId: 's2' })).toEqual(['other']);
    },
  );

  itWithStore(
    'breaks ties in creation time by jti when choosing what to claim',
    async ({ outbox, claim }) => {
      await outbox.insert(entries('c', 'a', 'b'), T0);
      expect(sortedJtisOf(await claim({ limit: 2 }))).toEqual(['a', 'b']);
    },
  );

  itWithStore(
    'claims only control SETs for a stream that is not enabled',
    async ({ outbox, claim, claimJtis, expectStored }) => {
      // s4 is paused; callers pass controlOnly = status !== 'enabled'
      // (DeliveryWorker, PollService).
      await outbox.insert(
        [
          entry('n1', { streamId: 's4' }),
          controlEntry('k1', { streamId: 's4' }),
        ],
        T0,
      );
      expect(await outbox.hasDue('s4', T0, true)).toBe(true);
      expect(await claimJtis({ streamId: 's4', controlOnly: true })).toEqual([
        'k1',
      ]);
      // Only the held ordinary SET is left, and it is not due while paused.
      expect(await outbox.hasDue('s4', T0, true)).toBe(false);
      expect(
        await claim({ streamId: 's4', owner: 'replica-b', controlOnly: true }),
      ).toEqual([]);
      await expectStored('attempts', { n1: 0 });

      // Once the stream is enabled again the held SET is due.
      expect(await outbox.hasDue('s4', T0, false)).toBe(true);
      expect(await claimJtis({ streamId: 's4', owner: 'replica-b' })).toEqual([
        'n1',
      ]);
    },
  );

  itWithStore(
    'does not hand a leased SET to another owner until the lease runs out',
    async ({ outbox, claim, claimAttempts, expectStored }) => {
      await outbox.insert([entry('r1')], T0);

      expect(
        await claimAttempts({
          owner: 'replica-a',
          now: T0,
          leaseUntil: at(30_000),
        }),
      ).toEqual([{ jti: 'r1', attempts: 1 }]);
      await expectStored('attempts', { r1: 1 });

      expect(await claim({ owner: 'replica-b', now: at(29_999) })).toEqual([]);
      expect(await outbox.hasDue('s1', at(29_999), false)).toBe(false);

      // The lease ran out (the worker died, say): another owner takes it,
      // and the attempt is counted again.
      expect(await outbox.hasDue('s1', at(30_001), false)).toBe(true);
      expect(
        await claim({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(60_001),
        }),
      ).toEqual([
        expect.objectContaining({
          jti: 'r1',
          attempts: 2,
          leaseUntil: at(60_001),
        }),
      ]);
      await expectStored('attempts', { r1: 2 });

      // Now replica-b holds it, the first owner included.
      expect(await claim({ owner: 'replica-a', now: at(31_000) })).toEqual([]);
    },
  );

  itWithStore(
    'leases without counting an attempt for poll claims',
    async ({ outbox, claim, claimAttempts, expectStored }) => {
      await outbox.insert([entry('p1')], T0);
      expect(await claimAttempts({ countAttempt: false })).toEqual([
        { jti: 'p1', attempts: 0 },
      ]);
      await expectStored('attempts', { p1: 0 });
      // The lease is taken all the same.
      expect(await claim({ owner: 'replica-b', now: at(1000) })).toEqual([]);
    },
  );

  itWithStore(
    'never gives one SET to two concurrent claimers',
    async ({ outbox, claim, claimJtis }) => {
      const jtis = Array.from(
        { length: 40 },
        (_, i) => `c${String(i).padStart(2, '0')}`,
      );
      await outbox.insert(entries(...jtis), T0);
      const owners = ['r-1', 'r-2', 'r-3', 'r-4', 'r-5'];
      const results = await Promise.all(
        owners.map(owner => claim({ owner, limit: 6 })),
      );
      const claimed = results.flatMap(jtisOf);
      expect(new Set(claimed).size).toBe(claimed.length);
      for (const set of results.flat()) {
        expect(set.attempts).toBe(1);
      }
      // Nothing was lost: what no one claimed is still there to claim.
      const rest = await claimJtis({ owner: 'r-6', limit: 100 });
      expect([...claimed, ...rest].sort()).toEqual(jtis);
    },
  );

  itWithStore(
    'honours a hand-over lease stored with the SET',
    async ({ outbox, claimJtis, claimAttempts, expectStored }) => {
      const lease = { owner: 'replica-a', until: at(30_000) };
      await outbox.insert(
        [entry('h1', { lease }), entry('h2', { lease }), entry('free')],
        T0,
      );
      // The hand-over counts as the first attempt.
      await expectStored('attempts', { h1: 1, free: 0 });

      expect(
        await claimJtis({
          owner: 'replica-b',
          now: at(10_000),
          leaseUntil: at(100_000),
        }),
      ).toEqual(['free']);
      expect(await outbox.hasDue('s1', at(10_000), false)).toBe(false);

      // After `until`, anyone may claim them: another replica…
      expect(
        await claimAttempts({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(60_001),
          limit: 1,
        }),
      ).toEqual([{ jti: 'h1', attempts: 2 }]);
      // …or the replica that was handed them.
      expect(
        await claimAttempts({ owner: 'replica-a', now: at(30_001) }),
      ).toEqual([{ jti: 'h2', attempts: 2 }]);
    },
  );

  itWithStore(
    'releases only the SETs the owner still holds',
    async ({ outbox, claim, claimJtis, claimAttempts, expectStored }) => {
      await outbox.insert(entries('r1', 'r2', 'r3', 'r4'), T0);
      await claim({ owner: 'replica-a', leaseUntil: at(30_000) });

      await outbox.release([], 'replica-a');
      // Someone else's release changes nothing.
      await outbox.release(['r1', 'r2'], 'replica-b');
      expect(await claim({ owner: 'replica-c', now: at(1000) })).toEqual([]);

      // The owner gives r1 back: claimable at once, its attempt undone.
      await outbox.release(['r1'], 'replica-a');
      await expectStored('attempts', { r1: 0 });
      expect(
        await claimAttempts({
          owner: 'replica-c',
          now: at(1000),
          leaseUntil: at(100_000),
        }),
      ).toEqual([{ jti: 'r1', attempts: 1 }]);

      // r2's lease ran out and replica-b took it; replica-a releasing it
      // late must not undo replica-b's claim. r3 is still replica-a's.
      expect(
        await claimJtis({
          owner: 'replica-b',
          now: at(30_001),
          leaseUntil: at(90_000),
          limit: 1,
        }),
      ).toEqual(['r2']);
      await expectStored('attempts', { r2: 2 });

      // r4 was delivered meanwhile: releasing it does not bring it back.
      await outbox.markDelivered(['r4'], at(30_002));
      await outbox.release(['r2', 'r3', 'r4'], 'replica-a');
      await expectStored('attempts', { r2: 2, r3: 0 });
      expect(await outbox.get('r4')).toMatchObject({
        state: 'delivered',
        attempts: 1,
      });

      expect(
        await claimAttempts({ owner: 'replica-d', now: at(30_003) }),
      ).toEqual([{ jti: 'r3', attempts: 1 }]);
    },
  );

  itWithStore(
    'marks SETs delivered once, optionally only within one stream',
    async ({ knex, outbox, claim, expectStored }) => {
      await outbox.insert(
        [...entries('d1', 'd2'), entry('d3', { streamId: 's2' }), entry('d4')],
        T0,
      );
      await outbox.markDead(['d4'], 'gave up', at(500));
      await claim();

      expect(await outbox.markDelivered([], at(1000))).toBe(0);
      // Scoped to s1: the s2 SET named by mistake is left alone.
      expect(await outbox.markDelivered(['d1', 'd3'], at(1000), 's1')).toBe(1);
      expect(await outbox.get('d1')).toMatchObject({
        state: 'delivered',
        deliveredAt: at(1000),
      });
      await expectStored('state', { d3: 'pending' });

      // Only pending SETs: d4 stays dead, d1 keeps its first delivery time.
      expect(
        await outbox.markDelivered(['d1', 'd2', 'd3', 'd4'], at(2000)),
      ).toBe(2);
      await expectStored('deliveredAt', { d1: at(1000), d2: at(2000) });
      await expectStored('state', { d3: 'delivered', d4: 'dead' });

      // Delivered SETs are never claimed again, lease or no lease.
      expect(await claim({ now: at(60_000) })).toEqual([]);

      // Within a transaction that rolls back, nothing changes.
      await outbox.insert([entry('d5')], T0);
      await expect(
        knex.transaction(async tx => {
          await outbox.markDelivered(['d5'], at(3000), undefined, tx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expectStored('state', { d5: 'pending' });
    },
  );

  itWithStore(
    'retries a SET no earlier than its next attempt time',
    async ({ outbox, claim, claimAttempts, expectStored }) => {
      await outbox.insert(entries('r1', 'done'), T0);
      await claim({ owner: 'replica-a', leaseUntil: at(60_000) });
      await outbox.markRetry('r1', 'HTTP 503', at(1000), at(10_000));

      expect(await outbox.get('r1')).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastError: 'HTTP 503',
        lastErrorAt: at(1000),
        nextAttemptAt: at(10_000),
      });
      expect(await outbox.hasDue('s1', at(9_999), false)).toBe(false);
      expect(await claim({ owner: 'replica-b', now: at(9_999) })).toEqual([]);

      // Due at its time, although replica-a's claim would have run longer:
      // the retry gave up the lease.
      expect(await outbox.hasDue('s1', at(10_000), false)).toBe(true);
      expect(
        await claimAttempts({ owner: 'replica-b', now: at(10_000) }),
      ).toEqual([{ jti: 'r1', attempts: 2 }]);

      // A finished SET is not retried.
      await outbox.markDelivered(['done'], at(1000));
      await outbox.markRetry('done', 'late failure', at(2000), at(3000));
      await expectStored('state', { done: 'delivered' });
      await expectStored('lastError', { done: undefined });
    },
  );

  itWithStore(
    'marks SETs dead and keeps the error',
    async ({ outbox, claim, expectStored }) => {
      await outbox.insert(
        [
          ...entries('x1', 'x2', 'x3'),
          entry('y1', { streamId: 's2' }),
          entry('ok'),
        ],
        T0,
      );
      await outbox.markDelivered(['ok'], at(500));
      await claim();

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
      await expectStored('lastError', {
        x2: 'rejected x2',
        x3: 'rejected x3',
        ok: undefined,
      });
      await expectStored('state', { y1: 'pending', ok: 'delivered' });

      // Dead SETs are not claimed.
      expect(await claim({ now: at(60_000) })).toEqual([]);
    },
  );

  itWithStore(
    "drops a disabled stream's pending SETs except control ones",
    async ({ outbox, expectStored }) => {
      await outbox.insert(
        [
          ...entries('p1', 'p2'),
          controlEntry('c1'),
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
      await expectStored('state', {
        c1: 'pending',
        d1: 'delivered',
        q1: 'pending',
      });
      expect(await outbox.dropPending('s1', 'again', at(2000))).toBe(0);
    },
  );

  /** Asserts that each SET was dropped at `when` with a message containing `why`. */
  async function expectDropped(
    outbox: OutboxStore,
    jtis: string[],
    why: string,
    when: Date,
  ) {
    for (const jti of jtis) {
      expect(await outbox.get(jti)).toMatchObject({
        state: 'dropped',
        lastError: expect.stringContaining(why),
        lastErrorAt: when,
      });
    }
  }

  itWithStore(
    'keeps only the newest SETs of a paused stream up to the hold limit',
    async ({ outbox, expectStored }) => {
      await outbox.insert([controlEntry('c1', { streamId: 's4' })], at(-1000));
      for (let i = 1; i <= 5; i++) {
        await outbox.insert([entry(`h${i}`, { streamId: 's4' })], at(i * 1000));
      }
      await outbox.insert([entry('other', { streamId: 's2' })], T0);

      expect(await outbox.enforceHoldLimit('s4', 2, at(10_000))).toBe(3);
      await expectDropped(
        outbox,
        ['h1', 'h2', 'h3'],
        'more than 2 SETs',
        at(10_000),
      );
      // Control SETs do not count against the limit and are never dropped.
      await expectStored('state', {
        h4: 'pending',
        h5: 'pending',
        c1: 'pending',
        other: 'pending',
      });
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
      await expectStored('state', {
        't-a': 'dropped',
        't-b': 'pending',
        't-c': 'pending',
      });

      // A limit of zero holds nothing.
      expect(await outbox.enforceHoldLimit('s3', 0, at(10_000))).toBe(2);
    },
  );

  itWithStore(
    'drops SETs held longer than allowed by the given streams',
    async ({ outbox, expectStored }) => {
      await outbox.insert(
        [
          entry('o1', { streamId: 's4' }),
          controlEntry('oc', { streamId: 's4' }),
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
      await expectDropped(
        outbox,
        ['o1', 'o3'],
        'longer than allowed',
        at(20_000),
      );
      // Not older than the cutoff, a control SET, a stream not listed.
      await expectStored('state', {
        edge: 'pending',
        o2: 'pending',
        oc: 'pending',
        o4: 'pending',
      });
    },
  );

  itWithStore(
    'sends dead SETs again, one or all of a stream',
    async ({ outbox, claim, expectStored }) => {
      await outbox.insert(
        [...entries('x1', 'x2', 'x3'), entry('y1', { streamId: 's2' })],
        T0,
      );
      await claim();
      await claim({ streamId: 's2' });
      await outbox.markDead(['x1', 'x2', 'y1'], 'HTTP 400', at(1000));
      await outbox.markDelivered(['x3'], at(1000));

      expect(await outbox.redeliver('s1', 'x1', at(5000))).toBe(1);
      expect(await outbox.get('x1')).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at(5000),
      });
      await expectStored('state', { x2: 'dead' });
      // A jti of another stream is not redelivered through this one.
      expect(await outbox.redeliver('s1', 'y1', at(5000))).toBe(0);
      await expectStored('state', { y1: 'dead' });

      expect(await outbox.redeliver('s1', undefined, at(6000))).toBe(1);
      expect(await outbox.get('x2')).toMatchObject({
        state: 'pending',
        attempts: 0,
        nextAttemptAt: at(6000),
      });
      await expectStored('state', { x3: 'delivered', y1: 'dead' });

      // Redelivered SETs are due again (x1's old lease no longer holds).
      expect(
        sortedJtisOf(await claim({ owner: 'replica-b', now: at(6000) })),
      ).toEqual(['x1', 'x2']);
    },
  );

  itWithStore(
    'deletes finished SETs older than the cutoff',
    async ({ outbox, expectStored }) => {
      await outbox.insert(
        entries('old-delivered', 'old-dropped', 'old-dead', 'old-pending'),
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
      await expectStored('state', {
        'old-dropped': 'dropped',
        'old-pending': 'pending',
      });

      expect(await outbox.deleteFinishedBefore(at(5000))).toBe(3);
      for (const jti of ['old-delivered', 'old-dropped', 'old-dead']) {
        expect(await outbox.get(jti)).toBeUndefined();
      }
      await expectStored('state', {
        'old-pending': 'pending',
        'new-delivered': 'delivered',
      });
    },
  );

  itWithStore('tells whether a stream has due SETs', async ({ outbox }) => {
    expect(await outbox.hasDue('s1', T0, false)).toBe(false);
    await outbox.insert([entry('later')], at(5000));
    await outbox.insert([entry('elsewhere', { streamId: 's2' })], T0);
    expect(await outbox.hasDue('s1', T0, false)).toBe(false);
    expect(await outbox.hasDue('s1', at(5000), false)).toBe(true);
    expect(await outbox.hasDue('s1', at(5000), true)).toBe(false);
    await outbox.markDelivered(['later'], at(6000));
    expect(await outbox.hasDue('s1', at(7000), false)).toBe(false);
    expect(await outbox.hasDue('s2', at(7000), false)).toBe(true);
  });

  itWithStore(
    'gets many SETs by jti, beyond one batch of 500',
    async ({ outbox }) => {
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
    },
  );

  itWithStore(
    "lists a stream's SETs newest first, by page and state",
    async ({ outbox }) => {
      for (let i = 1; i <= 5; i++) {
        await outbox.insert([entry(`l${i}`)], at(i * 1000));
      }
      // Two stored at once: the higher jti counts as newer.
      await outbox.insert(entries('l6a', 'l6b'), at(6000));
      await outbox.insert([entry('elsewhere', { streamId: 's2' })], at(9000));
      await outbox.markDead(['l3'], 'HTTP 400', at(7000));
      await outbox.markDead(['l5'], 'HTTP 400', at(7000));
      const list = (
        page: Omit<Parameters<OutboxStore['list']>[0], 'streamId'>,
      ) => outbox.list({ streamId: 's1', ...page });

      const page1 = await list({ limit: 3, offset: 0 });
      expect(page1.total).toBe(7);
      expect(jtisOf(page1.items)).toEqual(['l6b', 'l6a', 'l5']);
      const page2 = await list({ limit: 3, offset: 3 });
      expect(jtisOf(page2.items)).toEqual(['l4', 'l3', 'l2']);
      expect(await list({ limit: 3, offset: 6 })).toEqual({
        total: 7,
        items: [await outbox.get('l1')],
      });

      const dead = await list({ state: 'dead', limit: 10, offset: 0 });
      expect(dead.total).toBe(2);
      expect(jtisOf(dead.items)).toEqual(['l5', 'l3']);
      expect(dead.items[0]).toMatchObject({
        state: 'dead',
        lastError: 'HTTP 400',
        lastErrorAt: at(7000),
      });

      expect(await list({ state: 'delivered', limit: 10, offset: 0 })).toEqual({
        total: 0,
        items: [],
      });
    },
  );

  itWithStore(
    'breaks a tie between errors of one batch by the highest jti',
    async ({ outbox }) => {
      // Inserted out of jti order, so neither insertion nor row order can
      // stand in for the tie-break.
      await outbox.insert(entries('m3', 'm1', 'm2'), T0);
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
    },
  );

  itWithStore(
    "counts each stream's SETs by state with its newest error",
    async ({ outbox, claim }) => {
      await outbox.insert([entry('b5', { streamId: 's2' })], at(-1000));
      await outbox.insert(
        [
          ...entries('a1', 'a2', 'a3', 'a4', 'a5'),
          ...['b1', 'b2', 'b3'].map(jti => entry(jti, { streamId: 's2' })),
          controlEntry('b4', { streamId: 's2' }),
          entry('z1', { streamId: 's3' }),
          entry('w1', { streamId: 's4' }),
        ],
        T0,
      );
      await claim({ streamId: 's1' });
      await claim({ streamId: 's2' });

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
      const none = { pending: 0, delivered: 0, dead: 0, dropped: 0 };
      expect(Object.fromEntries(stats)).toEqual({
        s1: {
          ...none,
          pending: 1,
          delivered: 3,
          dead: 1,
          lastError: { message: 'a2: HTTP 400', at: at(5000) },
          lastDeliveredAt: at(6000),
        },
        s2: {
          ...none,
          pending: 3,
          dead: 1,
          dropped: 1,
          lastError: { message: 'b1: HTTP 429', at: at(9000) },
        },
        s3: { ...none, pending: 1 },
        unknown: none,
      });
      expect([...stats.keys()]).toEqual(['s1', 's2', 's3', 'unknown']);
      expect((await outbox.stats([])).size).toBe(0);
    },
  );
});
