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
import { storeTests, untilBlockedOnLock } from '../../__testUtils__/databases';
import { SESSION_REVOKED } from '../../__testUtils__/specUris';
import { HookStore } from '../hooks/HookStore';
import { FiringStore, HookFiring, ProcessedChange } from './FiringStore';

jest.setTimeout(60_000);

const T0 = new Date('2026-11-01T10:00:00.000Z');
const T1 = new Date('2026-11-02T10:00:00.000Z');
const T2 = new Date('2026-11-03T10:00:00.000Z');

function change(overrides: Partial<ProcessedChange> = {}): ProcessedChange {
  return {
    key: 'a'.repeat(64),
    identity: 'user:default/ann',
    source: 'catalog',
    changes: [
      {
        kind: 'attribute_changed',
        path: 'metadata.annotations["ssf.io/lifecycle"]',
        from: 'active',
        to: 'terminated',
      },
    ],
    events: 1,
    observedAt: T0,
    ...overrides,
  };
}

function firing(
  overrides: Partial<Omit<HookFiring, 'id'>> = {},
): Omit<HookFiring, 'id'> {
  return {
    hookName: 'terminate',
    identity: 'user:default/ann',
    subject: { format: 'email', email: 'ann@example.com' },
    change: {
      kind: 'attribute_changed',
      path: 'metadata.annotations["ssf.io/lifecycle"]',
      from: 'active',
      to: 'terminated',
    },
    eventType: SESSION_REVOKED,
    txn: 'txn-1',
    sets: [
      { streamId: 'stream-1', jti: 'jti-1' },
      { streamId: 'stream-2', jti: 'jti-2' },
    ],
    source: 'catalog',
    observedAt: T0,
    firedAt: T0,
    ...overrides,
  };
}

/** Hooks stored under `names`, one after the other, and their store. */
async function storedHooks(knex: Knex, ...names: string[]) {
  const hooks = new HookStore(knex);
  const stored = [];
  for (const name of names) {
    stored.push(
      await hooks.create({
        name,
        enabled: true,
        trigger: { on: 'user_removed' },
        eventType: SESSION_REVOKED,
        payloadTemplate: {},
        subjectFormat: 'email',
      }),
    );
  }
  return { hooks, stored };
}

/** A FiringStore on `knex`, and its writes each in a transaction of its own. */
function firingStore(
  knex: Knex,
  options?: ConstructorParameters<typeof FiringStore>[1],
) {
  const store = new FiringStore(knex, options);
  const alone = {
    claim: (processed: ProcessedChange, at: Date) =>
      knex.transaction(tx => store.claim(processed, at, tx)),
    record: (key: string, firings: Array<Omit<HookFiring, 'id'>>) =>
      knex.transaction(tx => store.record(key, firings, tx)),
  };
  return { store, alone };
}

