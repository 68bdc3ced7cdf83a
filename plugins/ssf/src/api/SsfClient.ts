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
  createSsfApiClient,
  CreateSecurityEventsProviderRequest,
  CreateStreamRequest,
  ReceivedSecurityEventList,
  ReplaceSecurityEventsProviderRequest,
  SecurityEventsProvider,
  SecurityEventsProviderRemoteStream,
  SsfApiClient,
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
 * The default {@link SsfApi}: calls the `ssf` backend plugin through the
 * discovery and fetch APIs, so requests carry the user's credentials.
 *
 * @public
 */
export class SsfClient implements SsfApi {
  readonly #api: SsfApiClient;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    const { discoveryApi, fetchApi } = options;
    this.#api = createSsfApiClient({
      baseUrl: () => discoveryApi.getBaseUrl('ssf'),
      // A failed request rejects here, with the backend's own words, before
      // the typed client reads the body: callers only see successes.
      fetch: async (url, init) => {
        let response: Response;
        try {
          response = await fetchApi.fetch(url, init);
        } catch (error) {
          throw toNetworkError(error);
        }
        if (!response.ok) {
          throw await toRequestError(response);
        }
        return response;
      },
    });
  }

  getTransmitterMetadata(): Promise<TransmitterMetadata> {
    return dataOf(this.#api.request('get', '/.well-known/ssf-configuration'));
  }

  getJwks(): Promise<JsonWebKeySet> {
    return dataOf(this.#api.request('get', '/jwks'));
  }

  getSecurityPosture(): Promise<SecurityPosture> {
    return dataOf(this.#api.request('get', '/admin/security-posture'));
  }

  async listStreams(): Promise<AdminStream[]> {
    const { items } = await dataOf(this.#api.request('get', '/admin/streams'));
    return items;
  }

  async listReceiverProfiles(): Promise<ReceiverProfile[]> {
    const { items } = await dataOf(
      this.#api.request('get', '/receiver-profiles'),
    );
    return items;
  }

  createStream(request: CreateStreamRequest): Promise<StreamConfiguration> {
    return dataOf(this.#api.request('post', '/streams', { body: request }));
  }

  updateStream(request: UpdateStreamRequest): Promise<StreamConfiguration> {
    return dataOf(this.#api.request('patch', '/streams', { body: request }));
  }

  async deleteStream(streamId: string): Promise<void> {
    await this.#api.request('delete', '/streams', {
      params: { query: { stream_id: streamId } },
    });
  }

  setStreamStatus(
    streamId: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus> {
    return dataOf(
      this.#api.request('post', '/streams/status', {
        body: { stream_id: streamId, status, ...(reason ? { reason } : {}) },
      }),
    );
  }

  async verifyStream(streamId: string, state?: string): Promise<void> {
    await this.#api.request('post', '/streams/verify', {
      body: { stream_id: streamId, ...(state ? { state } : {}) },
    });
  }

  listStreamSets(
    streamId: string,
    query: StreamSetsQuery = {},
  ): Promise<Page<StreamSet>> {
    return dataOf(
      this.#api.request('get', '/admin/streams/sets', {
        params: { query: { stream_id: streamId, ...query } },
      }),
    );
  }

  redeliverStreamSets(
    streamId: string,
    jti?: string,
  ): Promise<{ redelivered: number }> {
    return dataOf(
      this.#api.request('post', '/admin/streams/redeliver', {
        body: { stream_id: streamId, ...(jti ? { jti } : {}) },
      }),
    );
  }

  getStreamHistory(streamId: string, hours?: number): Promise<StreamHistory> {
    return dataOf(
      this.#api.request('get', '/admin/streams/history', {
        params: { query: { stream_id: streamId, hours } },
      }),
    );
  }

  listProviders(): Promise<SecurityEventsProvider[]> {
    return dataOf(this.#api.request('get', '/security-events-providers'));
  }

  createProvider(
    request: CreateSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider> {
    return dataOf(
      this.#api.request('post', '/security-events-providers', {
        body: request,
      }),
    );
  }

  replaceProvider(
    id: string,
    request: ReplaceSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider> {
    return dataOf(
      this.#api.request('put', '/security-events-providers/{id}', {
        params: { path: { id } },
        body: request,
      }),
    );
  }

  async deleteProvider(id: string): Promise<void> {
    await this.#api.request('delete', '/security-events-providers/{id}', {
      params: { path: { id } },
    });
  }

  setProviderActive(
    id: string,
    active: boolean,
  ): Promise<SecurityEventsProvider> {
    const init = { params: { path: { id } } };
    return dataOf(
      active
        ? this.#api.request(
            'post',
            '/security-events-providers/{id}/lifecycle/activate',
            init,
          )
        : this.#api.request(
            'post',
            '/security-events-providers/{id}/lifecycle/deactivate',
            init,
          ),
    );
  }

  listReceivedEvents(
    query: ReceivedEventsQuery = {},
  ): Promise<ReceivedSecurityEventList> {
    return dataOf(
      this.#api.request('get', '/received-events', {
        params: { query: withoutEmpty(query) },
      }),
    );
  }

  getReceivedEvent(id: string): Promise<ReceivedEventDetail> {
    return dataOf(
      this.#api.request('get', '/received-events/{id}', {
        params: { path: { id } },
      }),
    );
  }

  getProviderHistory(
    providerId: string,
    hours?: number,
  ): Promise<ProviderHistory> {
    return dataOf(
      this.#api.request('get', '/received-events/history', {
        params: { query: { provider_id: providerId, hours } },
      }),
    );
  }

  async listHooks(): Promise<LifecycleHook[]> {
    const { items } = await dataOf(this.#api.request('get', '/hooks'));
    return items;
  }

  getHook(id: string): Promise<LifecycleHook> {
    return dataOf(
      this.#api.request('get', '/hooks/{id}', { params: { path: { id } } }),
    );
  }

  createHook(input: LifecycleHookInput): Promise<LifecycleHook> {
    return dataOf(this.#api.request('post', '/hooks', { body: input }));
  }

  replaceHook(id: string, input: LifecycleHookInput): Promise<LifecycleHook> {
    return dataOf(
      this.#api.request('put', '/hooks/{id}', {
        params: { path: { id } },
        body: input,
      }),
    );
  }

  setHookEnabled(id: string, enabled: boolean): Promise<LifecycleHook> {
    return dataOf(
      this.#api.request('patch', '/hooks/{id}', {
        params: { path: { id } },
        body: { enabled },
      }),
    );
  }

  async deleteHook(id: string): Promise<void> {
    await this.#api.request('delete', '/hooks/{id}', {
      params: { path: { id } },
    });
  }

  dryRunHooks(request: HookDryRunRequest): Promise<HookDryRunResult> {
    return dataOf(
      this.#api.request('post', '/hooks/dry-run', { body: request }),
    );
  }

  listHookFirings(query: HookFiringsQuery = {}): Promise<HookFiringList> {
    return dataOf(
      this.#api.request('get', '/hook-firings', {
        params: { query: withoutEmpty(query) },
      }),
    );
  }

  getLifecycleStatus(): Promise<LifecycleStatus> {
    return dataOf(this.#api.request('get', '/lifecycle/status'));
  }

  async reconcileLifecycle(): Promise<void> {
    // 202 with `{ triggered: true }`: the run itself happens in the
    // background, so there is nothing to return.
    await this.#api.request('post', '/lifecycle/reconcile');
  }

  getProviderRemoteStream(
    id: string,
  ): Promise<SecurityEventsProviderRemoteStream> {
    return dataOf(
      this.#api.request(
        'get',
        '/security-events-providers/{id}/remote-stream',
        {
          params: { path: { id } },
        },
      ),
    );
  }

  getProviderRemoteStreamStatus(id: string): Promise<StreamStatus> {
    return dataOf(
      this.#api.request(
        'get',
        '/security-events-providers/{id}/remote-stream/status',
        {
          params: { path: { id } },
        },
      ),
    );
  }

  setProviderRemoteStreamStatus(
    id: string,
    status: StreamStatusValue,
    reason?: string,
  ): Promise<StreamStatus> {
    return dataOf(
      this.#api.request(
        'post',
        '/security-events-providers/{id}/remote-stream/status',
        {
          params: { path: { id } },
          body: { status, ...(reason ? { reason } : {}) },
        },
      ),
    );
  }

  updateProviderRemoteStream(
    id: string,
    request: UpdateProviderRemoteStreamRequest,
  ): Promise<SecurityEventsProviderRemoteStream> {
    return dataOf(
      this.#api.request(
        'patch',
        '/security-events-providers/{id}/remote-stream',
        {
          params: { path: { id } },
          body: request,
        },
      ),
    );
  }

  getProviderRelay(providerId: string): Promise<ProviderRelayRule> {
    return dataOf(
      this.#api.request('get', '/security-events-providers/{id}/relay', {
        params: { path: { id: providerId } },
      }),
    );
  }

  setProviderRelay(
    providerId: string,
    rule: ProviderRelayRuleRequest,
  ): Promise<ProviderRelayRule> {
    return dataOf(
      this.#api.request('put', '/security-events-providers/{id}/relay', {
        params: { path: { id: providerId } },
        body: rule,
      }),
    );
  }

  getPersonSignals(entityRef: string, limit?: number): Promise<PersonSignals> {
    return dataOf(
      this.#api.request('get', '/people/signals', {
        params: { query: { entity_ref: entityRef, limit } },
      }),
    );
  }
}

/**
 * The body of a successful answer. A failed request has already rejected in
 * the client's `fetch`, so there is no `error` to look at here.
 */
async function dataOf<T>(call: Promise<{ data?: T }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

/**
 * A query without the filters left empty: the pages' filter fields give ''
 * for "any", which the backend would take as a value to match.
 */
function withoutEmpty<T extends object>(query: T): T {
  return Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== ''),
  ) as T;
}
