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

// The receiver as the rest of the plugin sees it.
export { createReceiver } from './createReceiver';
export type { Receiver, ReceiverOptions } from './createReceiver';
export { ReceivedEventHandlers } from './ReceivedEventHandlers';
export { ReceivedEventConsumers } from './events/ReceivedEventConsumers';
export type {
  ReceivedEventConsumer,
  StoredReceivedEvent,
} from './events/ReceivedEventConsumers';
// For the agent actions (src/actions), which answer as the routes do.
export { toWireProvider } from './providers/wire';
export { providerMeta, providerMutationEvent } from './providers/providerAudit';
export { toWire as toWireReceivedEvent } from './events/router';
// For the relay (src/relay), whose routes are provider routes and which
// re-sends received SETs with the subject the receiver read from them.
export { eventsOf, setSubject, subjectOfClaims } from './ingestion/subjects';
// For the people index (src/people), which reads who a SET names.
export { normaliseSubject } from './ingestion/subjects';
export {
  parseProviderInput,
  providerErrorHandler,
  ProviderInputError,
} from './providers/providerErrors';
