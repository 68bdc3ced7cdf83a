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
  untilBlockedOnLock,
} from '../../__testUtils__/databases';
import {
  CREDENTIAL_CHANGE,
  POLL,
  PUSH,
  SESSION_REVOKED,
} from '../../__testUtils__/specUris';
import { ProviderStore } from '../providers/ProviderStore';
import {
  NewReceivedEvent,
  ReceivedEventRecord,
  ReceivedEventStore,
  dedupeKey,
} from './ReceivedEventStore';

jest.setTimeout(60_000);

const ISS = 'https://tx.example.com/ssf';
const OTHER_ISS = 'https://other.example.com/ssf';
const T0 = new Date('2026-11-01T10:00:00.000Z');
const T1 = new Date('2026-11-01T11:00:00.000Z');
const T2 = new Date('2026-11-01T12:00:00.000Z');

function event(overrides: Partial<NewReceivedEvent> = {}): NewReceivedEvent {
  return {
    providerId: 'prov_1',
    iss: ISS,
    jti: 'jti-1',
    eventType: SESSION_REVOKED,
    eventTypes: [SESSION_REVOKED, CREDENTIAL_CHANGE],
    subject: { format: 'email', value: 'ann@example.com' },
    txn: 'txn-1',
    issuedAt: new Date('2026-11-01T09:59:59.000Z'),
    receivedAt: T0,
    deliveryMethod: PUSH,
    claims: {
      iss: ISS,
      jti: 'jti-1',
      aud: ['https://portal.example.com'],
      events: {
        [SESSION_REVOKED]: {
          subject: { format: 'email', email: 'ann@example.com' },
          reason_admin: { en: 'ünïcode ✓', nested: [1, 2.5, true, null] },
        },
      },
    },
    token: 'eyJhbGciOiJSUzI1NiJ9.eyJqdGkiOiJqdGktMSJ9.c2lnbmF0dXJl',
    ...overrides,
  };
}

async function withProviders(knex: Knex) {
  const providers = new ProviderStore(knex);
  for (const [id, issuer] of [
    ['prov_1', ISS],
    ['prov_2', OTHER_ISS],
  ]) {
    await providers.insert({
      id,
      name: id,
      type: 'GENERIC',
      status: 'ACTIVE',
      issuer,
      jwksUrl: `${issuer}/jwks`,
      deliveryMethod: PUSH,
      createdAt: T0,
      updatedAt: T0,
    });
  }
  return providers;
}

