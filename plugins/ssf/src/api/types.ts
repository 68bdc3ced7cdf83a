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

import {
  ReceivedSecurityEvent,
  StreamConfiguration,
  StreamStatusValue,
} from '@shared-signals/plugin-ssf-common';

/**
 * Delivery counters of a stream, by SET state.
 *
 * @public
 */
export interface StreamStats {
  pending: number;
  held: number;
  delivered: number;
  dead: number;
  dropped: number;
}

/**
 * The state and outcome of the last verification requested for a stream.
 *
 * @public
 */
export interface StreamVerification {
  /** The `state` the verification was requested with, if any. */
  state?: string;
  /** Delivery state of the verification SET (`unknown` once purged). */
  status?: SetState | 'unknown';
  requested_at: string;
  delivered_at?: string;
  error?: string;
}

/**
 * A stream as the admin view (`GET /admin/streams`) returns it: the stream
 * configuration plus its owner, status and delivery statistics.
 *
 * @public
 */
export type AdminStream = StreamConfiguration & {
  client_id: string;
  status: StreamStatusValue;
  reason?: string;
  created_at: string;
  updated_at: string;
  stats: StreamStats;
  last_error?: { message: string; at: string };
  last_delivered_at?: string;
  last_verification?: StreamVerification;
};

/**
 * Delivery state of one Security Event Token in a stream's outbox.
 *
 * @public
 */
export type SetState = 'pending' | 'held' | 'delivered' | 'dead' | 'dropped';

/**
 * One Security Event Token queued for, or delivered to, a stream.
 *
 * @public
 */
export interface StreamSet {
  jti: string;
  event_type: string;
  state: SetState;
  /** The transaction ID shared by SETs emitted for one change. */
  txn?: string;
  attempts: number;
  created_at: string;
  delivered_at?: string;
  last_error?: string;
  /** The SET as a compact JWS. */
  set: string;
}

/**
 * A page of items and the total number of items matching the query.
 *
 * @public
 */
export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * Query for a stream's SETs.
 *
 * @public
 */
export interface StreamSetsQuery {
  /** `held` SETs are listed as `pending`. */
  state?: Exclude<SetState, 'held'>;
  limit?: number;
  offset?: number;
}

/**
 * Filters and paging for received events (newest first). `cursor` is the
 * `next_cursor` of the previous page.
 *
 * @public
 */
export interface ReceivedEventsQuery {
  provider_id?: string;
  event_type?: string;
  subject?: string;
  /** ISO 8601 date-time with offset. */
  since?: string;
  /** ISO 8601 date-time with offset. */
  until?: string;
  limit?: number;
  cursor?: string;
}

/**
 * One received event with its compact SET and decoded claims.
 *
 * @public
 */
export type ReceivedEventDetail = ReceivedSecurityEvent & {
  set: string;
  claims: Record<string, unknown>;
};

/**
 * The transmitter's public signing keys.
 *
 * @public
 */
export interface JsonWebKeySet {
  keys: Array<Record<string, unknown> & { kid?: string; kty: string }>;
}
