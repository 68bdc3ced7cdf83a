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

import { createApiRef } from '@backstage/core-plugin-api';
import {
  CreateSecurityEventsProviderRequest,
  CreateStreamRequest,
  ReceivedSecurityEventList,
  ReplaceSecurityEventsProviderRequest,
  SecurityEventsProvider,
  SecurityEventsProviderRemoteStream,
  StreamConfiguration,
  StreamStatus,
  StreamStatusValue,
  TransmitterMetadata,
  UpdateStreamRequest,
} from '@shared-signals/plugin-ssf-common';
import {
  AdminStream,
  HookDryRunRequest,
  HookDryRunResult,
  HookFiringList,
  HookFiringsQuery,
  JsonWebKeySet,
  LifecycleHook,
  LifecycleHookInput,
  LifecycleStatus,
  Page,
  PersonSignals,
  ProviderHistory,
  ProviderRelayRule,
  ProviderRelayRuleRequest,
  ReceivedEventDetail,
  ReceivedEventsQuery,
  ReceiverProfile,
  StreamHistory,
  StreamSet,
  StreamSetsQuery,
  UpdateProviderRemoteStreamRequest,
  SecurityPosture,
} from './types';

/**
 * Client for the Shared Signals backend (`/api/ssf`). Every method rejects
 * with an `Error` whose message is fit to show to a user.
 *
 * @public
 */
export interface SsfApi {
  /** The transmitter configuration metadata (SSF §7.1). */
  getTransmitterMetadata(): Promise<TransmitterMetadata>;
  /** The transmitter's public signing keys. */
  getJwks(): Promise<JsonWebKeySet>;
  /**
   * Whether the portal's permission setup keeps SSF administration to the
   * SSF admin groups, for the signed-in user: the page's warning banner.
   */
  getSecurityPosture(): Promise<SecurityPosture>;

  /** Every stream with its owner, status and delivery statistics. */
  listStreams(): Promise<AdminStream[]>;
  /** The receiver profiles a stream can be created with, as the transmitter lists them. */
  listReceiverProfiles(): Promise<ReceiverProfile[]>;
  /** Creates a stream, for the client in `client_id` when given. */
  createStream(request: CreateStreamRequest): Promise<StreamConfiguration>;
  /** Changes the properties present in the request (`PATCH /streams`). */
  updateStream(request: UpdateStreamRequest): Promise<StreamConfiguration>;
  deleteStream(streamId: string): Promise<void>;
  setStreamStatus(
    streamId: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus>;
  /** Asks the transmitter to send a verification event to the stream. */
  verifyStream(streamId: string, state?: string): Promise<void>;
  /** The SETs of a stream, newest first. */
  listStreamSets(
    streamId: string,
    query?: StreamSetsQuery,
  ): Promise<Page<StreamSet>>;
  /** Puts dead-lettered SETs (or the one with `jti`) back in the queue. */
  redeliverStreamSets(
    streamId: string,
    jti?: string,
  ): Promise<{ redelivered: number }>;
  /**
   * A stream's deliveries per hour over the last `hours` hours (the
   * backend's default window when absent).
   */
  getStreamHistory(streamId: string, hours?: number): Promise<StreamHistory>;

  /** Every Security Events Provider (transmitter this portal receives from). */
  listProviders(): Promise<SecurityEventsProvider[]>;
  createProvider(
    request: CreateSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider>;
  replaceProvider(
    id: string,
    request: ReplaceSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider>;
  deleteProvider(id: string): Promise<void>;
  /** Activates (`true`) or deactivates (`false`) a provider. */
  setProviderActive(
    id: string,
    active: boolean,
  ): Promise<SecurityEventsProvider>;

  /** A page of received events, newest first. */
  listReceivedEvents(
    query?: ReceivedEventsQuery,
  ): Promise<ReceivedSecurityEventList>;
  /** One received event with its SET. */
  getReceivedEvent(id: string): Promise<ReceivedEventDetail>;
  /**
   * The SETs a provider sent per hour over the last `hours` hours (the
   * backend's default window when absent), accepted and rejected.
   */
  getProviderHistory(
    providerId: string,
    hours?: number,
  ): Promise<ProviderHistory>;

  /** Every lifecycle hook, from app-config and created through the API. */
  listHooks(): Promise<LifecycleHook[]>;
  getHook(id: string): Promise<LifecycleHook>;
  createHook(input: LifecycleHookInput): Promise<LifecycleHook>;
  /** Replaces an API hook; app-config hooks are refused (409). */
  replaceHook(id: string, input: LifecycleHookInput): Promise<LifecycleHook>;
  /** Enables (`true`) or disables (`false`) an API hook. */
  setHookEnabled(id: string, enabled: boolean): Promise<LifecycleHook>;
  deleteHook(id: string): Promise<void>;
  /** What the hooks would emit for a change, without emitting anything. */
  dryRunHooks(request: HookDryRunRequest): Promise<HookDryRunResult>;
  /** A page of hook firings, newest first. */
  listHookFirings(query?: HookFiringsQuery): Promise<HookFiringList>;
  /** The state of the catalog reconciliation that feeds the hooks. */
  getLifecycleStatus(): Promise<LifecycleStatus>;
  /** Starts a catalog reconciliation now; it runs in the background. */
  reconcileLifecycle(): Promise<void>;

  /**
   * Reads the provider's stream at its transmitter, records it and returns
   * the provider's `remote_stream` view.
   */
  getProviderRemoteStream(
    id: string,
  ): Promise<SecurityEventsProviderRemoteStream>;
  /** Reads the status of the provider's stream at its transmitter. */
  getProviderRemoteStreamStatus(id: string): Promise<StreamStatus>;
  /** Enables, pauses or disables the provider's stream at its transmitter. */
  setProviderRemoteStreamStatus(
    id: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus>;
  /**
   * Changes the members present in the request of the provider's stream at
   * its transmitter (SSF 1.0 §8.1.1.3) and returns the `remote_stream` view.
   */
  updateProviderRemoteStream(
    id: string,
    request: UpdateProviderRemoteStreamRequest,
  ): Promise<SecurityEventsProviderRemoteStream>;

  /**
   * Which event types received from the provider are re-sent to the
   * portal's streams (no event types when it relays nothing).
   */
  getProviderRelay(providerId: string): Promise<ProviderRelayRule>;
  /**
   * Replaces the provider's relay rule; every event type must be one the
   * transmitter supports (else the backend answers 400).
   */
  setProviderRelay(
    providerId: string,
    rule: ProviderRelayRuleRequest,
  ): Promise<ProviderRelayRule>;

  /**
   * The recent security events about one catalog user (`user:…` entity
   * ref), at most `limit` received and `limit` sent ones (the backend's
   * default when absent).
   */
  getPersonSignals(entityRef: string, limit?: number): Promise<PersonSignals>;
}

/**
 * Utility API reference for {@link SsfApi}.
 *
 * @public
 */
export const ssfApiRef = createApiRef<SsfApi>({
  id: 'plugin.ssf.service',
});
