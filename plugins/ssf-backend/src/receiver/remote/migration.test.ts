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
} from '../../__testUtils__/databases';
import { POLL, PUSH } from '../../__testUtils__/specUris';
import { receivedEventRow } from '../__testUtils__/receiverRows';
import { ProviderRecord, ProviderStore } from '../providers/ProviderStore';

jest.setTimeout(60_000);

const MIGRATION = '20261201100000_remote_streams.js';
const COLUMNS = [
  'remote_stream_aud_json',
  'remote_stream_events_requested_json',
  'remote_stream_events_delivered_json',
  'remote_stream_description',
  'remote_stream_delivery_method',
  'remote_stream_endpoint_url',
];

function provider(id: string): ProviderRecord {
  const now = new Date();
  return {
    id,
    name: id,
    type: 'SSF',
    status: 'ACTIVE',
    issuer: `https://${id}.example.com`,
    jwksUrl: `https://${id}.example.com/jwks`,
    deliveryMethod: PUSH,
    createdAt: now,
    updatedAt: now,
  };
}

describe('remote stream migration and store', () => {
  const databases = createTestDatabases();

  itOnEachDatabase(
    databases,
    'adds and drops the remote stream columns, keeping providers and their events,',
    async knex => {
      for (const column of COLUMNS) {
        expect(await knex.schema.hasColumn('ssf_providers', column)).toBe(true);
      }

      const store = new ProviderStore(knex);
      await store.insert(provider('sse1'));
      await knex('ssf_received_events').insert(
        receivedEventRow({ iss: 'https://sse1.example.com' }),
      );

      // A stream is recorded once; a second claim loses.
      const recorded = {
        remoteStreamId: 's1',
        remoteStreamAud: ['urn:a', 'urn:b'],
        remoteStreamEventsRequested: ['e1', 'e2'],
        remoteStreamEventsDelivered: ['e1'],
        remoteStreamDescription: 'd',
        remoteStreamDeliveryMethod: POLL,
        remoteStreamEndpointUrl: 'https://t.example.com/poll?stream=s1&x=1',
      };
      expect(await store.claimRemoteStream('sse1', recorded)).toBe(true);
      expect(
        await store.claimRemoteStream('sse1', { remoteStreamId: 's2' }),
      ).toBe(false);
      expect(await store.get('sse1')).toMatchObject(recorded);

      // A replace of the provider (admin fields) keeps the recorded stream,
      // even when built from a copy read before the stream existed.
      await store.update({ ...provider('sse1'), name: 'renamed' });
      expect(await store.get('sse1')).toMatchObject({
        name: 'renamed',
        ...recorded,
      });

      // A string aud stays a string (RFC 7519 §4.1.3 allows both).
      await store.patchState('sse1', { remoteStreamAud: 'urn:only' });
      expect((await store.get('sse1'))?.remoteStreamAud).toBe('urn:only');

      // Down: the columns go, the provider and its event stay linked.
      await migrateDownThrough(knex, MIGRATION);
      for (const column of COLUMNS) {
        expect(await knex.schema.hasColumn('ssf_providers', column)).toBe(
          false,
        );
      }
      const [row] = await knex('ssf_providers').where({ id: 'sse1' });
      expect(row.remote_stream_id).toBe('s1');
      const [event] = await knex('ssf_received_events');
      expect(event.provider_id).toBe('sse1');

      await knex.migrate.latest({ directory: MIGRATIONS_DIR });
      expect(
        await knex.schema.hasColumn('ssf_providers', 'remote_stream_aud_json'),
      ).toBe(true);
    },
  );
});
