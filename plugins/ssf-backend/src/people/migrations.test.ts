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
  MIGRATIONS_DIR,
  migrateDownThrough,
  rowCount,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const MIGRATION = '20261204090000_subject_index.js';

describe('the people index migration', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'refuses rows of SETs that do not exist, and rolls back',
    async knex => {
      const row = { subject_key: 'k'.repeat(64), at: new Date() };
      // A row belongs to a stored SET (foreign keys, on both databases).
      await expect(
        knex('ssf_subject_index').insert({ ...row, received_event_id: 999 }),
      ).rejects.toThrow();
      await expect(
        knex('ssf_subject_index').insert({ ...row, outbox_jti: 'missing' }),
      ).rejects.toThrow();
      expect(await rowCount(knex, 'ssf_subject_index')).toBe(0);

      await migrateDownThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('ssf_subject_index')).toBe(false);

      await knex.migrate.latest({ directory: MIGRATIONS_DIR });
      expect(await knex.schema.hasTable('ssf_subject_index')).toBe(true);
    },
  );
});