describe('ReceivedEventStore', () => {
  const databases = createTestDatabases();
  const itWithStore = itOnEachDatabaseWith(databases, async knex => ({
    knex,
    providers: await withProviders(knex),
    store: new ReceivedEventStore(knex),
  }));

  itWithStore('stores and reads back every field', async ({ store }) => {
    const full = event();
    // No provider (pushed before one matched), no subject, no txn.
    const bare = event({
      providerId: undefined,
      jti: 'jti-2',
      eventTypes: [SESSION_REVOKED],
      subject: undefined,
      txn: undefined,
      deliveryMethod: POLL,
      claims: {},
    });

    const inserted = await store.insertNew([full, bare]);
    expect([...inserted.keys()]).toEqual([
      dedupeKey(ISS, 'jti-1'),
      dedupeKey(ISS, 'jti-2'),
    ]);
    const fullId = inserted.get(dedupeKey(ISS, 'jti-1'))!;
    const bareId = inserted.get(dedupeKey(ISS, 'jti-2'))!;
    expect(fullId).toMatch(/^\d+$/);
    expect(Number(bareId)).toBeGreaterThan(Number(fullId));

    const readFull = await store.get(fullId);
    expect(readFull).toEqual({ ...full, id: fullId });
    expect(readFull).toMatchObject({ handlerError: undefined });
    const readBare = await store.get(bareId);
    expect(readBare).toEqual({ ...bare, id: bareId });
    expect(readBare?.subject).toBeUndefined();
    expect(readBare?.providerId).toBeUndefined();

    expect(await store.getByKey(ISS, 'jti-1')).toBe(fullId);
    expect(await store.getByKey(OTHER_ISS, 'jti-1')).toBeUndefined();
  });

  itWithStore('stores a SET once per issuer and jti', async ({ store }) => {
    const first = await store.insertNew([event()]);
    const firstId = first.get(dedupeKey(ISS, 'jti-1'))!;

    // A redelivery with other content, beside a new SET: only the new one
    // is reported and the stored one is left as it was.
    const again = await store.insertNew([
      event({ eventType: CREDENTIAL_CHANGE, txn: 'changed', receivedAt: T2 }),
      event({ jti: 'jti-3' }),
    ]);
    expect([...again.keys()]).toEqual([dedupeKey(ISS, 'jti-3')]);
    expect(await store.get(firstId)).toEqual({ ...event(), id: firstId });
    expect(await store.insertNew([event()])).toEqual(new Map());

    // The same jti from another issuer is another SET.
    const other = await store.insertNew([
      event({ providerId: 'prov_2', iss: OTHER_ISS }),
    ]);
    expect([...other.keys()]).toEqual([dedupeKey(OTHER_ISS, 'jti-1')]);

    // Twice in one batch: stored once, the first one.
    const twice = await store.insertNew([
      event({ jti: 'jti-4', txn: 'first' }),
      event({ jti: 'jti-4', txn: 'second' }),
    ]);
    expect(twice.size).toBe(1);
    const twiceId = twice.get(dedupeKey(ISS, 'jti-4'))!;
    expect((await store.get(twiceId))?.txn).toBe('first');

    expect(
      (await store.list({ limit: 10 })).map(e => `${e.iss} ${e.jti}`),
    ).toEqual([
      dedupeKey(ISS, 'jti-4'),
      dedupeKey(OTHER_ISS, 'jti-1'),
      dedupeKey(ISS, 'jti-3'),
      dedupeKey(ISS, 'jti-1'),
    ]);
  });

  itWithStore(
    'stores a SET once when two transactions race for it',
    async ({ store, knex }) => {
      const first = await knex.transaction();
      const firstInserted = await store.insertNew([event()], first);
      // On PostgreSQL the second insert waits on the first's uncommitted
      // (iss, jti), then skips it; SQLite serialises the transactions.
      const second = knex.transaction(tx => store.insertNew([event()], tx));
      await untilBlockedOnLock(knex);
      await first.commit();

      expect(await second).toEqual(new Map());
      expect(await store.getByKey(ISS, 'jti-1')).toBe(
        firstInserted.get(dedupeKey(ISS, 'jti-1')),
      );
    },
  );

  itWithStore(
    'keeps nothing of a failed transaction',
    async ({ store, knex }) => {
      await expect(
        knex.transaction(async tx => {
          const inserted = await store.insertNew([event()], tx);
          expect(inserted.size).toBe(1);
          throw new Error('handler bookkeeping failed');
        }),
      ).rejects.toThrow('handler bookkeeping failed');
      expect(await store.getByKey(ISS, 'jti-1')).toBeUndefined();
      expect(await store.list({ limit: 10 })).toEqual([]);
      // And the SET is new again when it is redelivered.
      expect((await store.insertNew([event()])).size).toBe(1);
    },
  );

  itWithStore(
    'cleans the values PostgreSQL would refuse or that exceed their column',
    async ({ store }) => {
      const odd = event({
        eventType: `urn:\u0000${'e'.repeat(600)}`,
        subject: {
          format: `em\u0000ail${'f'.repeat(100)}`,
          value: `a\u0000${'v'.repeat(2000)}`,
        },
        txn: `t\u0000${'x'.repeat(300)}`,
        // JSON escapes NUL, so claims keep it.
        claims: { note: 'nul \u0000 inside' },
      });
      const inserted = await store.insertNew([odd]);
      const stored = await store.get(inserted.get(dedupeKey(ISS, 'jti-1'))!);
      expect(stored).toEqual({
        ...odd,
        id: expect.any(String),
        eventType: `urn:${'e'.repeat(508)}`,
        subject: {
          format: `email${'f'.repeat(59)}`,
          value: `a${'v'.repeat(1023)}`,
        },
        txn: `t${'x'.repeat(255)}`,
      });
      expect(stored?.claims).toEqual({ note: 'nul \u0000 inside' });
    },
  );

  itWithStore('gets only ids it could have given', async ({ store }) => {
    const inserted = await store.insertNew([event()]);
    const realId = inserted.get(dedupeKey(ISS, 'jti-1'))!;

    expect(await store.get(realId)).toBeDefined();
    // Not numbers, or beyond a bigint: no query that could fail on
    // PostgreSQL, just nothing.
    for (const bad of ['abc', '', '-1', '1.0', ` ${realId}`, '9'.repeat(19)]) {
      expect(await store.get(bad)).toBeUndefined();
    }
    expect(await store.get('999999999999999999')).toBeUndefined();
  });

  itWithStore(
    'lists newest first, filtered, a page at a time',
    async ({ store }) => {
      const ann = { format: 'email', value: 'ann@example.com' };
      const bob = { format: 'email', value: 'bob@example.com' };
      await store.insertNew([
        event({ jti: '1', receivedAt: T0, subject: ann }),
        event({
          jti: '2',
          receivedAt: T0,
          subject: bob,
          eventType: CREDENTIAL_CHANGE,
        }),
        event({
          jti: '3',
          receivedAt: T1,
          subject: ann,
          providerId: 'prov_2',
          iss: OTHER_ISS,
        }),
        event({ jti: '4', receivedAt: T1, subject: undefined }),
        event({
          jti: '5',
          receivedAt: T2,
          subject: ann,
          eventType: CREDENTIAL_CHANGE,
        }),
      ]);
      const jtis = (page: ReceivedEventRecord[]) => page.map(e => e.jti);

      expect(jtis(await store.list({ limit: 10 }))).toEqual([
        '5',
        '4',
        '3',
        '2',
        '1',
      ]);

      const page1 = await store.list({ limit: 2 });
      expect(jtis(page1)).toEqual(['5', '4']);
      const page2 = await store.list({ limit: 2, before: page1[1].id });
      expect(jtis(page2)).toEqual(['3', '2']);
      const page3 = await store.list({ limit: 2, before: page2[1].id });
      expect(jtis(page3)).toEqual(['1']);
      expect(await store.list({ limit: 2, before: page3[0].id })).toEqual([]);

      expect(
        jtis(await store.list({ limit: 10, providerId: 'prov_2' })),
      ).toEqual(['3']);
      expect(
        jtis(await store.list({ limit: 10, eventType: CREDENTIAL_CHANGE })),
      ).toEqual(['5', '2']);
      expect(
        jtis(await store.list({ limit: 10, subject: 'ann@example.com' })),
      ).toEqual(['5', '3', '1']);
      // since is inclusive, until exclusive.
      expect(jtis(await store.list({ limit: 10, since: T1 }))).toEqual([
        '5',
        '4',
        '3',
      ]);
      expect(jtis(await store.list({ limit: 10, until: T1 }))).toEqual([
        '2',
        '1',
      ]);
      expect(
        jtis(await store.list({ limit: 10, since: T1, until: T2 })),
      ).toEqual(['4', '3']);

      // Filters and the cursor together.
      const annPage1 = await store.list({
        limit: 1,
        providerId: 'prov_1',
        subject: 'ann@example.com',
      });
      expect(jtis(annPage1)).toEqual(['5']);
      expect(
        jtis(
          await store.list({
            limit: 10,
            providerId: 'prov_1',
            subject: 'ann@example.com',
            before: annPage1[0].id,
          }),
        ),
      ).toEqual(['1']);
      expect(
        await store.list({ limit: 10, providerId: 'prov_1', eventType: 'x' }),
      ).toEqual([]);
    },
  );

  itWithStore('records and clears a handler error', async ({ store }) => {
    const inserted = await store.insertNew([event(), event({ jti: 'jti-2' })]);
    const one = inserted.get(dedupeKey(ISS, 'jti-1'))!;
    const two = inserted.get(dedupeKey(ISS, 'jti-2'))!;

    await store.setHandlerError(one, 'handler threw: boom');
    expect((await store.get(one))?.handlerError).toBe('handler threw: boom');
    expect((await store.get(two))?.handlerError).toBeUndefined();

    // Cleaned like the other text columns, and capped.
    await store.setHandlerError(two, `x\u0000${'y'.repeat(5000)}`);
    expect((await store.get(two))?.handlerError).toBe(`x${'y'.repeat(3999)}`);

    await store.setHandlerError(one, null);
    const cleared = await store.get(one);
    expect(cleared?.handlerError).toBeUndefined();
    expect(cleared).toEqual({ ...event(), id: one });

    await store.setHandlerError('999999', 'no such event');
    expect(await store.list({ limit: 10 })).toHaveLength(2);
  });

  itWithStore(
    'keeps the events of a deleted provider, without its id,',
    async ({ store, providers }) => {
      const inserted = await store.insertNew([event()]);
      const eventId = inserted.get(dedupeKey(ISS, 'jti-1'))!;

      expect(await providers.delete('prov_1')).toBe(true);
      const kept = await store.get(eventId);
      expect(kept).toEqual({ ...event(), providerId: undefined, id: eventId });
      expect(await store.list({ limit: 10, providerId: 'prov_1' })).toEqual([]);
      // Still a duplicate: the history is what dedupes.
      expect(await store.insertNew([event({ providerId: undefined })])).toEqual(
        new Map(),
      );
    },
  );
});
