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

// The receiver side of `yarn bench:lifecycle`, in its own process so that it
// does not share the transmitter's event loop: an RFC 8935 push endpoint that
// answers 202 and records, for each SET, when it arrived, its subject's email
// and its event type (a lifecycle change is matched by the user's email, as
// reconcileOne does not hand back the jti). The parent asks over IPC for the
// count so far (cheap, for waiting) or the full list.

import { claimsOf, servePushReceiver } from './pushReceiverProcess';

interface Arrival {
  jti: string;
  email: string;
  eventType: string;
  at: number;
}

const arrivals = new Map<string, Arrival>();
let duplicates = 0;
let lastAt = 0;

function parse(jws: string, at: number): Arrival {
  const claims = claimsOf(jws);
  if (!claims) return { jti: '', email: '', eventType: '', at };
  return {
    jti: String(claims.jti),
    email: String(claims.sub_id?.email ?? ''),
    eventType: Object.keys(claims.events ?? {})[0] ?? '',
    at,
  };
}

servePushReceiver({
  received(body, at) {
    const arrival = parse(body, at);
    if (arrivals.has(arrival.jti)) duplicates += 1;
    arrivals.set(arrival.jti, arrival);
    lastAt = at;
  },
  count: () => ({ count: arrivals.size, duplicates, lastAt }),
  report: () => ({ arrivals: [...arrivals.values()], duplicates, lastAt }),
  reset() {
    arrivals.clear();
    duplicates = 0;
    lastAt = 0;
  },
});
