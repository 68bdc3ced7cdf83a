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
  itOnEachDatabase,
  migrateDownThrough,
  MIGRATIONS_DIR,
  rowCount,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const MIGRATION = '20261203110000_hook_firings_txn.js';

function firing(txn: string) {
  const now = new Date();
  return {
    hook_name: 'h',
    change_key: 'k',
    identity: 'email:alice@example.com',
    subject_json: '{}',
    change_json: '{}',
    event_type: 'x',
    txn,
    sets_json: '[]',
    source: 'received',
    observed_at: now,
    fired_at: now,
  };
}

describe('hook firings txn migration', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    "takes a received SET's 256-character txn, and rolls back and forward",
    async knex => {
      // The receiver stores a txn of up to 256 characters.
      const long = 't'.repeat(256);
      await knex('ssf_hook_firings').insert(firing(long));
      expect((await knex('ssf_hook_firings').first('txn')).txn).toBe(long);

      await migrateDownThrough(knex, MIGRATION);
      // Down keeps the column wide: the longer txns stay readable.
      expect((await knex('ssf_hook_firings').first('txn')).txn).toBe(long);
      await knex.migrate.latest({ directory: MIGRATIONS_DIR });
      await knex('ssf_hook_firings').insert(firing(long));
      expect(await rowCount(knex, 'ssf_hook_firings')).toBe(2);
    },
  );
});
