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

import { PUSH } from '../../__testUtils__/specUris';

/*
 * Raw rows of the receiver's tables, with only the columns the receiver's
 * first migration requires, for migration tests that write below the
 * stores: `fields` adds or replaces columns.
 */

/** An `ssf_providers` row: provider `sse1`. */
export function providerRow(fields: Record<string, unknown> = {}) {
  const now = new Date();
  return {
    id: 'sse1',
    name: 'p',
    type: 'ssf',
    status: 'ACTIVE',
    issuer: 'https://t.example.com',
    jwks_url: 'https://t.example.com/jwks',
    created_at: now,
    updated_at: now,
    ...fields,
  };
}

/** An `ssf_received_events` row: SET `j1`, pushed, from provider `sse1`. */
export function receivedEventRow(fields: Record<string, unknown> = {}) {
  const now = new Date();
  return {
    provider_id: 'sse1',
    iss: 'https://t.example.com',
    jti: 'j1',
    event_type: 'x',
    event_types_json: '["x"]',
    iat: now,
    received_at: now,
    delivery_method: PUSH,
    claims_json: '{}',
    set_jwt: 'a.b.c',
    ...fields,
  };
}
