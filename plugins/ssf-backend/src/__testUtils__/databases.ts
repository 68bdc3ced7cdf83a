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

// This module declares tests (itOnEachDatabase, describeOnEachDatabase) for
// the test files that call it, so it exports from a file that has tests.
/* eslint-disable jest/no-export */

import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import path from 'node:path';

const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

/**
 * The databases every store test runs on: SQLite always, and PostgreSQL 15
 * when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING points at one (the
 * repo's test script sets it; CI requires it through SSF_REQUIRE_POSTGRES).
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
  if (process.env.SSF_REQUIRE_POSTGRES && !databases.supports('POSTGRES_15')) {
    throw new Error(
      'SSF_REQUIRE_POSTGRES is set but BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not',
    );
  }
  return databases;
}

/** A fresh database of the given kind with the plugin's migrations applied. */
export async function migratedDatabase(
  databases: TestDatabases,
  id: TestDatabaseId,
): Promise<Knex> {
  const knex = await databases.init(id);
  await knex.migrate.latest({ directory: MIGRATIONS_DIR });
  return knex;
}

/**
 * Resolves once another session of this PostgreSQL database waits for a
 * lock, i.e. once a writer is blocked on a row, unique key or advisory lock
 * that an open transaction holds. SQLite has one connection, so there a
 * writer simply waits for it and nothing needs observing.
 */
export async function untilBlockedOnLock(knex: Knex): Promise<void> {
  if (knex.client.config.client !== 'pg') return;
  for (let attempt = 0; attempt < 1000; attempt++) {
    const { rows } = await knex.raw(
      `SELECT count(*) AS n FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if (Number(rows[0].n) > 0) return;
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  throw new Error('No session ever waited for a lock');
}

/**
 * A store test run once on each supported database: `test` gets a fresh
 * database with the migrations applied, destroyed afterwards even when the
 * test fails. The test is named `<name> on <database>`.
 */
export function itOnEachDatabase(
  databases: TestDatabases,
  name: string,
  test: (knex: Knex, id: TestDatabaseId) => Promise<void>,
): void {
  // The assertions are in `test`.
  // eslint-disable-next-line jest/expect-expect
  it.each(databases.eachSupportedId())(`${name} on %p`, async id => {
    const knex = await migratedDatabase(databases, id);
    try {
      await test(knex, id);
    } finally {
      await knex.destroy();
    }
  });
}

/**
 * The `it` of one store's tests, made inside their describe block: it runs a
 * test once on each supported database, as itOnEachDatabase does, handing it
 * the store `open` makes on that database, and the database.
 */
export function storeTests<S>(open: (knex: Knex) => S) {
  const databases = createTestDatabases();
  return (name: string, test: (store: S, knex: Knex) => Promise<void>) =>
    itOnEachDatabase(databases, name, knex => test(open(knex), knex));
}

/**
 * `itOnEachDatabase` for tests that all start from the same fixture (a
 * store, say): each test gets what `fixture` builds on its fresh database.
 */
export function itOnEachDatabaseWith<F>(
  databases: TestDatabases,
  fixture: (knex: Knex) => F | Promise<F>,
): (name: string, test: (fixture: F) => Promise<void>) => void {
  return (name, test) =>
    itOnEachDatabase(databases, name, async knex => test(await fixture(knex)));
}

/**
 * A suite run once on each supported database, named `<name> on <database>`.
 * `suite` gets a TestDatabases of its own, made inside the suite so that the
 * databases it makes are dropped with it, and the kind to start backends on.
 */
export function describeOnEachDatabase(
  name: string,
  suite: (databases: TestDatabases, id: TestDatabaseId) => void,
): void {
  describe.each(createTestDatabases().eachSupportedId())(
    `${name} on %p`,
    id => {
      suite(createTestDatabases(), id);
    },
  );
}

/**
 * Rolls back the latest migrations one at a time until `file` is pending
 * again, leaving the migrations before it applied.
 */
export async function migrateDownThrough(
  knex: Knex,
  file: string,
): Promise<void> {
  const config = { directory: MIGRATIONS_DIR };
  const isPending = async () => {
    const [, pending] = (await knex.migrate.list(config)) as [
      unknown,
      Array<{ file: string }>,
    ];
    return pending.some(p => p.file === file);
  };
  while (!(await isPending())) {
    await knex.migrate.down(config);
  }
}

/** How many rows `table` holds. */
export async function rowCount(knex: Knex, table: string): Promise<number> {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

export { MIGRATIONS_DIR };
