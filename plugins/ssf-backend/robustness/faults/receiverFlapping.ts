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

// Fault 3: the receiver answers every other request 503, and keeps doing so
// until everything has settled (not only for a while): 5xx is retryable, so
// retries alone must get every SET through, none dead-lettered.

import { settle } from '../verify';
import { emitMany } from '../setup';
import { eventsFor, Scenario, withTransmitter } from './scenario';

export const receiverFlapping: Scenario = {
  name: 'receiver-flap',
  title: 'receiver flapping 503',
  dbs: ['sqlite', 'pg'],
  async run(ctx, row) {
    await withTransmitter(ctx, row, async (t, db) => {
      await ctx.receiver.flap();
      const { jtis } = await emitMany(t.emitter, eventsFor(ctx.sets));
      row.outcome = await settle({
        knex: db.knex,
        receiver: ctx.receiver,
        jtis,
        timeoutMs: ctx.settleTimeoutMs,
      });
      await ctx.receiver.answer202();
      row.notes.push(`${row.outcome.receiver.answered5xx} pushes answered 503`);
      if (row.outcome.dead > 0) {
        row.problems.push(`${row.outcome.dead} SETs dead-lettered on 503s`);
      }
      if (row.outcome.receiver.answered5xx === 0) {
        row.problems.push('no 503 was answered: the fault was not exercised');
      }
    });
  },
};
