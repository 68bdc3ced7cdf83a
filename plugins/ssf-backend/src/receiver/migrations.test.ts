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