describe('FiringStore', () => {
  const itWithStore = storeTests(firingStore);

  itWithStore('claims each change once', async ({ store, alone }, knex) => {
    await knex.transaction(async tx => {
      expect(await store.claim(change(), T0, tx)).toBe(true);
      expect(await store.claim(change(), T0, tx)).toBe(false);
    });
    // Later, from another source and with other content: the key decides.
    expect(
      await alone.claim(change({ source: 'hr-feed', events: 5 }), T1),
    ).toBe(false);
    expect(await alone.claim(change({ key: 'b'.repeat(64) }), T1)).toBe(true);

    // A claim whose transaction fails leaves nothing: the change is
    // processed again next time.
    await expect(
      knex.transaction(async tx => {
        expect(await store.claim(change({ key: 'c'.repeat(64) }), T1, tx)).toBe(
          true,
        );
        throw new Error('emit failed');
      }),
    ).rejects.toThrow('emit failed');
    expect(await alone.claim(change({ key: 'c'.repeat(64) }), T1)).toBe(true);
  });

  itWithStore(
    'lets only one of two racing transactions claim a change',
    async ({ store, alone }, knex) => {
      const first = await knex.transaction();
      expect(await store.claim(change(), T0, first)).toBe(true);
      // On PostgreSQL the second insert waits on the first's uncommitted key,
      // then does nothing; SQLite serialises the two transactions.
      const second = alone.claim(change(), T0);
      await untilBlockedOnLock(knex);
      await first.commit();
      expect(await second).toBe(false);
    },
  );

  itWithStore('records firings and reads every field back', async (_, knex) => {
    const {
      stored: [a, b],
    } = await storedHooks(knex, 'a', 'b');
    // A store of its own, that tells what it recorded.
    const onFired = jest.fn();
    const { store, alone } = firingStore(knex, { onFired });

    const recorded = [
      firing({ hookId: a.id, hookName: 'a' }),
      firing({
        hookId: a.id,
        hookName: 'a',
        identity: 'subject:iss_sub:https://idp.example.com|ann',
        subject: {
          format: 'iss_sub',
          iss: 'https://idp.example.com',
          sub: 'ann',
        },
        change: { kind: 'user_removed' },
        txn: 'txn-2',
        sets: [],
        source: 'hr-feed',
        observedAt: T1,
        firedAt: T2,
      }),
      firing({ hookId: b.id, hookName: 'b', txn: 'txn-3' }),
      // A hook that is not stored (a dry run's or an extension's).
      firing({ hookName: 'unsaved', txn: 'txn-4' }),
    ];
    let recordTx: Knex.Transaction | undefined;
    await knex.transaction(async tx => {
      recordTx = tx;
      await store.claim(change(), T0, tx);
      await store.record(change().key, recorded, tx);
    });

    const listed = await store.list({ limit: 10 });
    expect(listed).toEqual(
      [...recorded]
        .reverse()
        .map(f => ({ ...f, id: expect.stringMatching(/^\d+$/) })),
    );
    expect(listed[0]).not.toHaveProperty('hookId');
    expect(listed[3].observedAt).toEqual(T0);
    expect(listed[2].firedAt).toEqual(T2);

    // Told once, each stored hook once, inside the recording transaction.
    expect(onFired).toHaveBeenCalledTimes(1);
    expect(onFired.mock.calls[0][0]).toEqual([a.id, b.id]);
    expect(onFired.mock.calls[0][1]).toBe(recordTx);

    // Nothing to record: nothing stored, nobody told.
    onFired.mockClear();
    await alone.record('d'.repeat(64), []);
    expect(onFired).not.toHaveBeenCalled();
    await alone.record('d'.repeat(64), [firing({ hookName: 'unsaved' })]);
    expect(onFired).not.toHaveBeenCalled();
    expect(await store.list({ limit: 10 })).toHaveLength(5);
  });

  itWithStore(
    'keeps nothing of a transaction that fails after recording',
    async ({ store, alone }, knex) => {
      await expect(
        knex.transaction(async tx => {
          await store.claim(change(), T0, tx);
          await store.record(change().key, [firing()], tx);
          throw new Error('outbox write failed');
        }),
      ).rejects.toThrow('outbox write failed');
      expect(await store.list({ limit: 10 })).toEqual([]);
      expect(await alone.claim(change(), T0)).toBe(true);
    },
  );

  itWithStore(
    'lists newest first, by hook and identity, a page at a time',
    async ({ store, alone }, knex) => {
      const {
        stored: [a, b],
      } = await storedHooks(knex, 'a', 'b');
      const ann = 'user:default/ann';
      const bob = 'user:default/bob';
      await alone.record('e'.repeat(64), [
        firing({ hookId: a.id, identity: ann, txn: '1' }),
        firing({ hookId: b.id, identity: ann, txn: '2' }),
        firing({ hookId: a.id, identity: bob, txn: '3' }),
        firing({ hookId: a.id, identity: ann, txn: '4' }),
        firing({ hookId: b.id, identity: bob, txn: '5' }),
      ]);
      const txns = (page: HookFiring[]) => page.map(f => f.txn);

      const all = await store.list({ limit: 10 });
      expect(txns(all)).toEqual(['5', '4', '3', '2', '1']);
      // Ids grow with insertion order, which is what newest first means.
      const ids = all.map(f => Number(f.id));
      expect([...ids].sort((x, y) => y - x)).toEqual(ids);

      // Two at a time, each page after the last one's oldest, to an empty
      // one (or to more pages than five firings fill, which would be wrong).
      const pages: string[][] = [];
      let before: string | undefined;
      while (pages.length <= 5) {
        const page = await store.list({ limit: 2, before });
        if (page.length === 0) break;
        pages.push(txns(page));
        before = page[page.length - 1].id;
      }
      expect(pages).toEqual([['5', '4'], ['3', '2'], ['1']]);

      expect(txns(await store.list({ limit: 10, hookId: a.id }))).toEqual([
        '4',
        '3',
        '1',
      ]);
      expect(txns(await store.list({ limit: 10, identity: bob }))).toEqual([
        '5',
        '3',
      ]);
      expect(
        txns(await store.list({ limit: 10, hookId: a.id, identity: ann })),
      ).toEqual(['4', '1']);
      const aPage1 = await store.list({ limit: 1, hookId: a.id });
      expect(
        txns(
          await store.list({ limit: 10, hookId: a.id, before: aPage1[0].id }),
        ),
      ).toEqual(['3', '1']);
      expect(await store.list({ limit: 10, hookId: 'hook_missing' })).toEqual(
        [],
      );
    },
  );

  itWithStore(
    'keeps the firings of a deleted hook, without its id',
    async ({ store, alone }, knex) => {
      const {
        hooks,
        stored: [a],
      } = await storedHooks(knex, 'a');
      await alone.record('f'.repeat(64), [
        firing({ hookId: a.id, hookName: 'a' }),
      ]);

      await hooks.delete(a.id);
      const [kept] = await store.list({ limit: 10 });
      expect(kept).toMatchObject({ hookName: 'a', txn: 'txn-1' });
      expect(kept).not.toHaveProperty('hookId');
      expect(await store.list({ limit: 10, hookId: a.id })).toEqual([]);
    },
  );

  itWithStore(
    'forgets changes and firings strictly older than a time',
    async ({ store, alone }, knex) => {
      const oldKey = '1'.repeat(64);
      const newKey = '2'.repeat(64);
      await knex.transaction(async tx => {
        await store.claim(change({ key: oldKey }), T0, tx);
        await store.claim(change({ key: newKey }), T1, tx);
        await store.record(oldKey, [firing({ txn: 'old', firedAt: T0 })], tx);
        await store.record(newKey, [firing({ txn: 'new', firedAt: T1 })], tx);
      });

      // Nothing is older than the oldest.
      expect(await store.deleteBefore(T0)).toBe(0);
      // One firing and one change.
      expect(await store.deleteBefore(T1)).toBe(2);
      expect((await store.list({ limit: 10 })).map(f => f.txn)).toEqual([
        'new',
      ]);
      // The old change is forgotten (claimable again), the newer one is not.
      expect(await alone.claim(change({ key: oldKey }), T2)).toBe(true);
      expect(await alone.claim(change({ key: newKey }), T2)).toBe(false);

      expect(await store.deleteBefore(T2)).toBe(2);
      expect(await store.list({ limit: 10 })).toEqual([]);
    },
  );
});
