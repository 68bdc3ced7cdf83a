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

import { createExtensionPoint } from '@backstage/backend-plugin-api';

/**
 * The events-service topic on which the SSF plugin publishes every SET it
 * received, verified and stored for the first time.
 *
 * @public
 */
export const SSF_RECEIVED_EVENTS_TOPIC = 'ssf.received';

/**
 * A Security Event Token the receiver accepted: verified, stored once, and now
 * handed to handlers (and published on {@link SSF_RECEIVED_EVENTS_TOPIC}).
 *
 * @public
 */
export interface ReceivedSsfEvent {
  /** The stored event's id (see `GET /api/ssf/received-events`). */
  id: string;
  providerId: string;
  providerName: string;
  iss: string;
  jti: string;
  /** The event type URIs of the SET, in the order of its `events` claim. */
  eventTypes: string[];
  /** The `events` claim: event type URI to event payload. */
  events: Record<string, Record<string, unknown>>;
  /** Every claim of the SET. */
  claims: Record<string, unknown>;
  /**
   * The SET's principal subject as an RFC 9493 subject identifier: the
   * top-level `sub_id` claim (SSF 1.0) as sent, or for a pre-1.0 SET without
   * one, the `subject` of its event, normalised (e.g. `subject_type: iss-sub`
   * becomes `format: iss_sub`; of a complex subject, its `user`).
   */
  subId?: Record<string, unknown>;
  txn?: string;
  /** `iat` as a date. */
  issuedAt: Date;
  receivedAt: Date;
  deliveryMethod: 'push' | 'poll';
}

/**
 * Reacts to received SETs. A handler that throws does not lose the event: it
 * is already stored, and the error is logged and recorded on it.
 *
 * @public
 */
export interface ReceivedSsfEventHandler {
  /** Names the handler in logs and in the recorded error. */
  id: string;
  /** The event type URIs this handler wants; all when absent. */
  eventTypes?: string[];
  handle(event: ReceivedSsfEvent): Promise<void>;
}

/**
 * Lets backend modules handle the SETs the SSF receiver accepts.
 *
 * @public
 */
export interface SsfReceivedEventHandlersExtensionPoint {
  addHandler(
    ...handlers: Array<ReceivedSsfEventHandler | ReceivedSsfEventHandler[]>
  ): void;
}

/**
 * The extension point for received-event handlers, e.g.
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'ssf',
 *   moduleId: 'revoke-sessions',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { handlers: ssfReceivedEventHandlersExtensionPoint },
 *       async init({ handlers }) {
 *         handlers.addHandler({ id: 'revoke', eventTypes: [...], handle: async e => {...} });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const ssfReceivedEventHandlersExtensionPoint =
  createExtensionPoint<SsfReceivedEventHandlersExtensionPoint>({
    id: 'ssf.receivedEventHandlers',
  });
