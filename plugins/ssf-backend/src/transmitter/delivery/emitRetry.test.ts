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

import knexFactory, { Knex } from 'knex';
import { createTestDatabases } from '../../__testUtils__/databases';
import { POLL, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { clientAuth } from '../../__testUtils__/testBackend';
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

// What a PostgreSQL restart, a failover or an idle-connection reaper does
// to a pool: every backend of the database is terminated (SQLSTATE 57P01,
// "terminating connection due to administrator command"), from a
// connection of its own so the statement survives itself.
const TERMINATE =
  'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()';

function separateConnection(knex: Knex) {
  return knexFactory({
    client: 'pg',
    connection: knex.client.config.connection,
    pool: { min: 0, max: 1 },
  });
}

describe('an emit on a dead pooled connection', () => {
  const databases = createTestDatabases();
  it.each(databases.eachSupportedId())(
    'is retried on a fresh connection and stored once on %p (SQLite has no pool to drop)',
    async id => {
      if (id !== 'POSTGRES_15') return;
      const { backend, api, knex } = await startTransmitter({ databases, id });
      try {
        const stream = await api
          .createStream(clientAuth('client-a'), {
            delivery: { method: POLL },
            events_requested: [SESSION_REVOKED],
          })
          .expect(201);
        const emit = (txn: string) =>
          api.emit({
            type: SESSION_REVOKED,
            subject: { format: 'email', email: 'alice@example.com' },
            payload: {},
            txn,
          });

        const storedOnce = async (txn: string, jti: string) => {
          const rows = await knex('ssf_outbox').where({
            stream_id: stream.body.stream_id,
            txn,
          });
          expect(rows.map(r => r.jti)).toEqual([jti]);
        };
        await emit('warm-up').expect(202);

        // The emit's connection dies under it, before anything is committed:
        // its insert is held behind a table lock, the pool's backends are
        // terminated meanwhile, and the lock is let go.
        const killer = separateConnection(knex);
        try {
          const lock = await killer.transaction();
          await lock.raw('lock table ssf_outbox in exclusive mode');
          const pending = emit('mid-transaction').then(r => r);
          let waiting = 0;
          for (let i = 0; i < 200 && waiting === 0; i++) {
            await sleep(25);
            const { rows } = await lock.raw(
              "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and query ilike 'insert into \"ssf_outbox\"%'",
            );
            waiting = rows[0].n;
          }
          expect(waiting).toBe(1);
          const { rows: killed } = await lock.raw(TERMINATE);
          expect(killed.length).toBeGreaterThan(0);
          // Let the retry's insert through.
          await sleep(100);
          await lock.rollback();
          const res = await pending;
          expect({ status: res.status, body: res.body }).toMatchObject({
            status: 202,
          });
          expect(res.body.sets).toHaveLength(1);
          await storedOnce('mid-transaction', res.body.sets[0].jti);

          // And the fault suite's case: an emit right after a drop, on a
          // pool that may not have noticed yet.
          await emit('warm-again').expect(202);
          expect((await killer.raw(TERMINATE)).rows.length).toBeGreaterThan(0);
          const after = await emit('right-after');
          expect(after.status).toBe(202);
          await storedOnce('right-after', after.body.sets[0].jti);
        } finally {
          await killer.destroy();
        }
      } finally {
        await backend.stop();
      }
    },
  );
});
