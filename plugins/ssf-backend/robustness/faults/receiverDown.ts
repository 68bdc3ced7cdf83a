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

// Fault 1: the receiver is down (its port closed, so every push is refused)
// while the SETs are emitted, and comes back a few seconds later. Connection
// failures are retryable, so every SET must be delivered and none
// dead-lettered.

import { settle } from '../verify';
import { emitMany, sleep } from '../setup';
import { eventsFor, Scenario, withTransmitter } from './scenario';

const DOWN_MS = 4000;

export const receiverDown: Scenario = {
  name: 'receiver-down',
  title: 'receiver down',
  dbs: ['sqlite', 'pg'],
  async run(ctx, row) {
    await withTransmitter(ctx, row, async (t, db) => {
      await ctx.receiver.down();
      const downAt = Date.now();
      const { jtis } = await emitMany(t.emitter, eventsFor(ctx.sets));
      await sleep(Math.max(0, DOWN_MS - (Date.now() - downAt)));
      const [{ max }] = await db.knex('ssf_outbox').max({ max: 'attempts' });
      row.notes.push(
        `down ${((Date.now() - downAt) / 1000).toFixed(
          1,
        )} s; up to ${max} attempts per SET while down`,
      );
      await ctx.receiver.up();
      row.outcome = await settle({
        knex: db.knex,
        receiver: ctx.receiver,
        jtis,
        timeoutMs: ctx.settleTimeoutMs,
      });
      if (row.outcome.dead > 0) {
        row.problems.push(
          `${row.outcome.dead} SETs dead-lettered although the receiver came back`,
        );
      }
      if (Number(max) < 2) {
        row.problems.push('no SET was retried: the fault was not exercised');
      }
    });
  },
};
