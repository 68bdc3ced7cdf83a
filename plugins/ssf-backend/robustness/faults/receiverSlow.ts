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

import { recoverableFault } from './recoverableFault';

const SLOW_MS = 1500;

export const receiverSlow = recoverableFault({
  name: 'receiver-slow',
  title: 'receiver slow > timeout',
  inject: receiver => receiver.slow(SLOW_MS),
  lift: receiver => receiver.answer202(),
  forMs: 4000,
  noDeadLettersBecause: 'although the receiver recovered',
  exercised(outcome, row) {
    row.notes.push(
      `${outcome.receiver.aborted} pushes timed out at the transmitter`,
    );
    if (outcome.receiver.aborted === 0) {
      row.problems.push('no push timed out: the fault was not exercised');
    }
  },
});
