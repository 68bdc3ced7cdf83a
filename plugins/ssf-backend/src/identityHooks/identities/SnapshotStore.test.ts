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
  createTestDatabases,
  migratedDatabase,
  untilBlockedOnLock,
} from '../../__testUtils__/databases';
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

describe('SnapshotStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'puts, reads, replaces and deletes snapshots on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new SnapshotStore(knex);
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
      await knex.transaction(async tx => {
        expect(await store.getForUpdate(ANN.identity, tx)).toEqual({
          ...ANN,
          updatedAt: T0,
        });
        expect(await store.getForUpdate('user:default/nobody', tx)).toBe(
          undefined,
        );
      });
      const bob = {
        identity: 'subject:email:bob@example.com',
        source: 'hr-feed',
        hash: 'b'.repeat(64),
        attributes: { email: 'bob@example.com' },
      };
      await knex.transaction(tx => store.put(bob, T0, tx));
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
      await knex.transaction(tx => store.put(annLater, T1, tx));
      await knex.transaction(async tx => {
        expect(await store.getForUpdate(ANN.identity, tx)).toEqual({
          ...annLater,
          updatedAt: T1,
        });
      });
      expect(await store.count()).toBe(2);
      expect(await store.hashes('catalog')).toEqual(new Map());
      expect(await store.hashes('hr-feed')).toEqual(
        new Map([
          [ANN.identity, annLater.hash],
          [bob.identity, bob.hash],
        ]),
      );

      await knex.transaction(tx => store.delete(ANN.identity, tx));
      await knex.transaction(tx => store.delete('user:default/nobody', tx));
      expect(await store.count()).toBe(1);
      await knex.transaction(async tx => {
        expect(await store.getForUpdate(ANN.identity, tx)).toBeUndefined();
      });
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps nothing of a failed transaction on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new SnapshotStore(knex);
      await knex.transaction(tx => store.put(ANN, T0, tx));

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
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'records a first run in chunks, all or nothing, on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new SnapshotStore(knex);
      await knex.transaction(tx =>
        store.put(
          { ...ANN, identity: 'user:default/u0', source: 'api' },
          T0,
          tx,
        ),
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
      await knex.transaction(async tx => {
        expect(await store.getForUpdate('user:default/u1200', tx)).toEqual({
          ...many[1200],
          source: 'catalog',
          updatedAt: T1,
        });
        expect(await store.getForUpdate('user:default/u0', tx)).toEqual({
          ...many[0],
          source: 'catalog',
          updatedAt: T1,
        });
      });

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
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'makes a second reader of an identity wait for the first writer on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new SnapshotStore(knex);
      await knex.transaction(tx => store.put(ANN, T0, tx));

      const first = await knex.transaction();
      expect((await store.getForUpdate(ANN.identity, first))?.hash).toBe(
        ANN.hash,
      );
      // The second processor of the same identity: on PostgreSQL its FOR
      // UPDATE waits for the first transaction's lock; SQLite has one writer.
      const second = knex.transaction(tx =>
        store.getForUpdate(ANN.identity, tx),
      );
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
      await knex.destroy();
    },
  );
});
