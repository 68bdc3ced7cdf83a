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

import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { storeTests, untilBlockedOnLock } from '../../__testUtils__/databases';
import {
  lockForTransaction,
  TRANSACTION_LOCKS,
} from '../../database/transactionLock';
import { HookStore } from './HookStore';
import { HookDefinition } from './types';

jest.setTimeout(60_000);

const TABLE = 'ssf_lifecycle_hooks';

function definition(overrides: Partial<HookDefinition> = {}): HookDefinition {
  return {
    name: 'terminate',
    description: 'Revokes sessions of a terminated user',
    enabled: true,
    trigger: {
      on: 'attribute_changed',
      path: 'metadata.annotations["ssf.io/lifecycle"]',
      from: '.*',
      to: 'terminated',
    },
    eventType:
      'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
    payloadTemplate: {
      reason_admin: { en: 'Terminated: {{identity}}' },
      nested: [1, true, null, { 'ünïcode ✓': 'ß' }],
    },
    subjectFormat: 'email',
    ...overrides,
  };
}

/** A hook row as another writer would insert it, bypassing the store. */
function rawRow(name: string, source: 'api' | 'config') {
  const now = new Date('2026-11-01T10:00:00.000Z');
  const d = definition({ name });
  return {
    id: `hook_raw_${name}`,
    name,
    description: null,
    enabled: true,
    trigger_json: JSON.stringify(d.trigger),
    event_type: d.eventType,
    payload_template_json: JSON.stringify(d.payloadTemplate),
    subject_format: d.subjectFormat,
    source,
    created_at: now,
    updated_at: now,
  };
}

/** The settled value or the error of a promise, so it can be awaited late. */
function settle<T>(promise: Promise<T>): Promise<T | Error> {
  return promise.then(
    value => value,
    error => error as Error,
  );
}

/**
 * What `write` settles to when it starts while another writer's transaction
 * has inserted `row` but not committed it (after `first`, e.g. taking a
 * lock): on PostgreSQL it is started, seen blocked on that transaction, and
 * then the transaction commits; SQLite, with one connection, runs them in
 * turn.
 */
async function againstUncommitted<T>(
  knex: Knex,
  row: ReturnType<typeof rawRow>,
  write: () => Promise<T>,
  first?: (tx: Knex.Transaction) => Promise<unknown>,
): Promise<T | Error> {
  const other = await knex.transaction();
  await first?.(other);
  await other(TABLE).insert(row);
  const writing = settle(write());
  await untilBlockedOnLock(knex);
  await other.commit();
  return writing;
}

/** What installFromConfig reports: nothing added, changed or skipped but `counts`. */
function installReport(
  counts: Partial<Awaited<ReturnType<HookStore['installFromConfig']>>>,
) {
  return { added: 0, updated: 0, removed: 0, skipped: [], ...counts };
}

