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

// Fault 4: the receiver refuses one SET in ten with 400 and an RFC 8935
// error body (§2.3). A 400 is final: exactly those SETs must be
// dead-lettered after a single attempt, with the receiver's `err` and
// `description` kept as the reason, and all the others delivered. Admins
// must be told that the streams are dead-lettering.

import { emitMany } from '../setup';
import { eventsFor, Scenario, settleRow, withTransmitter } from './scenario';

const EXPECTED_ERROR = 'invalid_request: robustness: subject refused';

export const receiver400: Scenario = {
  name: 'receiver-400',
  title: 'receiver 400 for 1 in 10',
  dbs: ['sqlite', 'pg'],
  notifies: ['dead-letters'],
  async run(ctx, row) {
    await withTransmitter(ctx, row, async (t, db) => {
      await ctx.receiver.answer400();
      const { jtis, rejected } = await emitMany(
        t.emitter,
        eventsFor(ctx.sets),
        { reject: i => i % 10 === 3 },
      );
      const outcome = await settleRow(ctx, row, db, jtis);
      await ctx.receiver.answer202();

      const refused = new Set(rejected);
      const dead = outcome.deadErrors;
      const deadButAccepted = [...dead.keys()].filter(j => !refused.has(j));
      const refusedNotDead = rejected.filter(j => !dead.has(j));
      const wrongReason = [...dead.values()].filter(e => e !== EXPECTED_ERROR);
      if (deadButAccepted.length) {
        row.problems.push(
          `${deadButAccepted.length} dead-lettered SETs the receiver would have accepted`,
        );
      }
      if (refusedNotDead.length) {
        row.problems.push(
          `${refusedNotDead.length} of ${rejected.length} refused SETs not dead-lettered`,
        );
      }
      if (wrongReason.length) {
        row.problems.push(
          `${wrongReason.length} dead-lettered SETs lost the receiver's err/description, e.g. "${wrongReason[0]}"`,
        );
      }
      // A 400 is final: one request per refused SET, never a retry.
      const attempts = await db
        .knex('ssf_outbox')
        .whereIn('jti', rejected)
        .max({ max: 'attempts' });
      if (Number(attempts[0].max) !== 1) {
        row.problems.push(
          `a refused SET was pushed ${attempts[0].max} times; a 400 must not be retried`,
        );
      }
      row.notes.push(
        `${rejected.length} refused with 400; last_error kept as "${
          [...dead.values()][0] ?? '-'
        }"`,
      );
    });
  },
};
