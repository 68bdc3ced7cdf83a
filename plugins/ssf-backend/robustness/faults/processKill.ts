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

// Fault 6: a transmitter process is SIGKILLed in the middle of delivery,
// holding leases on SETs it had claimed but not finished, and a new process
// starts on the same database. Nothing gives the leases back; they must
// simply expire (2 s here) and the new process deliver every SET. A SET the
// receiver accepted just before the kill, whose delivery was never
// recorded, is pushed again: a sequential redelivery, which is allowed.
//
// PostgreSQL only: separate processes sharing in-memory SQLite is not a
// deployment.

import { sleep, waitUntil } from '../setup';
import {
  eventsFor,
  expectNoDeadLetters,
  Scenario,
  settleRow,
  withTransmitterProcesses,
} from './scenario';

export const processKill: Scenario = {
  name: 'kill',
  title: 'transmitter SIGKILL + restart',
  dbs: ['pg'],
  notifies: [],
  async run(ctx, row) {
    await withTransmitterProcesses(ctx, row, async (db, start) => {
      // A receiver that takes a moment per SET keeps delivery going long
      // enough to kill the process in the middle of it.
      await ctx.receiver.latency(100);
      const first = await start('instance-a');
      const { jtis } = await first.emit(eventsFor(ctx.sets), 'kill');
      const started = await waitUntil(async () => {
        const r = await ctx.receiver.report();
        return Object.keys(r.delivered).length >= jtis.length / 3;
      }, 30_000);
      if (!started)
        row.problems.push('delivery never got going before the kill');
      const [{ n: leased }] = await db
        .knex('ssf_outbox')
        .where({ state: 'pending', lease_owner: 'instance-a' })
        .count({ n: '*' });
      const before = Object.keys(
        (await ctx.receiver.report()).delivered,
      ).length;
      await first.kill();
      row.notes.push(
        `killed with ${before}/${jtis.length} delivered and ${leased} SETs leased`,
      );
      if (Number(leased) === 0) {
        row.problems.push(
          'the killed process held no lease: the fault was not exercised',
        );
      }
      // Restart a little later, as a supervisor would.
      await sleep(500);
      await start('instance-b');
      await settleRow(ctx, row, db, jtis);
      expectNoDeadLetters(row);
    });
  },
};
