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
  itOnEachDatabaseWith,
  rowCount,
} from '../__testUtils__/databases';
import { PUSH, SESSION_REVOKED } from '../__testUtils__/specUris';
import { ReceivedEventStore } from '../receiver/events/ReceivedEventStore';
import {
  insertStreams,
  testStream,
} from '../transmitter/__testUtils__/streamRecords';
import { OutboxStore } from '../transmitter/delivery/OutboxStore';
import { personKey } from './identifiers';
import { SubjectIndexStore } from './SubjectIndexStore';

jest.setTimeout(60_000);

const ISS = 'https://idp.example.com';
const T = (minute: number) => new Date(Date.UTC(2026, 10, 1, 10, minute));
const JANE = personKey({ format: 'email', email: 'jane@example.com' });
const JANE_OKTA = personKey({ format: 'iss_sub', iss: ISS, sub: '00u1' });
const BOB = personKey({ format: 'email', email: 'bob@example.com' });

async function fixture(knex: Knex) {
  await insertStreams(knex, [testStream('s1', { description: 'To Okta' })]);
  const received = new ReceivedEventStore(knex);
  const outbox = new OutboxStore(knex);
  const index = new SubjectIndexStore(knex);
  /** Stores a received SET of `jti` at `minute` and indexes it under `keys`. */
  const receive = (jti: string, minute: number, keys: string[]) =>
    received.transaction(async tx => {
      const ids = await received.insertNew(
        [
          {
            iss: ISS,
            jti,
            eventType: SESSION_REVOKED,
            eventTypes: [SESSION_REVOKED],
            issuedAt: T(minute),
            receivedAt: T(minute),
            deliveryMethod: PUSH,
            claims: { jti, events: { [SESSION_REVOKED]: {} } },
            token: 'a.b.c',
          },
        ],
        tx,
      );
      const id = [...ids.values()][0];
      await index.addReceived([{ ref: id, keys, at: T(minute) }], tx);
      return id;
    });
  /** Stores an outbox SET of `jti` at `minute` and indexes it under `keys`. */
  const send = (jti: string, minute: number, keys: string[]) =>
    knex.transaction(async tx => {
      await outbox.insert(
        [
          {
            jti,
            streamId: 's1',
            eventType: SESSION_REVOKED,
            txn: `txn-${jti}`,
            setJws: 'a.b.c',
          },
        ],
        T(minute),
        tx,
      );
      await index.addSent([{ ref: jti, keys, at: T(minute) }], tx);
    });
  return { knex, index, outbox, receive, send };
}

describe('SubjectIndexStore', () => {
  const itWithStore = itOnEachDatabaseWith(createTestDatabases(), fixture);

  itWithStore(
    'finds received SETs by any key, newest first, each once',
    async ({ index, receive }) => {
      const first = await receive('r1', 1, [JANE]);
      // Named by both of Jane's identifiers (an alias list): found once.
      const both = await receive('r2', 2, [JANE, JANE_OKTA, JANE]);
      await receive('r3', 3, [BOB]);
      const okta = await receive('r4', 4, [JANE_OKTA]);

      const found = await index.received([JANE, JANE_OKTA], 10);
      expect(found.map(e => e.id)).toEqual([okta, both, first]);
      expect(found[1].keys.sort()).toEqual([JANE, JANE_OKTA].sort());
      expect(found[2]).toMatchObject({
        iss: ISS,
        eventType: SESSION_REVOKED,
        receivedAt: T(1),
        claims: { jti: 'r1' },
        keys: [JANE],
      });
      expect(found[2].providerId).toBeUndefined();

      // The limit counts events, not index rows.
      expect(
        (await index.received([JANE, JANE_OKTA], 2)).map(e => e.id),
      ).toEqual([okta, both]);
      expect(await index.received([], 10)).toEqual([]);
      expect(
        await index.received(
          [personKey({ format: 'email', email: 'nobody@example.com' })],
          10,
        ),
      ).toEqual([]);
    },
  );

  itWithStore(
    'finds sent SETs with their stream and state',
    async ({ index, outbox, send }) => {
      await send('j1', 1, [JANE]);
      await send('j2', 2, [BOB]);
      await send('j3', 3, [JANE_OKTA]);
      await outbox.markDelivered(['j1'], T(5));

      const found = await index.sent([JANE, JANE_OKTA], 10);
      expect(found.map(e => [e.jti, e.state])).toEqual([
        ['j3', 'pending'],
        ['j1', 'delivered'],
      ]);
      expect(found[1]).toMatchObject({
        streamId: 's1',
        streamDescription: 'To Okta',
        eventType: SESSION_REVOKED,
        createdAt: T(1),
        set: 'a.b.c',
      });
    },
  );

  itWithStore(
    'drops the rows of a SET the outbox ages out, and nothing of a rolled-back one',
    async ({ knex, index, outbox, send }) => {
      await send('j1', 1, [JANE, JANE_OKTA]);
      await send('j2', 30, [JANE]);
      await outbox.markDelivered(['j1', 'j2'], T(40));
      expect(await rowCount(knex, 'ssf_subject_index')).toBe(3);

      // j1 is older than the cutoff: it goes, and its index rows with it.
      expect(await outbox.deleteFinishedBefore(T(10))).toBe(1);
      expect(await rowCount(knex, 'ssf_subject_index')).toBe(1);
      expect((await index.sent([JANE], 10)).map(e => e.jti)).toEqual(['j2']);

      // A failed transaction leaves neither the SET nor its index rows.
      await expect(
        knex.transaction(async tx => {
          await index.addSent([{ ref: 'j2', keys: [BOB], at: T(50) }], tx);
          throw new Error('the emit failed');
        }),
      ).rejects.toThrow('the emit failed');
      expect(await rowCount(knex, 'ssf_subject_index')).toBe(1);
    },
  );
});
