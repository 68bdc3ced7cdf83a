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

// The end of every fault scenario: wait (bounded) until each emitted SET
// has reached a final state, then count, per jti, what became of it.
//
// "Final" is judged on both sides: the outbox has no pending row left, and
// every row the outbox calls delivered did arrive at the receiver (the
// worker records a delivery a moment after the receiver's 202). A SET that
// is neither delivered at the receiver nor dead-lettered in the outbox is
// lost, whatever the outbox says.

import { Receiver, ReceiverReport } from './receiverControl';
import { OutboxStates, waitUntil } from './setup';

/** Reads the outbox of the transmitter under test, wherever it runs. */
export type OutboxReader = () => Promise<OutboxStates>;

export interface Outcome {
  emitted: number;
  delivered: number;
  dead: number;
  lost: number;
  concurrentDuplicates: number;
  redelivered: number;
  timedOut: boolean;
  /** jti → last_error of the dead-lettered ones. */
  deadErrors: Map<string, string>;
  lostJtis: string[];
  receiver: ReceiverReport;
  outboxCounts: Record<string, number>;
}

export async function settle(options: {
  outbox: OutboxReader;
  receiver: Receiver;
  jtis: string[];
  timeoutMs: number;
}): Promise<Outcome> {
  const { outbox, receiver, jtis, timeoutMs } = options;
  const settled = await waitUntil(
    async () => {
      const { state } = await outbox();
      const report = await receiver.report();
      return jtis.every(jti => {
        const s = state.get(jti);
        if (s === 'dead') return true;
        return s === 'delivered' && (report.delivered[jti] ?? 0) > 0;
      });
    },
    timeoutMs,
    250,
  );
  return count(outbox, receiver, jtis, !settled);
}

async function count(
  outbox: OutboxReader,
  receiver: Receiver,
  jtis: string[],
  timedOut: boolean,
): Promise<Outcome> {
  const report = await receiver.report();
  const { state, lastError } = await outbox();
  let delivered = 0;
  let dead = 0;
  let redelivered = 0;
  const deadErrors = new Map<string, string>();
  const lostJtis: string[] = [];
  for (const jti of jtis) {
    const times = report.delivered[jti] ?? 0;
    if (times > 0) {
      delivered += 1;
      redelivered += times - 1;
    } else if (state.get(jti) === 'dead') {
      dead += 1;
      deadErrors.set(jti, lastError.get(jti) ?? '');
    } else {
      lostJtis.push(jti);
    }
  }
  const outboxCounts: Record<string, number> = {};
  for (const s of state.values()) outboxCounts[s] = (outboxCounts[s] ?? 0) + 1;
  return {
    emitted: jtis.length,
    delivered,
    dead,
    lost: lostJtis.length,
    concurrentDuplicates: report.concurrentDuplicates,
    redelivered,
    timedOut,
    deadErrors,
    lostJtis,
    receiver: report,
    outboxCounts,
  };
}
