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

import { recoverableFault } from './recoverableFault';

export const receiverFlapping = recoverableFault({
  name: 'receiver-flap',
  title: 'receiver flapping 503',
  inject: receiver => receiver.flap(),
  lift: receiver => receiver.answer202(),
  noDeadLettersBecause: 'on 503s',
  exercised(outcome, row) {
    row.notes.push(`${outcome.receiver.answered5xx} pushes answered 503`);
    if (outcome.receiver.answered5xx === 0) {
      row.problems.push('no 503 was answered: the fault was not exercised');
    }
  },
});
