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

export { MIGRATIONS_DIR };
