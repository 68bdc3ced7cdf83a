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
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import { providerRow } from '../receiver/__testUtils__/receiverRows';
import {
  insertStreams,
  testStream,
} from '../transmitter/__testUtils__/streamRecords';

jest.setTimeout(60_000);

const MIGRATION = '20261203100000_relay_rules.js';

describe('the relay migration', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'stores rules per provider, keeps long txns, and rolls back',
    async knex => {
      await knex('ssf_providers').insert(providerRow());
      await knex('ssf_relay_rules').insert({
        provider_id: 'sse1',
        event_types_json: JSON.stringify([SESSION_REVOKED]),
        updated_at: new Date(),
      });
      // One rule per provider.
      await expect(
        knex('ssf_relay_rules').insert({
          provider_id: 'sse1',
          event_types_json: '[]',
          updated_at: new Date(),
        }),
      ).rejects.toThrow();

      // A received txn may be up to 256 characters; the relayed SET keeps it.
      await insertStreams(knex, [testStream('s1')]);
      const txn = 't'.repeat(256);
      await knex('ssf_outbox').insert({
        jti: 'j1',
        stream_id: 's1',
        event_type: SESSION_REVOKED,
        txn,
        set_jws: 'a.b.c',
        state: 'pending',
        next_attempt_at: new Date(),
        created_at: new Date(),
      });
      expect(
        (await knex('ssf_outbox').where({ txn }).select('stream_id')).map(
          r => r.stream_id,
        ),
      ).toEqual(['s1']);

      await migrateDownThrough(knex, MIGRATION);
      expect(await knex.schema.hasTable('ssf_relay_rules')).toBe(false);
      // The widened txn survives the rollback.
      expect(await rowCount(knex, 'ssf_outbox')).toBe(1);

      await knex.migrate.latest({ directory: MIGRATIONS_DIR });
      expect(await rowCount(knex, 'ssf_relay_rules')).toBe(0);
    },
  );
});
