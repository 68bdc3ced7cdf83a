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

// Fault 2: the receiver answers only after 1.5 s for a while, three times the
// transmitter's 500 ms timeout. Every push in that window times out and is
// retried; once the receiver is fast again every SET must be delivered. The
// receiver does not count an answer to a request the transmitter already
// gave up on, so a timed-out push followed by its retry is neither a
// delivery twice nor a concurrent duplicate.

import { settle } from '../verify';
import { emitMany, sleep } from '../setup';
import { eventsFor, Scenario, withTransmitter } from './scenario';

const SLOW_MS = 1500;
const SLOW_FOR_MS = 4000;

export const receiverSlow: Scenario = {
  name: 'receiver-slow',
  title: 'receiver slow > timeout',
  dbs: ['sqlite', 'pg'],
  async run(ctx, row) {
    await withTransmitter(ctx, row, async (t, db) => {
      await ctx.receiver.slow(SLOW_MS);
      const slowAt = Date.now();
      const { jtis } = await emitMany(t.emitter, eventsFor(ctx.sets));
      await sleep(Math.max(0, SLOW_FOR_MS - (Date.now() - slowAt)));
      await ctx.receiver.answer202();
      row.outcome = await settle({
        knex: db.knex,
        receiver: ctx.receiver,
        jtis,
        timeoutMs: ctx.settleTimeoutMs,
      });
      row.notes.push(
        `${row.outcome.receiver.aborted} pushes timed out at the transmitter`,
      );
      if (row.outcome.dead > 0) {
        row.problems.push(
          `${row.outcome.dead} SETs dead-lettered although the receiver recovered`,
        );
      }
      if (row.outcome.receiver.aborted === 0) {
        row.problems.push('no push timed out: the fault was not exercised');
      }
    });
  },
};
