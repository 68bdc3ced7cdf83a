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

// The downstream receiver of `yarn bench:relay`, in its own process: an
// RFC 8935 push endpoint that answers 202 and records when each relayed SET
// arrived, by its `txn` (the received SET's, which the relay keeps).

import { claimsOf, servePushReceiver } from './pushReceiverProcess';

const arrivals = new Map<string, number>();
let duplicates = 0;

servePushReceiver({
  received(body, endedAt) {
    const txn = String(claimsOf(body)?.txn ?? '');
    if (arrivals.has(txn)) duplicates += 1;
    arrivals.set(txn, endedAt);
  },
  count: () => ({ count: arrivals.size }),
  report: () => ({ arrivals: Object.fromEntries(arrivals), duplicates }),
  reset() {
    arrivals.clear();
    duplicates = 0;
  },
});
