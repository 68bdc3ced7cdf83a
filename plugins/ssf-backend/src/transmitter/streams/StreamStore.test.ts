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
  migratedDatabase,
} from '../../__testUtils__/databases';
import { StreamRecord, StreamStore } from './StreamStore';

jest.setTimeout(60_000);

function stream(overrides: Partial<StreamRecord> = {}): StreamRecord {
  const now = new Date('2026-11-01T10:00:00.000Z');
  return {
    streamId: 'stream-1',
    clientId: 'client-a',
    iss: 'https://portal.example.com/api/ssf',
    aud: 'client-a',
    eventsRequested: [
      'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
    ],
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpointUrl: 'https://receiver.example.com/events',
      authorizationHeader: 'Bearer secret',
    },
    description: 'A stream',
    receiverProfile: 'ssf',
    status: 'enabled',
    minVerificationInterval: 30,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

describe('StreamStore', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'round-trips every field on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new StreamStore(knex);
      const s = stream({ aud: ['a', 'b'] });
      await store.insert(s);

      expect(await store.get('stream-1')).toEqual(s);
      expect(await store.getByClientId('client-a')).toEqual(s);
      expect(await store.get('missing')).toBeUndefined();
      expect(await store.count()).toBe(1);

      const poll = stream({
        streamId: 'stream-2',
        clientId: 'client-b',
        delivery: {
          method: 'urn:ietf:rfc:8936',
          endpointUrl: 'https://p/poll/stream-2',
        },
        description: undefined,
        statusReason: 'paused by test',
        status: 'paused',
      });
      await store.insert(poll);
      expect(await store.get('stream-2')).toEqual(poll);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists by owner and audience on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new StreamStore(knex);
      await store.insert(stream({ streamId: 's1', clientId: 'a', aud: 'x' }));
      await store.insert(
        stream({ streamId: 's2', clientId: 'b', aud: ['x', 'y'] }),
      );
      await store.insert(stream({ streamId: 's3', clientId: 'c', aud: 'z' }));

      expect((await store.list()).map(s => s.streamId)).toEqual([
        's1',
        's2',
        's3',
      ]);
      expect(
        (await store.list({ clientId: 'b' })).map(s => s.streamId),
      ).toEqual(['s2']);
      expect((await store.list({ aud: 'x' })).map(s => s.streamId)).toEqual([
        's1',
        's2',
      ]);
      expect(await store.list({ clientId: 'a', aud: 'z' })).toEqual([]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'enforces one stream per client on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new StreamStore(knex);
      await store.insert(stream());
      await expect(
        store.insert(stream({ streamId: 'other' })),
      ).rejects.toThrow();
      expect(await store.count()).toBe(1);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'updates, rolls back and deletes on %p',
    async id => {
      const knex = await migratedDatabase(databases, id);
      const store = new StreamStore(knex);
      await store.insert(stream());

      const changed = stream({
        description: undefined,
        eventsRequested: [],
        delivery: {
          method: 'urn:ietf:rfc:8936',
          endpointUrl: 'https://p/poll/stream-1',
        },
        updatedAt: new Date('2026-11-02T10:00:00.000Z'),
      });
      await store.update(changed);
      expect(await store.get('stream-1')).toEqual(changed);

      // A failed unit of work leaves nothing behind.
      await expect(
        store.transaction(async tx => {
          await store.delete('stream-1', tx);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.get('stream-1')).toEqual(changed);

      expect(await store.delete('stream-1')).toBe(true);
      expect(await store.delete('stream-1')).toBe(false);
      expect(await store.count()).toBe(0);
      await knex.destroy();
    },
  );
});
