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

// Fault 7 (or rather a condition): two transmitter processes on one
// PostgreSQL database, both emitting and both delivering at once. They share
// the outbox only through leases claimed with FOR UPDATE SKIP LOCKED, so no
// SET may be lost and no SET may ever be pushed by both at the same time
// (the receiver watches for overlapping requests per jti).

import {
  eventsFor,
  expectNoDeadLetters,
  Scenario,
  settleRow,
  withTransmitterProcesses,
} from './scenario';

export const replicas: Scenario = {
  name: 'replicas',
  title: 'two replicas on one PostgreSQL',
  dbs: ['pg'],
  notifies: [],
  async run(ctx, row) {
    await withTransmitterProcesses(ctx, row, async (db, start) => {
      // A little receiver latency keeps many pushes in flight at once, which
      // is where a broken lease would show as an overlap.
      await ctx.receiver.latency(20);
      const instances = [await start('replica-1'), await start('replica-2')];
      // Both emit, so both workers are woken and compete for the same rows.
      const half = Math.ceil(eventsFor(ctx.sets) / 2);
      const emitted = await Promise.all(
        instances.map((t, i) => t.emit(half, `replica-${i}`)),
      );
      const outcome = await settleRow(
        ctx,
        row,
        db,
        emitted.flatMap(e => e.jtis),
      );
      expectNoDeadLetters(row);
      if (outcome.receiver.duplicateJtis.length) {
        row.problems.push(
          `pushed concurrently: ${outcome.receiver.duplicateJtis.join(', ')}`,
        );
      }
    });
  },
};
