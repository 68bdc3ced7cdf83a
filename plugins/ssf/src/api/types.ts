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

// The wire types of the admin pages, named as the pages know them. Each is
// the type generated from the backend's OpenAPI documents
// (plugins/ssf-backend/src/schema/*.yaml) that
// @shared-signals/plugin-ssf-common exports, so a change to the contract
// shows up here at compile time.

import type {
  SsfAdminComponents,
  SsfAdminOperations,
  SsfHooksComponents,
  SsfHooksOperations,
  SsfPeopleComponents,
  SsfProvidersComponents,
  SsfProvidersOperations,
  SsfStreamsComponents,
} from '@shared-signals/plugin-ssf-common';

/**
 * Delivery counters of a stream, by SET state.
 *
 * @public
 */
export type StreamStats = SsfAdminComponents['schemas']['StreamStats'];

/**
 * The state and outcome of the last verification requested for a stream.
 *
 * @public
 */
export type StreamVerification =
  SsfAdminComponents['schemas']['StreamVerification'];

/**
 * A stream as the admin view (`GET /admin/streams`) returns it: the stream
 * configuration plus its owner, status and delivery statistics.
 *
 * @public
 */
export type AdminStream = SsfAdminComponents['schemas']['AdminStream'];

/**
 * A receiver profile the transmitter offers (`GET /receiver-profiles`): how
 * the SETs of a stream created with it are shaped for one kind of receiver.
 * `ssf` (plain SSF 1.0) is the default.
 *
 * @public
 */
export type ReceiverProfile =
  SsfStreamsComponents['schemas']['ReceiverProfile'];

/**
 * Delivery state of one Security Event Token in a stream's outbox, as the
 * backend reports it. A paused stream's SETs are `pending` (held until the
 * stream is enabled).
 *
 * @public
 */
export type SetState = SsfAdminComponents['schemas']['SetState'];

/**
 * One Security Event Token queued for, or delivered to, a stream.
 *
 * @public
 */
export type StreamSet = SsfAdminComponents['schemas']['AdminSet'];

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
 * Query for a stream's SETs (`GET /admin/streams/sets` without the stream).
 *
 * @public
 */
export type StreamSetsQuery = Omit<
  SsfAdminOperations['adminListStreamSets']['parameters']['query'],
  'stream_id'
>;

/**
 * Filters and paging for received events (newest first). `cursor` is the
 * `next_cursor` of the previous page.
 *
 * @public
 */
export type ReceivedEventsQuery = NonNullable<
  SsfProvidersOperations['listReceivedEvents']['parameters']['query']
>;

/**
 * One received event with its compact SET and decoded claims.
 *
 * @public
 */
export type ReceivedEventDetail =
  SsfProvidersComponents['schemas']['ReceivedEventDetail'];

/**
 * `GET /admin/streams/history`: a stream's delivered, failed and
 * dead-lettered SETs per hour, oldest hour first.
 *
 * @public
 */
export type StreamHistory = SsfAdminComponents['schemas']['DeliveryHistory'];

/**
 * `GET /received-events/history`: the SETs a provider sent per hour, oldest
 * hour first, and the rejected ones by the `err` code the receiver answered.
 *
 * @public
 */
export type ProviderHistory =
  SsfProvidersComponents['schemas']['ReceivedEventsHistory'];

/**
 * The transmitter's public signing keys.
 *
 * @public
 */
export type JsonWebKeySet = SsfStreamsComponents['schemas']['JwkSet'];

/**
 * What makes a lifecycle hook fire. `from` and `to` are regular expressions
 * that must match the whole old or new value; an absent value is matched
 * as the empty string.
 *
 * @public
 */
export type LifecycleHookTrigger = SsfHooksComponents['schemas']['Trigger'];

/**
 * How a hook identifies the user in the SETs it emits.
 *
 * @public
 */
export type HookSubjectFormat = SsfHooksComponents['schemas']['SubjectFormat'];

/**
 * A lifecycle hook: turns an identity change into a security event for the
 * streams that requested its event type. Hooks with `source: 'config'` come
 * from app-config and cannot be changed through the API.
 *
 * @public
 */
export type LifecycleHook = SsfHooksComponents['schemas']['Hook'];

