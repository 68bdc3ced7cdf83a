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
  itOnEachDatabase,
  MIGRATIONS_DIR,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const TABLES = [
  'ssf_streams',
  'ssf_stream_subjects',
  'ssf_signing_keys',
  'ssf_outbox',
];
const config = { directory: MIGRATIONS_DIR };

/** Those of the transmitter's tables that exist. */
async function existingTables(knex: Knex) {
  const existing: string[] = [];
  for (const table of TABLES) {
    if (await knex.schema.hasTable(table)) existing.push(table);
  }
  return existing;
}

describe('migrations', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(databases, 'migrate up and down', async knex => {
    expect(await existingTables(knex)).toEqual(TABLES);

    // Every migration can be rolled back, one at a time, to an empty schema.
    while ((await knex.migrate.currentVersion(config)) !== 'none') {
      await knex.migrate.down(config);
    }
    expect(await existingTables(knex)).toEqual([]);

    await knex.migrate.latest(config);
    expect(await knex.schema.hasTable('ssf_streams')).toBe(true);
  });

  itOnEachDatabase(
    databases,
    'describes the outbox states there are',
    async knex => {
      // Only PostgreSQL keeps column comments; SQLite has none to read.
      const isPostgres = knex.client.config.client === 'pg';
      const stateComment = async () =>
        isPostgres
          ? (
              await knex.raw(
                "select col_description('ssf_outbox'::regclass, a.attnum) as c from pg_attribute a where a.attrelid = 'ssf_outbox'::regclass and a.attname = 'state'",
              )
            ).rows[0].c
          : null;

      expect(await stateComment()).toBe(
        isPostgres
          ? "pending | delivered | dead | dropped (a paused stream's pending SETs are shown as held)"
          : null,
      );
      // Later migrations may follow this one: undo exactly this one.
      await knex.migrate.down({
        ...config,
        name: '20261201120000_outbox_state_comment.js',
      });
      expect(await stateComment()).toBe(
        isPostgres ? 'pending | held | delivered | dead | dropped' : null,
      );
      expect(await knex.schema.hasColumn('ssf_outbox', 'state')).toBe(true);
    },
  );
});
