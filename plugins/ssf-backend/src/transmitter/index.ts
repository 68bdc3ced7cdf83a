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

// The transmitter as the rest of the plugin sees it: the factory, and what
// identity hooks need to emit SETs and show them. Nothing else is imported
// from outside this folder.
export { createTransmitter } from './createTransmitter';
export type { Transmitter } from './createTransmitter';
export { ReceiverProfiles } from './profiles/ReceiverProfiles';
export { toWireSets } from './delivery/TransmitterEmitter';
export type {
  EmitRequest,
  EmitResult,
  StoredSet,
  StoredSetListener,
  TransmitterEmitter,
} from './delivery/TransmitterEmitter';
export type { OutboxState } from './delivery/OutboxStore';
export { canonicalSubject, subjectKey } from './streams/subjectMatching';
// For the agent actions (src/actions), which act as a portal admin would.
export type { StreamCaller } from './streams/StreamService';
export {
  createdStreamMeta,
  statusChangeMeta,
  streamMutationEvent,
  streamVerifyEvent,
} from './streams/streamAudit';