/**
 * The body that creates (`POST /hooks`) or replaces (`PUT /hooks/:id`) a
 * hook. Absent optional members take the backend's defaults.
 *
 * @public
 */
export type LifecycleHookInput = SsfHooksComponents['schemas']['HookInput'];

/**
 * A change to one identity as the hooks see it.
 *
 * @public
 */
export type IdentityChange =
  SsfHooksComponents['schemas']['IdentityChangeKind'];

/**
 * A change submitted for a dry run: the subject, and either attribute values
 * before and after (`null` for an attribute that is gone) or `removed`.
 *
 * @public
 */
export type HookDryRunChange = SsfHooksComponents['schemas']['DryRunChange'];

/**
 * The body of `POST /hooks/dry-run`. With `hook`, that unsaved hook is
 * tested instead of every enabled saved hook.
 *
 * @public
 */
export type HookDryRunRequest = SsfHooksComponents['schemas']['DryRunRequest'];

/**
 * An event a dry run found would be emitted, and the streams that would get
 * it.
 *
 * @public
 */
export type HookDryRunEvent = SsfHooksComponents['schemas']['DryRunEvent'];

/**
 * What a dry run derived from the change, and what it would emit.
 *
 * @public
 */
export type HookDryRunResult = SsfHooksComponents['schemas']['DryRunResult'];

/**
 * One time a hook fired: the change that triggered it and the SETs queued.
 *
 * @public
 */
export type HookFiring = SsfHooksComponents['schemas']['Firing'];

/**
 * Filters and paging for hook firings (newest first). `cursor` is the
 * `next_cursor` of the previous page.
 *
 * @public
 */
export type HookFiringsQuery = NonNullable<
  SsfHooksOperations['listHookFirings']['parameters']['query']
>;

/**
 * A page of hook firings.
 *
 * @public
 */
export type HookFiringList = SsfHooksComponents['schemas']['FiringList'];

/**
 * The outcome of the last catalog reconciliation run.
 *
 * @public
 */
export type CatalogReconcileRun = SsfHooksComponents['schemas']['Run'];

/**
 * The state of the catalog reconciliation that feeds identity changes to the
 * hooks (`GET /lifecycle/status`).
 *
 * @public
 */
export type LifecycleStatus = SsfHooksComponents['schemas']['LifecycleStatus'];

/**
 * A change to a provider's stream at its transmitter: the members present
 * are replaced, absent ones stay (SSF 1.0 §8.1.1.3); at least one is given.
 *
 * @public
 */
export type UpdateProviderRemoteStreamRequest =
  SsfProvidersComponents['schemas']['UpdateRemoteStreamRequest'];

/**
 * What `GET /admin/security-posture` says about the portal's permission
 * setup, for the signed-in user.
 *
 * @public
 */
export type SecurityPosture = SsfAdminComponents['schemas']['SecurityPosture'];

/**
 * Which event types received from a provider the portal re-sends to its own
 * streams, as new SETs of its transmitter (`GET` and `PUT` of
 * `/security-events-providers/:id/relay`), and which it may name
 * (`relayable_event_types`). No event types relays nothing.
 *
 * @public
 */
export type ProviderRelayRule = SsfProvidersComponents['schemas']['RelayRule'];

/**
 * The body that replaces a provider's relay rule: event types the
 * transmitter supports (`events_supported`), at most 64.
 *
 * @public
 */
export type ProviderRelayRuleRequest =
  SsfProvidersComponents['schemas']['RelayRuleRequest'];

/**
 * A subject identifier a user was matched by (`email` or `iss_sub`).
 *
 * @public
 */
export type PersonIdentity = SsfPeopleComponents['schemas']['PersonIdentity'];

/**
 * A received event about a user.
 *
 * @public
 */
export type PersonReceivedEvent =
  SsfPeopleComponents['schemas']['PersonReceivedEvent'];

/**
 * An event sent about a user, with where its delivery stands.
 *
 * @public
 */
export type PersonSentEvent = SsfPeopleComponents['schemas']['PersonSentEvent'];

/**
 * `GET /people/signals`: the recent security events about one catalog user.
 * `received` is absent when the caller lacks `ssf.provider.read`, `sent`
 * when they lack `ssf.stream.read`.
 *
 * @public
 */
export type PersonSignals = SsfPeopleComponents['schemas']['PersonSignals'];
