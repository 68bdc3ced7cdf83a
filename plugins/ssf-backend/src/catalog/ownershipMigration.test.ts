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
import {
  providerRow,
  receivedEventRow,
} from '../receiver/__testUtils__/receiverRows';

jest.setTimeout(60_000);

const OWNERSHIP_MIGRATION = '20261203090000_catalog_ownership.js';
const config = { directory: MIGRATIONS_DIR };

/** A minimal `ssf_streams` row: stream `s1` of client `c1`. */
function streamRow(fields: Record<string, unknown> = {}) {
  const now = new Date();
  return {
    stream_id: 's1',
    client_id: 'c1',
    iss: 'https://portal.example.com/api/ssf',
    aud_json: '"c1"',
    events_requested_json: '[]',
    delivery_method: 'urn:ietf:rfc:8936',
    endpoint_url: 'https://portal.example.com/api/ssf/poll/s1',
    status: 'enabled',
    min_verification_interval: 60,
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

const hasOwnershipColumns = async (
  knex: Parameters<Parameters<typeof itOnEachDatabase>[2]>[0],
  table: string,
) => [
  await knex.schema.hasColumn(table, 'owner'),
  await knex.schema.hasColumn(table, 'consumer'),
];

describe('catalog ownership migration', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'adds nullable owner and consumer to streams and providers, and drops them keeping the rows',
    async knex => {
      // Down to just before this migration, with a stream, a subject, a
      // provider and one of its events.
      await migrateDownThrough(knex, OWNERSHIP_MIGRATION);
      expect(await hasOwnershipColumns(knex, 'ssf_streams')).toEqual([
        false,
        false,
      ]);
      expect(await hasOwnershipColumns(knex, 'ssf_providers')).toEqual([
        false,
        false,
      ]);
      await knex('ssf_streams').insert(streamRow());
      await knex('ssf_stream_subjects').insert({
        stream_id: 's1',
        subject_key: 'k',
        subject_json: '{}',
        created_at: new Date(),
      });
      await knex('ssf_providers').insert(providerRow());
      await knex('ssf_received_events').insert(receivedEventRow());

      await knex.migrate.latest(config);
      // Existing rows have neither.
      const [stream] = await knex('ssf_streams');
      expect([stream.owner, stream.consumer]).toEqual([null, null]);
      const [provider] = await knex('ssf_providers');
      expect([provider.owner, provider.consumer]).toEqual([null, null]);
      await knex('ssf_streams').where({ stream_id: 's1' }).update({
        owner: 'group:default/security',
        consumer: 'component:default/payments',
      });
      await knex('ssf_providers').where({ id: 'sse1' }).update({
        owner: 'group:default/identity',
        consumer: 'component:default/portal',
      });
      expect(await knex('ssf_streams').first('owner', 'consumer')).toEqual({
        owner: 'group:default/security',
        consumer: 'component:default/payments',
      });

      // Down: the columns go; streams, their subjects, providers and their
      // events stay.
      await migrateDownThrough(knex, OWNERSHIP_MIGRATION);
      expect(await hasOwnershipColumns(knex, 'ssf_streams')).toEqual([
        false,
        false,
      ]);
      expect(await hasOwnershipColumns(knex, 'ssf_providers')).toEqual([
        false,
        false,
      ]);
      expect((await knex('ssf_streams')).map(r => r.stream_id)).toEqual(['s1']);
      expect((await knex('ssf_stream_subjects')).map(r => r.stream_id)).toEqual(
        ['s1'],
      );
      const [event] = await knex('ssf_received_events');
      expect(event.provider_id).toBe('sse1');

      await knex.migrate.latest(config);
      expect(await hasOwnershipColumns(knex, 'ssf_streams')).toEqual([
        true,
        true,
      ]);
      expect(await hasOwnershipColumns(knex, 'ssf_providers')).toEqual([
        true,
        true,
      ]);
    },
  );
});
