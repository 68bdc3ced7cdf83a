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

import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
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
import { toNetworkError, toRequestError } from './errors';
import { SsfApi } from './SsfApi';
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
  ReceivedEventDetail,
  ReceivedEventsQuery,
  ReceiverProfile,
  StreamSet,
  StreamSetsQuery,
  UpdateProviderRemoteStreamRequest,
  SecurityPosture,
} from './types';

type Query = Record<string, string | number | undefined>;

/**
 * The default {@link SsfApi}: calls the `ssf` backend plugin through the
 * discovery and fetch APIs, so requests carry the user's credentials.
 *
 * @public
 */
export class SsfClient implements SsfApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  getTransmitterMetadata(): Promise<TransmitterMetadata> {
    return this.#json('GET', '/.well-known/ssf-configuration');
  }

  getJwks(): Promise<JsonWebKeySet> {
    return this.#json('GET', '/jwks');
  }

  getSecurityPosture(): Promise<SecurityPosture> {
    return this.#json('GET', '/admin/security-posture');
  }

  async listStreams(): Promise<AdminStream[]> {
    const { items } = await this.#json<{ items: AdminStream[] }>(
      'GET',
      '/admin/streams',
    );
    return items;
  }

  async listReceiverProfiles(): Promise<ReceiverProfile[]> {
    const { items } = await this.#json<{ items: ReceiverProfile[] }>(
      'GET',
      '/receiver-profiles',
    );
    return items;
  }

  createStream(request: CreateStreamRequest): Promise<StreamConfiguration> {
    return this.#json('POST', '/streams', { body: request });
  }

  updateStream(request: UpdateStreamRequest): Promise<StreamConfiguration> {
    return this.#json('PATCH', '/streams', { body: request });
  }

  async deleteStream(streamId: string): Promise<void> {
    await this.#send('DELETE', '/streams', { query: { stream_id: streamId } });
  }

  setStreamStatus(
    streamId: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus> {
    return this.#json('POST', '/streams/status', {
      body: { stream_id: streamId, status, ...(reason ? { reason } : {}) },
    });
  }

  async verifyStream(streamId: string, state?: string): Promise<void> {
    await this.#send('POST', '/streams/verify', {
      body: { stream_id: streamId, ...(state ? { state } : {}) },
    });
  }

  listStreamSets(
    streamId: string,
    query: StreamSetsQuery = {},
  ): Promise<Page<StreamSet>> {
    return this.#json('GET', '/admin/streams/sets', {
      query: { stream_id: streamId, ...query },
    });
  }

  redeliverStreamSets(
    streamId: string,
    jti?: string,
  ): Promise<{ redelivered: number }> {
    return this.#json('POST', '/admin/streams/redeliver', {
      body: { stream_id: streamId, ...(jti ? { jti } : {}) },
    });
  }

  listProviders(): Promise<SecurityEventsProvider[]> {
    return this.#json('GET', '/security-events-providers');
  }

  createProvider(
    request: CreateSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider> {
    return this.#json('POST', '/security-events-providers', { body: request });
  }

  replaceProvider(
    id: string,
    request: ReplaceSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider> {
    return this.#json('PUT', `/security-events-providers/${enc(id)}`, {
      body: request,
    });
  }

  async deleteProvider(id: string): Promise<void> {
    await this.#send('DELETE', `/security-events-providers/${enc(id)}`);
  }

  setProviderActive(
    id: string,
    active: boolean,
  ): Promise<SecurityEventsProvider> {
    const action = active ? 'activate' : 'deactivate';
    return this.#json(
      'POST',
      `/security-events-providers/${enc(id)}/lifecycle/${action}`,
    );
  }

  listReceivedEvents(
    query: ReceivedEventsQuery = {},
  ): Promise<ReceivedSecurityEventList> {
    return this.#json('GET', '/received-events', { query: { ...query } });
  }

  getReceivedEvent(id: string): Promise<ReceivedEventDetail> {
    return this.#json('GET', `/received-events/${enc(id)}`);
  }

  async listHooks(): Promise<LifecycleHook[]> {
    const { items } = await this.#json<{ items: LifecycleHook[] }>(
      'GET',
      '/hooks',
    );
    return items;
  }

  getHook(id: string): Promise<LifecycleHook> {
    return this.#json('GET', `/hooks/${enc(id)}`);
  }

  createHook(input: LifecycleHookInput): Promise<LifecycleHook> {
    return this.#json('POST', '/hooks', { body: input });
  }

  replaceHook(id: string, input: LifecycleHookInput): Promise<LifecycleHook> {
    return this.#json('PUT', `/hooks/${enc(id)}`, { body: input });
  }

  setHookEnabled(id: string, enabled: boolean): Promise<LifecycleHook> {
    return this.#json('PATCH', `/hooks/${enc(id)}`, { body: { enabled } });
  }

  async deleteHook(id: string): Promise<void> {
    await this.#send('DELETE', `/hooks/${enc(id)}`);
  }

  dryRunHooks(request: HookDryRunRequest): Promise<HookDryRunResult> {
    return this.#json('POST', '/hooks/dry-run', { body: request });
  }

  listHookFirings(query: HookFiringsQuery = {}): Promise<HookFiringList> {
    return this.#json('GET', '/hook-firings', { query: { ...query } });
  }

  getLifecycleStatus(): Promise<LifecycleStatus> {
    return this.#json('GET', '/lifecycle/status');
  }

  async reconcileLifecycle(): Promise<void> {
    // 202 with `{ triggered: true }`: the run itself happens in the
    // background, so there is nothing to return.
    await this.#send('POST', '/lifecycle/reconcile');
  }

  getProviderRemoteStream(
    id: string,
  ): Promise<SecurityEventsProviderRemoteStream> {
    return this.#json('GET', remoteStreamPath(id));
  }

  getProviderRemoteStreamStatus(id: string): Promise<StreamStatus> {
    return this.#json('GET', `${remoteStreamPath(id)}/status`);
  }

  setProviderRemoteStreamStatus(
    id: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus> {
    return this.#json('POST', `${remoteStreamPath(id)}/status`, {
      body: { status, ...(reason ? { reason } : {}) },
    });
  }

  updateProviderRemoteStream(
    id: string,
    request: UpdateProviderRemoteStreamRequest,
  ): Promise<SecurityEventsProviderRemoteStream> {
    return this.#json('PATCH', remoteStreamPath(id), { body: request });
  }

  async #json<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<T> {
    const response = await this.#send(method, path, options);
    return (await response.json()) as T;
  }

  async #send(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown } = {},
  ): Promise<Response> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('ssf');
    const url = `${baseUrl}${path}${toSearch(options.query)}`;
    let response: Response;
    try {
      response = await this.#fetchApi.fetch(url, {
        method,
        ...(options.body !== undefined && {
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(options.body),
        }),
      });
    } catch (error) {
      throw toNetworkError(error);
    }
    if (!response.ok) {
      throw await toRequestError(response);
    }
    return response;
  }
}

function enc(value: string): string {
  return encodeURIComponent(value);
}

function toSearch(query: Query | undefined): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') {
      params.set(key, String(value));
    }
  }
  const search = params.toString();
  return search ? `?${search}` : '';
}

function remoteStreamPath(providerId: string): string {
  return `/security-events-providers/${enc(providerId)}/remote-stream`;
}
