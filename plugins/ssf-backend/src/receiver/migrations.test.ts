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
  MIGRATIONS_DIR,
} from '../__testUtils__/databases';

jest.setTimeout(60_000);

const RECEIVER_MIGRATION = '20261122100000_receiver.js';

describe('receiver migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'creates and drops the receiver tables on %p',
    async id => {
      const knex = await databases.init(id);
      const config = { directory: MIGRATIONS_DIR };
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('ssf_providers')).toBe(true);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(true);

      const now = new Date();
      await knex('ssf_providers').insert({
        id: 'sse1',
        name: 'p',
        type: 'ssf',
        status: 'ACTIVE',
        issuer: 'https://t.example.com',
        jwks_url: 'https://t.example.com/jwks',
        created_at: now,
        updated_at: now,
      });
      const event = {
        provider_id: 'sse1',
        iss: 'https://t.example.com',
        jti: 'j1',
        event_type: 'x',
        event_types_json: '["x"]',
        iat: now,
        received_at: now,
        delivery_method: 'urn:ietf:rfc:8935',
        claims_json: '{}',
        set_jwt: 'a.b.c',
      };
      await knex('ssf_received_events').insert(event);
      // (iss, jti) is unique.
      await expect(knex('ssf_received_events').insert(event)).rejects.toThrow();
      // Deleting a provider keeps its events.
      await knex('ssf_providers').where({ id: 'sse1' }).delete();
      const [row] = await knex('ssf_received_events');
      expect(row.provider_id).toBeNull();

      // Roll back just this migration, then all the way.
      const receiverPending = async () => {
        const [, pending] = (await knex.migrate.list(config)) as [
          unknown,
          Array<{ file: string }>,
        ];
        return pending.some(p => p.file === RECEIVER_MIGRATION);
      };
      while (!(await receiverPending())) {
        await knex.migrate.down(config);
      }
      expect(await knex.schema.hasTable('ssf_providers')).toBe(false);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(false);
      expect(await knex.schema.hasTable('ssf_streams')).toBe(true);
      await knex.migrate.latest(config);
      expect(await knex.schema.hasTable('ssf_received_events')).toBe(true);
      await knex.destroy();
    },
  );
});

const LENIENCY_MIGRATION = '20261201110000_provider_leniency.js';

describe('provider leniency migration', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'adds the leniency flags, strict for existing providers, and drops them on %p',
    async id => {
      const knex = await databases.init(id);
      const config = { directory: MIGRATIONS_DIR };
      const pending = async () => {
        const [, waiting] = (await knex.migrate.list(config)) as [
          unknown,
          Array<{ file: string }>,
        ];
        return waiting.map(p => p.file);
      };
      // Up to just before this migration, with a provider and an event.
      await knex.migrate.latest(config);
      while (!(await pending()).includes(LENIENCY_MIGRATION)) {
        await knex.migrate.down(config);
      }
      expect(
        await knex.schema.hasColumn('ssf_providers', 'accept_untyped_sets'),
      ).toBe(false);
      const now = new Date();
      await knex('ssf_providers').insert({
        id: 'sse1',
        name: 'p',
        type: 'ssf',
        status: 'ACTIVE',
        issuer: 'https://t.example.com',
        jwks_url: 'https://t.example.com/jwks',
        created_at: now,
        updated_at: now,
      });
      await knex('ssf_received_events').insert({
        provider_id: 'sse1',
        iss: 'https://t.example.com',
        jti: 'j1',
        event_type: 'x',
        event_types_json: '["x"]',
        iat: now,
        received_at: now,
        delivery_method: 'urn:ietf:rfc:8935',
        claims_json: '{}',
        set_jwt: 'a.b.c',
      });

      await knex.migrate.latest(config);
      const [existing] = await knex('ssf_providers').where({ id: 'sse1' });
      // Existing providers stay strict.
      expect(Boolean(existing.accept_untyped_sets)).toBe(false);
      expect(Boolean(existing.accept_non_url_issuer)).toBe(false);
      await knex('ssf_providers').insert({
        id: 'sse2',
        name: 'google',
        type: 'ssf',
        status: 'ACTIVE',
        issuer: 'accounts.google.com',
        jwks_url: 'https://www.googleapis.com/oauth2/v3/certs',
        accept_untyped_sets: true,
        accept_non_url_issuer: true,
        created_at: now,
        updated_at: now,
      });
      const [lenient] = await knex('ssf_providers').where({ id: 'sse2' });
      expect(Boolean(lenient.accept_untyped_sets)).toBe(true);
      expect(Boolean(lenient.accept_non_url_issuer)).toBe(true);
      await expect(
        knex('ssf_providers')
          .where({ id: 'sse1' })
          .update({ accept_untyped_sets: null }),
      ).rejects.toThrow();

      // Down: the columns go, the providers and their events stay.
      while (!(await pending()).includes(LENIENCY_MIGRATION)) {
        await knex.migrate.down(config);
      }
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
      await knex.destroy();
    },
  );
});
