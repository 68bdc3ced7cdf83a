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
import { SnapshotStore } from './SnapshotStore';

jest.setTimeout(60_000);

const T0 = new Date('2026-11-01T10:00:00.123Z');
const T1 = new Date('2026-11-02T10:00:00.456Z');

const ANN = {
  identity: 'user:default/ann',
  source: 'catalog',
  hash: 'a'.repeat(64),
  attributes: {
    'spec.profile.email': 'ann@example.com',
    'metadata.annotations["ssf.io/lifecycle"]': 'active',
    'metadata.labels["ünïcode ✓"]': 'ß "quoted" \\ back',
    'spec.profile.displayName': '',
  },
};

/** A SnapshotStore on `knex`, and its calls each in a transaction of its own. */
function snapshotStore(knex: Knex) {
  const store = new SnapshotStore(knex);
  const alone = {
    put: (snapshot: Parameters<SnapshotStore['put']>[0], at: Date) =>
      knex.transaction(tx => store.put(snapshot, at, tx)),
    delete: (identity: string) =>
      knex.transaction(tx => store.delete(identity, tx)),
    getForUpdate: (identity: string) =>
      knex.transaction(tx => store.getForUpdate(identity, tx)),
  };
  return { store, alone };
}

describe('SnapshotStore', () => {
  const itWithStore = storeTests(snapshotStore);

  itWithStore(
    'puts, reads, replaces and deletes snapshots',
    async ({ store, alone }, knex) => {
      expect(await store.count()).toBe(0);
      expect(await store.hashes('catalog')).toEqual(new Map());

      await knex.transaction(async tx => {
        await store.put(ANN, T0, tx);
        // Visible to the transaction that wrote it.
        expect(await store.getForUpdate(ANN.identity, tx)).toEqual({
          ...ANN,
          updatedAt: T0,
        });
      });
      expect(await alone.getForUpdate(ANN.identity)).toEqual({
        ...ANN,
        updatedAt: T0,
      });
      expect(await alone.getForUpdate('user:default/nobody')).toBe(undefined);
      const bob = {
        identity: 'subject:email:bob@example.com',
        source: 'hr-feed',
        hash: 'b'.repeat(64),
        attributes: { email: 'bob@example.com' },
      };
      await alone.put(bob, T0);
      expect(await store.hashes('catalog')).toEqual(
        new Map([[ANN.identity, ANN.hash]]),
      );
      expect(await store.hashes('hr-feed')).toEqual(
        new Map([[bob.identity, bob.hash]]),
      );
      expect(await store.count()).toBe(2);
      expect(await store.count('catalog')).toBe(1);
      expect(await store.count('elsewhere')).toBe(0);

      // One row an identity: a put replaces every column, source included.
      const annLater = {
        ...ANN,
        source: 'hr-feed',
        hash: 'c'.repeat(64),
        attributes: { 'spec.profile.email': 'ann@example.org' },
      };
      await alone.put(annLater, T1);
      expect(await alone.getForUpdate(ANN.identity)).toEqual({
        ...annLater,
        updatedAt: T1,
      });
      expect(await store.count()).toBe(2);
      expect(await store.hashes('catalog')).toEqual(new Map());
      expect(await store.hashes('hr-feed')).toEqual(
        new Map([
          [ANN.identity, annLater.hash],
          [bob.identity, bob.hash],
        ]),
      );

      await alone.delete(ANN.identity);
      await alone.delete('user:default/nobody');
      expect(await store.count()).toBe(1);
      expect(await alone.getForUpdate(ANN.identity)).toBeUndefined();
    },
  );

  itWithStore(
    'keeps nothing of a failed transaction',
    async ({ store, alone }, knex) => {
      await alone.put(ANN, T0);

      await expect(
        knex.transaction(async tx => {
          await store.put({ ...ANN, hash: 'd'.repeat(64) }, T1, tx);
          await store.put(
            { ...ANN, identity: 'user:default/new', hash: 'e'.repeat(64) },
            T1,
            tx,
          );
          await store.delete(ANN.identity, tx);
          throw new Error('emit failed');
        }),
      ).rejects.toThrow('emit failed');

      expect(await store.hashes('catalog')).toEqual(
        new Map([[ANN.identity, ANN.hash]]),
      );
    },
  );

  itWithStore(
    'records a first run in chunks, all or nothing',
    async ({ store, alone }) => {
      await alone.put(
        { ...ANN, identity: 'user:default/u0', source: 'api' },
        T0,
      );

      // More than two chunks of 500, overlapping one stored identity.
      const many = Array.from({ length: 1201 }, (_, i) => ({
        identity: `user:default/u${i}`,
        hash: i.toString(16).padStart(64, '0'),
        attributes: { 'spec.profile.email': `u${i}@example.com` },
      }));
      await store.putMany('catalog', many, T1);
      expect(await store.count('catalog')).toBe(1201);
      expect(await store.count('api')).toBe(0);
      expect(await store.hashes('catalog')).toEqual(
        new Map(many.map(s => [s.identity, s.hash])),
      );
      for (const i of [1200, 0]) {
        expect(await alone.getForUpdate(`user:default/u${i}`)).toEqual({
          ...many[i],
          source: 'catalog',
          updatedAt: T1,
        });
      }

      await store.putMany('catalog', [], T1);
      expect(await store.count()).toBe(1201);

      // A row the database refuses in the third chunk undoes the first two.
      const fresh = Array.from({ length: 1100 }, (_, i) => ({
        identity: `user:default/fresh${i}`,
        hash: 'f'.repeat(64),
        attributes: {},
      }));
      fresh[1050] = { ...fresh[1050], hash: null as unknown as string };
      await expect(store.putMany('catalog', fresh, T1)).rejects.toThrow();
      expect(await store.count()).toBe(1201);
    },
  );

  itWithStore(
    'makes a second reader of an identity wait for the first writer',
    async ({ store, alone }, knex) => {
      await alone.put(ANN, T0);

      const first = await knex.transaction();
      expect((await store.getForUpdate(ANN.identity, first))?.hash).toBe(
        ANN.hash,
      );
      // The second processor of the same identity: on PostgreSQL its FOR
      // UPDATE waits for the first transaction's lock; SQLite has one writer.
      const second = alone.getForUpdate(ANN.identity);
      await untilBlockedOnLock(knex);
      await store.put({ ...ANN, hash: 'f'.repeat(64) }, T1, first);
      await first.commit();

      // It diffs against what the first one wrote, not against the state
      // both started from.
      expect(await second).toEqual({
        ...ANN,
        hash: 'f'.repeat(64),
        updatedAt: T1,
      });
    },
  );
});
