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
  SubjectIdentifier,
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
 * A receiver profile the transmitter offers (`GET /receiver-profiles`): how
 * the SETs of a stream created with it are shaped for one kind of receiver.
 * `ssf` (plain SSF 1.0) is the default.
 *
 * @public
 */
export interface ReceiverProfile {
  /** What `receiver_profile` names, e.g. `ssf` or `okta`. */
  id: string;
  /** What the admin page calls it, e.g. "Okta Identity Threat Protection". */
  title: string;
  /** Which receivers it is for, in a sentence or two. */
  description?: string;
  /** The event types a stream with this profile may receive. */
  events_supported: string[];
  /** The only signing algorithms the receiver accepts, when it is picky. */
  signing_algorithms?: string[];
  /** Whether the receiver takes SSF stream events (verification, stream updated). */
  accepts_stream_events: boolean;
}

/**
 * Delivery state of one Security Event Token in a stream's outbox, as the
 * backend reports it. A paused stream's SETs are `pending` (held until the
 * stream is enabled).
 *
 * @public
 */
export type SetState = 'pending' | 'delivered' | 'dead' | 'dropped';

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
  state?: SetState;
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

/**
 * What makes a lifecycle hook fire. `from` and `to` are regular expressions
 * that must match the whole old or new value; an absent value is matched
 * as the empty string.
 *
 * @public
 */
export type LifecycleHookTrigger =
  | { on: 'attribute_changed'; path: string; from?: string; to?: string }
  | { on: 'user_added' }
  | { on: 'user_removed' };

/**
 * How a hook identifies the user in the SETs it emits.
 *
 * @public
 */
export type HookSubjectFormat = 'email' | 'iss_sub';

/**
 * A lifecycle hook: turns an identity change into a security event for the
 * streams that requested its event type. Hooks with `source: 'config'` come
 * from app-config and cannot be changed through the API.
 *
 * @public
 */
export interface LifecycleHook {
  id: string;
  name: string;
  description?: string;
  enabled: boolean;
  trigger: LifecycleHookTrigger;
  event_type: string;
  /** String values may hold `{{from}}`, `{{to}}`, `{{path}}`, `{{identity}}`, `{{email}}` and `{{name}}`. */
  payload_template: Record<string, unknown>;
  subject_format: HookSubjectFormat;
  source: 'config' | 'api';
  created_at: string;
  updated_at: string;
}

/**
 * The body that creates (`POST /hooks`) or replaces (`PUT /hooks/:id`) a
 * hook. Absent optional members take the backend's defaults.
 *
 * @public
 */
export interface LifecycleHookInput {
  name: string;
  description?: string;
  /** Defaults to `true`. */
  enabled?: boolean;
  trigger: LifecycleHookTrigger;
  event_type: string;
  /** Defaults to `{}`. */
  payload_template?: Record<string, unknown>;
  /** Defaults to the portal's configured format. */
  subject_format?: HookSubjectFormat;
}

/**
 * A change to one identity as the hooks see it.
 *
 * @public
 */
export type IdentityChange =
  | { kind: 'attribute_changed'; path: string; from?: string; to?: string }
  | { kind: 'user_added' }
  | { kind: 'user_removed' };

/**
 * A change submitted for a dry run: the subject, and either attribute values
 * before and after (`null` for an attribute that is gone) or `removed`.
 *
 * @public
 */
export interface HookDryRunChange {
  subject: SubjectIdentifier;
  before?: Record<string, string>;
  attributes?: Record<string, string | null>;
  removed?: boolean;
}

/**
 * The body of `POST /hooks/dry-run`. With `hook`, that unsaved hook is
 * tested instead of every enabled saved hook.
 *
 * @public
 */
export interface HookDryRunRequest {
  change: HookDryRunChange;
  hook?: LifecycleHookInput;
}

/**
 * An event a dry run found would be emitted, and the streams that would get
 * it.
 *
 * @public
 */
export interface HookDryRunEvent {
  hook_id?: string;
  hook_name: string;
  event_type: string;
  subject: Record<string, unknown>;
  payload: Record<string, unknown>;
  /** IDs of the streams that would receive the event. */
  streams: string[];
}

/**
 * What a dry run derived from the change, and what it would emit.
 *
 * @public
 */
export interface HookDryRunResult {
  changes: IdentityChange[];
  events: HookDryRunEvent[];
}

/**
 * One time a hook fired: the change that triggered it and the SETs queued.
 *
 * @public
 */
export interface HookFiring {
  id: string;
  hook_id: string;
  hook_name: string;
  /** The identity's entity reference, e.g. `user:default/jdoe`. */
  identity: string;
  subject: Record<string, unknown>;
  change: {
    kind: IdentityChange['kind'];
    path?: string;
    from?: string;
    to?: string;
  };
  event_type: string;
  txn: string;
  sets: Array<{ stream_id: string; jti: string }>;
  /** `catalog`, `api`, or the ID of the module that observed the change. */
  source: string;
  observed_at: string;
  fired_at: string;
}

/**
 * Filters and paging for hook firings (newest first). `cursor` is the
 * `next_cursor` of the previous page.
 *
 * @public
 */
export interface HookFiringsQuery {
  hook_id?: string;
  identity?: string;
  /** 1 to 200; the backend defaults to 50. */
  limit?: number;
  cursor?: string;
}

/**
 * A page of hook firings.
 *
 * @public
 */
export interface HookFiringList {
  items: HookFiring[];
  next_cursor?: string;
}

/**
 * The outcome of the last catalog reconciliation run.
 *
 * @public
 */
export interface CatalogReconcileRun {
  started_at: string;
  finished_at: string;
  users: number;
  added: number;
  removed: number;
  changed: number;
  events: number;
  /** Whether this run had no earlier snapshots to compare with. */
  first_run: boolean;
}

/**
 * The state of the catalog reconciliation that feeds identity changes to the
 * hooks (`GET /lifecycle/status`).
 *
 * @public
 */
export interface LifecycleStatus {
  catalog: {
    enabled: boolean;
    lifecycle_annotation: string;
    /** The number of user snapshots changes are compared against. */
    snapshots: number;
    last_run?: CatalogReconcileRun;
  };
}

/**
 * A change to a provider's stream at its transmitter: the members present
 * are replaced, absent ones stay (SSF 1.0 §8.1.1.3); at least one is given.
 *
 * @public
 */
export interface UpdateProviderRemoteStreamRequest {
  events_requested?: string[];
  description?: string;
}

/**
 * What `GET /admin/security-posture` says about the portal's permission
 * setup, for the signed-in user.
 *
 * @public
 */
export interface SecurityPosture {
  permissions_enabled: boolean;
  admin_groups: string[];
  caller: { in_admin_groups: boolean; may_manage: boolean };
  /** Each shown as a warning banner on the page. */
  warnings: Array<{
    id: 'permissions-disabled' | 'non-admin-can-manage';
    message: string;
  }>;
}
