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
import { providerRow, receivedEventRow } from './__testUtils__/receiverRows';

jest.setTimeout(60_000);

const RECEIVER_MIGRATION = '20261122100000_receiver.js';
const LENIENCY_MIGRATION = '20261201110000_provider_leniency.js';
const config = { directory: MIGRATIONS_DIR };

describe('receiver migrations', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'the receiver migration creates and drops the receiver tables',
    async knex => {
      expect(await knex.schema.hasTable('ssf_providers')).toBe(true);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(true);

      await knex('ssf_providers').insert(providerRow());
      const event = receivedEventRow();
      await knex('ssf_received_events').insert(event);
      // (iss, jti) is unique.
      await expect(knex('ssf_received_events').insert(event)).rejects.toThrow();
      // Deleting a provider keeps its events.
      await knex('ssf_providers').where({ id: 'sse1' }).delete();
      const [row] = await knex('ssf_received_events');
      expect(row.provider_id).toBeNull();

      // Roll back just this migration, then all the way.
      await migrateDownThrough(knex, RECEIVER_MIGRATION);
      expect(await knex.schema.hasTable('ssf_providers')).toBe(false);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(false);
      expect(await knex.schema.hasTable('ssf_streams')).toBe(true);
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(true);
    },
  );

  itOnEachDatabase(
    databases,
    'the provider leniency migration adds the leniency flags, strict for existing providers, and drops them',
    async knex => {
      // Down to just before this migration, with a provider and an event.
      await migrateDownThrough(knex, LENIENCY_MIGRATION);
      expect(
        await knex.schema.hasColumn('ssf_providers', 'accept_untyped_sets'),
      ).toBe(false);
      await knex('ssf_providers').insert(providerRow());
      await knex('ssf_received_events').insert(receivedEventRow());

      await knex.migrate.latest(config);
      const [existing] = await knex('ssf_providers').where({ id: 'sse1' });
      // Existing providers stay strict.
      expect(Boolean(existing.accept_untyped_sets)).toBe(false);
      expect(Boolean(existing.accept_non_url_issuer)).toBe(false);
      await knex('ssf_providers').insert(
        providerRow({
          id: 'sse2',
          name: 'google',
          issuer: 'accounts.google.com',
          jwks_url: 'https://www.googleapis.com/oauth2/v3/certs',
          accept_untyped_sets: true,
          accept_non_url_issuer: true,
        }),
      );
      const [lenient] = await knex('ssf_providers').where({ id: 'sse2' });
      expect(Boolean(lenient.accept_untyped_sets)).toBe(true);
      expect(Boolean(lenient.accept_non_url_issuer)).toBe(true);
      await expect(
        knex('ssf_providers')
          .where({ id: 'sse1' })
          .update({ accept_untyped_sets: null }),
      ).rejects.toThrow();

      // Down: the columns go, the providers and their events stay.
      await migrateDownThrough(knex, LENIENCY_MIGRATION);
      expect(
        await knex.schema.hasColumn('ssf_providers', 'accept_untyped_sets'),
      ).toBe(false);
      expect(
        await knex.schema.hasColumn('ssf_providers', 'accept_non_url_issuer'),
      ).toBe(false);
      expect(
        (await knex('ssf_providers').orderBy('id')).map(r => r.id),
      ).toEqual(['sse1', 'sse2']);
      const [event] = await knex('ssf_received_events');
      expect(event.provider_id).toBe('sse1');
      await knex.migrate.latest(config);
      expect(
        await knex.schema.hasColumn('ssf_providers', 'accept_untyped_sets'),
      ).toBe(true);
    },
  );
});
