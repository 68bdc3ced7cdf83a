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

import { recoverableFault } from './recoverableFault';

export const receiverDown = recoverableFault({
  name: 'receiver-down',
  title: 'receiver down',
  inject: receiver => receiver.down(),
  lift: receiver => receiver.up(),
  forMs: 4000,
  async observe(db, row, downAt) {
    const [{ max }] = await db.knex('ssf_outbox').max({ max: 'attempts' });
    row.notes.push(
      `down ${((Date.now() - downAt) / 1000).toFixed(
        1,
      )} s; up to ${max} attempts per SET while down`,
    );
    if (Number(max) < 2) {
      row.problems.push('no SET was retried: the fault was not exercised');
    }
  },
  noDeadLettersBecause: 'although the receiver came back',
});
