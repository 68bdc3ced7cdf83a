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

// The shape the receiver faults to recover from share (receiver down, slow,
// flapping): the receiver is put into the fault, the SETs are emitted, the
// fault is lifted after a while (or only once everything has settled), and
// then every SET must have been delivered: nothing dead-lettered, so
// nothing to notify either.

import { Receiver } from '../receiverControl';
import { FaultRow } from '../report';
import { emitMany, OpenDatabase, sleep } from '../setup';
import { Outcome } from '../verify';
import {
  eventsFor,
  expectNoDeadLetters,
  Scenario,
  settleRow,
  withTransmitter,
} from './scenario';

export function recoverableFault(spec: {
  name: string;
  title: string;
  /** Puts the receiver into the fault, before the SETs are emitted. */
  inject(receiver: Receiver): Promise<void>;
  /** Ends the fault (the receiver healthy again). */
  lift(receiver: Receiver): Promise<void>;
  /**
   * How long the fault lasts from its start before it is lifted; absent,
   * it lasts until every SET has settled, and retries alone must get them
   * through.
   */
  forMs?: number;
  /** Notes what the fault did, just before it is lifted (after `forMs`). */
  observe?(db: OpenDatabase, row: FaultRow, startedAt: number): Promise<void>;
  /** Why a dead letter is wrong here, for the row's problem. */
  noDeadLettersBecause: string;
  /** Notes what shows the fault happened, or a problem when it did not. */
  exercised?(outcome: Outcome, row: FaultRow): void;
}): Scenario {
  return {
    name: spec.name,
    title: spec.title,
    dbs: ['sqlite', 'pg'],
    notifies: [],
    async run(ctx, row) {
      await withTransmitter(ctx, row, async (t, db) => {
        await spec.inject(ctx.receiver);
        const startedAt = Date.now();
        const { jtis } = await emitMany(t.emitter, eventsFor(ctx.sets));
        const until = spec.forMs;
        if (until !== undefined) {
          await sleep(Math.max(0, startedAt + until - Date.now()));
          await spec.observe?.(db, row, startedAt);
          await spec.lift(ctx.receiver);
        }
        const outcome = await settleRow(ctx, row, db, jtis);
        if (until === undefined) await spec.lift(ctx.receiver);
        expectNoDeadLetters(row, ` ${spec.noDeadLettersBecause}`);
        spec.exercised?.(outcome, row);
      });
    },
  };
}
