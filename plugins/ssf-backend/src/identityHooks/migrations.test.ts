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
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const LIFECYCLE_MIGRATION = '20261122150000_lifecycle.js';
const TABLES = [
  'ssf_lifecycle_hooks',
  'ssf_identity_snapshots',
  'ssf_identity_changes',
  'ssf_hook_firings',
  'ssf_lifecycle_runs',
];

describe('lifecycle migration', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'creates and drops the lifecycle tables',
    async knex => {
      const expectTables = async (present: boolean) => {
        for (const table of TABLES) {
          expect([table, await knex.schema.hasTable(table)]).toEqual([
            table,
            present,
          ]);
        }
      };
      await expectTables(true);

      const now = new Date();
      const hook = {
        id: 'hook_1',
        name: 'h',
        enabled: true,
        trigger_json: '{"on":"user_removed"}',
        event_type: 'x',
        payload_template_json: '{}',
        subject_format: 'email',
        source: 'api',
        created_at: now,
        updated_at: now,
      };
      await knex('ssf_lifecycle_hooks').insert(hook);
      // Names are unique.
      await expect(
        knex('ssf_lifecycle_hooks').insert({ ...hook, id: 'hook_2' }),
      ).rejects.toThrow();
      const change = {
        idempotency_key: 'k',
        identity: 'user:default/a',
        source: 'catalog',
        changes_json: '[]',
        events: 0,
        observed_at: now,
        processed_at: now,
      };
      await knex('ssf_identity_changes').insert(change);
      await expect(
        knex('ssf_identity_changes').insert(change),
      ).rejects.toThrow();
      await knex('ssf_hook_firings').insert({
        hook_id: 'hook_1',
        hook_name: 'h',
        change_key: 'k',
        identity: 'user:default/a',
        subject_json: '{}',
        change_json: '{}',
        event_type: 'x',
        txn: 't',
        sets_json: '[]',
        source: 'catalog',
        observed_at: now,
        fired_at: now,
      });
      // Deleting a hook keeps the record of what it fired.
      await knex('ssf_lifecycle_hooks').where({ id: 'hook_1' }).delete();
      const [firing] = await knex('ssf_hook_firings');
      expect(firing.hook_id).toBeNull();

      // Roll back just this migration, then forward again.
      await migrateDownThrough(knex, LIFECYCLE_MIGRATION);
      await expectTables(false);
      expect(await knex.schema.hasTable('ssf_providers')).toBe(true);
      await knex.migrate.latest({ directory: MIGRATIONS_DIR });
      expect(await knex.schema.hasTable('ssf_hook_firings')).toBe(true);
    },
  );
});