describe('HookStore', () => {
  const itWithStore = storeTests(knex => new HookStore(knex));

  itWithStore('creates and reads back every field', async store => {
    const full = definition();
    const created = await store.create(full);
    expect(created).toEqual({
      ...full,
      id: expect.stringMatching(/^hook_[0-9a-f-]{36}$/),
      source: 'api',
      createdAt: expect.any(Date),
      updatedAt: created.createdAt,
    });
    expect(await store.get(created.id)).toEqual(created);

    // No description, disabled, and the other trigger and subject kinds:
    // SQLite gives booleans back as 0 and 1, and null must not become "".
    const minimal = await store.create(
      definition({
        name: 'added',
        description: undefined,
        enabled: false,
        trigger: { on: 'user_added' },
        payloadTemplate: {},
        subjectFormat: 'iss_sub',
      }),
    );
    const read = await store.get(minimal.id);
    expect(read).toEqual(minimal);
    expect(read).not.toHaveProperty('description');
    expect(read.enabled).toBe(false);
    expect(read.trigger).toEqual({ on: 'user_added' });
    expect(read.subjectFormat).toBe('iss_sub');
    expect(minimal.id).not.toBe(created.id);

    await expect(store.get('hook_missing')).rejects.toThrow(NotFoundError);
  });

  itWithStore(
    'lists by creation time, then name, and by enabled',
    async (store, knex) => {
      const b = await store.create(definition({ name: 'b' }));
      const a = await store.create(definition({ name: 'a', enabled: false }));
      const c = await store.create(definition({ name: 'c' }));
      // Fixed creation times, so the order does not depend on the clock: c
      // is oldest; a and b tie, and the name breaks the tie.
      await knex(TABLE)
        .where({ id: c.id })
        .update({ created_at: new Date('2026-01-01T00:00:00.000Z') });
      await knex(TABLE)
        .whereIn('id', [a.id, b.id])
        .update({ created_at: new Date('2026-02-01T00:00:00.000Z') });

      expect((await store.list()).map(h => h.name)).toEqual(['c', 'a', 'b']);
      expect((await store.list({ enabled: true })).map(h => h.name)).toEqual([
        'c',
        'b',
      ]);
      expect((await store.list({ enabled: false })).map(h => h.name)).toEqual([
        'a',
      ]);
      expect((await store.list())[0]).toEqual({
        ...c,
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
      });

      // Inside a transaction the list sees that transaction's writes.
      await expect(
        knex.transaction(async tx => {
          await tx(TABLE).where({ id: a.id }).delete();
          expect((await store.list({}, tx)).map(h => h.name)).toEqual([
            'c',
            'b',
          ]);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect((await store.list()).map(h => h.name)).toEqual(['c', 'a', 'b']);
    },
  );

  itWithStore('changes an API hook in place', async store => {
    const created = await store.create(definition());

    let seen: unknown;
    const next = definition({
      name: 'terminate-v2',
      description: undefined,
      enabled: false,
      trigger: { on: 'user_removed' },
      payloadTemplate: { reason_user: { en: 'Bye' } },
      subjectFormat: 'iss_sub',
    });
    const updated = await store.update(created.id, current => {
      seen = current;
      return next;
    });
    expect(seen).toEqual(created);
    expect(updated).toEqual({
      ...next,
      id: created.id,
      source: 'api',
      createdAt: created.createdAt,
      updatedAt: expect.any(Date),
    });
    expect(updated).not.toHaveProperty('description');
    expect(await store.get(created.id)).toEqual(updated);

    // Keeping its own name is no conflict.
    const renamedToSelf = await store.update(created.id, current => ({
      ...current,
      enabled: true,
    }));
    expect(renamedToSelf.name).toBe('terminate-v2');
    expect(renamedToSelf.enabled).toBe(true);

    // A change that fails writes nothing.
    await expect(
      store.update(created.id, () => {
        throw new Error('invalid change');
      }),
    ).rejects.toThrow('invalid change');
    expect(await store.get(created.id)).toEqual(renamedToSelf);

    await expect(
      store.update('hook_missing', current => current),
    ).rejects.toThrow(NotFoundError);
  });

  itWithStore('deletes an API hook and returns it', async store => {
    const keep = await store.create(definition({ name: 'keep' }));
    const gone = await store.create(definition({ name: 'gone' }));

    expect(await store.delete(gone.id)).toEqual(gone);
    await expect(store.get(gone.id)).rejects.toThrow(NotFoundError);
    await expect(store.delete(gone.id)).rejects.toThrow(NotFoundError);
    expect(await store.list()).toEqual([keep]);
  });

  itWithStore('keeps names unique across API and config hooks', async store => {
    const x = await store.create(definition({ name: 'x' }));
    await store.installFromConfig([definition({ name: 'from-config' })]);

    await expect(store.create(definition({ name: 'x' }))).rejects.toThrow(
      new ConflictError('A lifecycle hook named x already exists'),
    );
    await expect(
      store.create(definition({ name: 'from-config' })),
    ).rejects.toThrow(ConflictError);

    const y = await store.create(definition({ name: 'y' }));
    await expect(
      store.update(y.id, current => ({ ...current, name: 'x' })),
    ).rejects.toThrow(
      new ConflictError('A lifecycle hook named x already exists'),
    );
    await expect(
      store.update(y.id, current => ({ ...current, name: 'from-config' })),
    ).rejects.toThrow(ConflictError);
    expect(await store.get(y.id)).toEqual(y);
    expect(await store.get(x.id)).toEqual(x);

    expect(
      (await store.update(y.id, current => ({ ...current, name: 'z' }))).name,
    ).toBe('z');
    expect((await store.list()).map(h => h.name).sort()).toEqual([
      'from-config',
      'x',
      'z',
    ]);
  });

  itWithStore(
    'answers a name a concurrent writer has not committed yet with a conflict',
    async (store, knex) => {
      const other = await store.create(definition({ name: 'other' }));

      // On PostgreSQL the store's name check cannot see the open
      // transaction's row; the unique index makes the insert wait for it and
      // then fail, which must read as the same 409 as the check.
      const created = await againstUncommitted(
        knex,
        rawRow('race', 'api'),
        () => store.create(definition({ name: 'race' })),
      );
      expect(created).toBeInstanceOf(ConflictError);
      expect((created as Error).message).toBe(
        'A lifecycle hook named race already exists',
      );

      const updated = await againstUncommitted(
        knex,
        rawRow('race-2', 'api'),
        () =>
          store.update(other.id, current => ({ ...current, name: 'race-2' })),
      );
      expect(updated).toBeInstanceOf(ConflictError);
      expect((updated as Error).message).toBe(
        'A lifecycle hook named race-2 already exists',
      );
      expect(await store.get(other.id)).toEqual(other);
      expect((await store.list()).map(h => h.name).sort()).toEqual([
        'other',
        'race',
        'race-2',
      ]);
    },
  );

  itWithStore(
    'installs config hooks and replaces them on every start',
    async store => {
      const a = definition({ name: 'a' });
      // Disabled and without a description: an unchanged start must not
      // count it as changed (SQLite stores false as 0, no description as null).
      const b = definition({
        name: 'b',
        enabled: false,
        description: undefined,
        trigger: { on: 'user_removed' },
      });

      expect(await store.installFromConfig([a, b])).toEqual(
        installReport({ added: 2 }),
      );
      const first = await store.list();
      expect(first).toEqual(
        [a, b].map(d => ({
          ...d,
          id: expect.stringMatching(/^hook_/),
          source: 'config',
          createdAt: expect.any(Date),
          updatedAt: expect.any(Date),
        })),
      );
      expect(first[1]).not.toHaveProperty('description');

      // A restart with the same config changes nothing.
      expect(await store.installFromConfig([a, b])).toEqual(installReport({}));
      expect(await store.list()).toEqual(first);

      // Changed in place (same id, so its firings still point at it), the
      // one no longer configured removed, a new one added.
      const a2 = definition({
        name: 'a',
        payloadTemplate: { reason_admin: { en: 'Changed' } },
      });
      const c = definition({ name: 'c', subjectFormat: 'iss_sub' });
      expect(await store.installFromConfig([a2, c])).toEqual(
        installReport({ added: 1, updated: 1, removed: 1 }),
      );
      const second = await store.list();
      expect(second.map(h => h.name)).toEqual(['a', 'c']);
      expect(second[0]).toEqual({
        ...a2,
        id: first[0].id,
        source: 'config',
        createdAt: first[0].createdAt,
        updatedAt: expect.any(Date),
      });
      expect(second[1]).toMatchObject({ ...c, source: 'config' });

      // Each column counts: enabled alone, description alone.
      expect(
        await store.installFromConfig([{ ...a2, enabled: false }, c]),
      ).toMatchObject({ updated: 1 });
      expect(
        await store.installFromConfig([
          { ...a2, enabled: false },
          { ...c, description: undefined },
        ]),
      ).toMatchObject({ updated: 1 });
      const third = await store.list();
      expect(third[0].enabled).toBe(false);
      expect(third[1]).not.toHaveProperty('description');
      expect(third.map(h => h.id)).toEqual(second.map(h => h.id));

      expect(await store.installFromConfig([])).toEqual(
        installReport({ removed: 2 }),
      );
      expect(await store.list()).toEqual([]);
    },
  );

  itWithStore('refuses API changes to config hooks', async store => {
    await store.installFromConfig([definition({ name: 'cfg' })]);
    const [cfg] = await store.list();

    const change = jest.fn((current: HookDefinition) => current);
    await expect(store.update(cfg.id, change)).rejects.toThrow(
      new ConflictError(
        'The lifecycle hook cfg is defined in app-config (ssf.lifecycle); change it there',
      ),
    );
    expect(change).not.toHaveBeenCalled();
    await expect(store.delete(cfg.id)).rejects.toThrow(ConflictError);
    expect(await store.get(cfg.id)).toEqual(cfg);
  });

  itWithStore(
    'skips a config hook whose name an API hook has, and never removes API hooks',
    async store => {
      const api = await store.create(definition({ name: 'custom' }));
      const configured = [
        definition({
          name: 'custom',
          enabled: false,
          payloadTemplate: { from: 'config' },
        }),
        definition({ name: 'other' }),
      ];

      expect(await store.installFromConfig(configured)).toEqual(
        installReport({ added: 1, skipped: ['custom'] }),
      );
      expect(await store.get(api.id)).toEqual(api);
      // Reported again on every start, still without touching it.
      expect(await store.installFromConfig(configured)).toEqual(
        installReport({ skipped: ['custom'] }),
      );

      expect(await store.installFromConfig([])).toEqual(
        installReport({ removed: 1 }),
      );
      expect(await store.list()).toEqual([api]);
    },
  );

  itWithStore('installs config hooks all or nothing', async store => {
    await store.installFromConfig([definition({ name: 'a' })]);
    const before = await store.list();

    // The same name twice (config.ts refuses that earlier) fails on the
    // unique index after b was added and while a is due for removal: the
    // whole install rolls back.
    await expect(
      store.installFromConfig([
        definition({ name: 'b' }),
        definition({ name: 'c' }),
        definition({ name: 'c' }),
      ]),
    ).rejects.toThrow();
    expect(await store.list()).toEqual(before);
  });

  // The store's contract (HookStore.installFromConfig): "Runs in one
  // transaction, so replicas starting together agree and a restart never
  // duplicates." Replicas of one deployment start with the same config; the
  // second must install nothing rather than fail its startup.
  itWithStore(
    'lets a replica start while another installs the same config hooks',
    async (store, knex) => {
      // The second replica installs while the first one's install is
      // halfway: it holds the install's lock (as installFromConfig does
      // first) and has inserted, not committed.
      const result = await againstUncommitted(
        knex,
        rawRow('shared', 'config'),
        () =>
          store.installFromConfig([
            definition({ name: 'shared', description: undefined }),
          ]),
        tx => lockForTransaction(tx, TRANSACTION_LOCKS.configHooksInstall),
      );
      // Its message, if it failed, says why (PostgreSQL: a duplicate key).
      expect(result instanceof Error ? result.message : result).toEqual(
        installReport({}),
      );
      expect((await store.list()).map(h => h.name)).toEqual(['shared']);
    },
  );
});
