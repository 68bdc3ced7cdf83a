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

import { Knex } from 'knex';
import {
  createTestDatabases,
  itOnEachDatabase,
} from '../../__testUtils__/databases';
import { POLL, SESSION_REVOKED } from '../../__testUtils__/specUris';
import {
  ReceivedEventConsumers,
  StoredReceivedEvent,
} from './ReceivedEventConsumers';
import { NewReceivedEvent, ReceivedEventStore } from './ReceivedEventStore';
import { ReceivedEventWriter } from './ReceivedEventWriter';

jest.setTimeout(60_000);

const databases = createTestDatabases();

function received(jti: string): NewReceivedEvent {
  return {
    iss: 'https://tx.example.com',
    jti,
    eventType: SESSION_REVOKED,
    eventTypes: [SESSION_REVOKED],
    issuedAt: new Date('2026-12-01T10:00:00Z'),
    receivedAt: new Date('2026-12-01T10:00:01Z'),
    deliveryMethod: POLL,
    claims: {},
    token: `token-${jti}`,
  };
}

/** A table the consumer writes to, to see what its transaction kept. */
async function sideTable(knex: Knex) {
  await knex.schema.createTable('consumer_side', t => t.string('jti'));
}

describe('ReceivedEventWriter with consumers', () => {
  itOnEachDatabase(
    databases,
    'gives consumers only the SETs stored now, in the storing transaction',
    async knex => {
      await sideTable(knex);
      const seen: StoredReceivedEvent[][] = [];
      const consumers = new ReceivedEventConsumers();
      consumers.add({
        name: 'recorder',
        onStored: async (events, tx) => {
          seen.push(events);
          await tx('consumer_side').insert(
            events.map(e => ({ jti: e.event.jti })),
          );
        },
      });
      const store = new ReceivedEventStore(knex);
      const writer = new ReceivedEventWriter(store, consumers);

      const first = await writer.write(received('a'));
      expect(first.inserted).toBe(true);
      // A redelivery is not given to the consumers again.
      expect((await writer.write(received('a'))).inserted).toBe(false);
      await Promise.all([
        writer.write(received('b')),
        writer.write(received('c')),
      ]);

      const all = seen.flat();
      expect(all.map(e => e.event.jti).sort()).toEqual(['a', 'b', 'c']);
      expect(all.find(e => e.event.jti === 'a')!.id).toBe(first.id);
      expect(
        (await knex('consumer_side').select('jti')).map(r => r.jti).sort(),
      ).toEqual(['a', 'b', 'c']);
    },
  );

  itOnEachDatabase(
    databases,
    'stores nothing, neither the SET nor what the consumer wrote, when a consumer fails',
    async knex => {
      await sideTable(knex);
      const consumers = new ReceivedEventConsumers();
      consumers.add({
        name: 'writes then fails',
        onStored: async (events, tx) => {
          await tx('consumer_side').insert({ jti: events[0].event.jti });
          throw new Error('relay target unavailable');
        },
      });
      const store = new ReceivedEventStore(knex);
      const writer = new ReceivedEventWriter(store, consumers);

      await expect(writer.write(received('x'))).rejects.toThrow(
        'relay target unavailable',
      );
      expect(
        await store.getByKey('https://tx.example.com', 'x'),
      ).toBeUndefined();
      expect(await knex('consumer_side')).toEqual([]);
    },
  );
});
