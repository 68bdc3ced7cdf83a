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

// Fault 5: the transmitter's database connections are dropped under it, in
// the middle of delivery, twice: every backend of the scenario's database
// is terminated with pg_terminate_backend (what a PostgreSQL restart or
// failover, or an idle-connection reaper, does to a pool). Claims, delivery
// marks and retries in flight fail; the worker must carry on with fresh
// connections and nothing may be lost. A SET whose 202 could not be recorded
// is pushed again after its lease: a redelivery, which is allowed.
//
// A small second batch is emitted after the last drop: it shows the emitter
// and the worker still work, not merely that earlier work got done.

import knexFactory from 'knex';
import { emitMany, knexLog, sleep, waitUntil } from '../setup';
import {
  eventsFor,
  expectNoDeadLetters,
  Scenario,
  settleRow,
  withTransmitter,
} from './scenario';

export const databaseDrop: Scenario = {
  name: 'db-drop',
  title: 'DB connections terminated x2',
  dbs: ['pg'],
  notifies: [],
  async run(ctx, row) {
    await withTransmitter(ctx, row, async (t, db) => {
      // The killer's own connection is to the server's default database, so
      // it survives its own statement.
      const admin = knexFactory({ client: 'pg', connection: ctx.pgUrl });
      const knexLogBefore = knexLog.length;
      try {
        await ctx.receiver.latency(100);
        const { jtis } = await emitMany(t.emitter, eventsFor(ctx.sets), {
          prefix: 'db',
        });
        const terminate = async (atFraction: number) => {
          const reached = await waitUntil(async () => {
            const r = await ctx.receiver.report();
            return Object.keys(r.delivered).length >= jtis.length * atFraction;
          }, 30_000);
          if (!reached) {
            row.problems.push(
              `delivery did not reach ${atFraction * 100}% before the drop`,
            );
          }
          const result = await admin.raw(
            'SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
            [db.name],
          );
          return result.rows.length as number;
        };
        const first = await terminate(0.25);
        const second = await terminate(0.6);
        row.notes.push(
          `terminated ${first} then ${second} backends during delivery; knex logged ${
            knexLog.length - knexLogBefore
          } connection errors`,
        );
        if (first === 0 || second === 0) {
          row.problems.push(
            'no backend was terminated: the fault was not exercised',
          );
        }

        // An emit issued the instant after a drop may be handed a pooled
        // connection whose death the client has not noticed yet. The
        // emitter runs it again once on a fresh connection (nothing was
        // committed), so it must succeed: its failing is a finding.
        let instantJtis: string[] = [];
        const immediate = await emitMany(t.emitter, 1, { prefix: 'instant' })
          .then(r => {
            instantJtis = r.jtis;
            return 'succeeded';
          })
          .catch(error => {
            row.problems.push(
              `an emit right after the second drop failed: ${
                (error as Error).message
              }`,
            );
            return 'failed';
          });
        row.notes.push(`an emit right after the second drop ${immediate}`);

        // A moment later the pool must have recovered: new emits must be
        // stored and go out. Their failing would be a finding.
        await sleep(1000);
        const after = await emitMany(t.emitter, 10, { prefix: 'after' }).catch(
          error => {
            row.problems.push(
              `emit 1 s after the drops failed: ${(error as Error).stack}`,
            );
            return { jtis: [] as string[] };
          },
        );
        await ctx.receiver.latency(0);
        const outcome = await settleRow(ctx, row, db, [
          ...jtis,
          ...instantJtis,
          ...after.jtis,
        ]);
        expectNoDeadLetters(row);
        if (outcome.timedOut) {
          // Show where it stuck: what the outbox holds and what the worker said.
          row.problems.push(
            `outbox at the timeout: ${JSON.stringify(outcome.outboxCounts)}`,
          );
          for (const w of t.logger.warnings.slice(-5)) {
            row.problems.push(`worker warning: ${w}`);
          }
          for (const e of t.logger.errors.slice(-5)) {
            row.problems.push(`worker error: ${e}`);
          }
        }
      } finally {
        await admin.destroy();
      }
    });
  },
};
