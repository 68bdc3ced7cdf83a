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

// The relay: received SETs re-sent to the portal's own streams. Wiring,
// like src/actions and src/catalog: it reaches the receiver and the
// transmitter only through their index.ts.
export { createRelay } from './createRelay';
export type { Relay } from './createRelay';
export { RELAYED_FROM_CLAIM } from './RelayConsumer';
