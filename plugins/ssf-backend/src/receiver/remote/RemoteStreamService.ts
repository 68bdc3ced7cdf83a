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

import { ConflictError, CustomErrorBase, InputError } from '@backstage/errors';
import {
  CreateStreamRequest,
  DELIVERY_METHODS,
  StreamConfiguration,
  StreamStatus,
  StreamStatusValue,
} from '@shared-signals/plugin-ssf-common';
import { randomUUID } from 'node:crypto';
import { outboundRequest, OutboundRequest } from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig } from '../config';
import {
  fetchTransmitterMetadata,
  receiverPolicyMessage,
  RemoteTransmitterMetadata,
} from '../keys/transmitterMetadata';
import { ProviderRecord, ProviderStore } from '../providers/ProviderStore';
import { TransmitterCredentials } from './TransmitterCredentials';

/**
 * The provider's transmitter could not be reached or refused a request;
 * rendered as 502 with the transmitter's own message.
 *
 * @internal
 */
export class RemoteTransmitterError extends CustomErrorBase {
  name = 'RemoteTransmitterError' as const;
  statusCode = 502;
}

/**
 * Manages this receiver's stream at a provider's transmitter (SSF 1.0 §8.1),
 * on an admin's request: create it (push to this portal's ingestion URL, or
 * poll), read it, verify it with a state this receiver remembers, change its
 * status, delete it. Calls carry the OAuth credential configured for the
 * provider's issuer in `ssf.receiver.credentials`.
 *
 * @internal
 */
export class RemoteStreamService {
  readonly #store: ProviderStore;
  readonly #credentials: TransmitterCredentials;
  readonly #config: ReceiverConfig;
  readonly #ingestionUrl: string;
  readonly #resolve?: HostResolver;

  constructor(options: {
    store: ProviderStore;
    credentials: TransmitterCredentials;
    config: ReceiverConfig;
    /** Where the provider's transmitter pushes: this plugin's /security-events. */
    ingestionUrl: string;
    resolve?: HostResolver;
  }) {
    this.#store = options.store;
    this.#credentials = options.credentials;
    this.#config = options.config;
    this.#ingestionUrl = options.ingestionUrl;
    this.#resolve = options.resolve;
  }

  async create(
    provider: ProviderRecord,
    request: { events_requested: string[]; description?: string },
  ): Promise<StreamConfiguration> {
    if (provider.remoteStreamId) {
      throw new ConflictError(
        `Provider ${provider.id} already has a stream (${provider.remoteStreamId}) at its transmitter; delete it first`,
      );
    }
    const metadata = await this.#metadata(provider);
    const body: CreateStreamRequest = {
      delivery:
        provider.deliveryMethod === DELIVERY_METHODS.poll
          ? { method: DELIVERY_METHODS.poll }
          : { method: DELIVERY_METHODS.push, endpoint_url: this.#ingestionUrl },
      events_requested: request.events_requested,
      // aud is the transmitter's to set (SSF §8.1.1), but SETs must name this
      // receiver's audience to be accepted, so it is proposed at creation.
      aud: this.#config.audience[0],
      ...(request.description !== undefined && {
        description: request.description,
      }),
    };
    const stream = (await this.#call(provider, {
      method: 'POST',
      url: this.#endpoint(metadata, 'configuration_endpoint'),
      body,
    })) as StreamConfiguration;
    if (!stream || typeof stream.stream_id !== 'string') {
      throw new RemoteTransmitterError(
        "The provider's transmitter answered without a stream_id",
      );
    }
    await this.#store.patchState(provider.id, {
      remoteStreamId: stream.stream_id,
      remoteStreamStatus: 'enabled',
      remoteStreamUpdatedAt: new Date(),
    });
    return stream;
  }

  async get(provider: ProviderRecord): Promise<StreamConfiguration> {
    const streamId = this.#streamId(provider);
    const metadata = await this.#metadata(provider);
    return (await this.#call(provider, {
      method: 'GET',
      url: withQuery(
        this.#endpoint(metadata, 'configuration_endpoint'),
        streamId,
      ),
    })) as StreamConfiguration;
  }

  /**
   * Asks for a verification SET carrying a fresh state, which ingestion will
   * accept (and only it: a state this receiver did not issue is refused).
   */
  async verify(provider: ProviderRecord): Promise<{ state: string }> {
    const streamId = this.#streamId(provider);
    const metadata = await this.#metadata(provider);
    const state = randomUUID();
    await this.#store.patchState(provider.id, { verificationState: state });
    await this.#call(provider, {
      method: 'POST',
      url: this.#endpoint(metadata, 'verification_endpoint'),
      body: { stream_id: streamId, state },
    });
    return { state };
  }

  async setStatus(
    provider: ProviderRecord,
    request: { status: StreamStatusValue; reason?: string },
  ): Promise<StreamStatus> {
    const streamId = this.#streamId(provider);
    const metadata = await this.#metadata(provider);
    const status = (await this.#call(provider, {
      method: 'POST',
      url: this.#endpoint(metadata, 'status_endpoint'),
      body: { stream_id: streamId, ...request },
    })) as StreamStatus;
    await this.#store.patchState(provider.id, {
      remoteStreamStatus: status?.status ?? request.status,
      remoteStreamReason: status?.reason ?? request.reason,
      remoteStreamUpdatedAt: new Date(),
    });
    return status;
  }

  async delete(provider: ProviderRecord): Promise<void> {
    const streamId = this.#streamId(provider);
    const metadata = await this.#metadata(provider);
    await this.#call(provider, {
      method: 'DELETE',
      url: withQuery(
        this.#endpoint(metadata, 'configuration_endpoint'),
        streamId,
      ),
    });
    await this.#store.patchState(provider.id, {
      remoteStreamId: undefined,
      remoteStreamStatus: undefined,
      remoteStreamReason: undefined,
      remoteStreamUpdatedAt: new Date(),
    });
  }

  #streamId(provider: ProviderRecord): string {
    if (!provider.remoteStreamId) {
      throw new InputError(
        `Provider ${provider.id} has no stream at its transmitter yet; create one first`,
      );
    }
    return provider.remoteStreamId;
  }

  async #metadata(
    provider: ProviderRecord,
  ): Promise<RemoteTransmitterMetadata> {
    const url = provider.wellKnownUrl ?? wellKnownUrlFor(provider.issuer);
    try {
      return await fetchTransmitterMetadata(url, {
        policy: this.#config.urlPolicy,
        timeoutMs: this.#config.keys.fetchTimeoutMs,
        resolve: this.#resolve,
      });
    } catch (error) {
      throw new RemoteTransmitterError(
        `Could not read the transmitter metadata at ${url}: ${receiverPolicyMessage(
          (error as Error).message,
        )}`,
      );
    }
  }

  #endpoint(
    metadata: RemoteTransmitterMetadata,
    key: keyof RemoteTransmitterMetadata,
  ) {
    const value = metadata[key];
    if (typeof value !== 'string') {
      throw new RemoteTransmitterError(
        `The provider's transmitter metadata has no ${key}`,
      );
    }
    return value;
  }

  async #call(
    provider: ProviderRecord,
    request: { method: OutboundRequest['method']; url: string; body?: unknown },
  ): Promise<unknown> {
    const authorization = await this.#credentials.authorizationFor(
      provider.issuer,
    );
    if (!authorization) {
      throw new InputError(
        `No credential for issuer ${provider.issuer} in ssf.receiver.credentials; the transmitter's stream API needs an access token`,
      );
    }
    let response;
    try {
      response = await outboundRequest({
        method: request.method,
        url: request.url,
        field: "the provider's stream API",
        headers: {
          Accept: 'application/json',
          Authorization: authorization,
          ...(request.body !== undefined && {
            'Content-Type': 'application/json',
          }),
        },
        body:
          request.body !== undefined ? JSON.stringify(request.body) : undefined,
        timeoutMs: this.#config.keys.fetchTimeoutMs,
        policy: this.#config.urlPolicy,
        resolve: this.#resolve,
      });
    } catch (error) {
      throw new RemoteTransmitterError(
        `The provider's transmitter could not be reached: ${receiverPolicyMessage(
          (error as Error).message,
        )}`,
      );
    }
    let parsed: any = undefined;
    if (response.body.trim()) {
      try {
        parsed = JSON.parse(response.body);
      } catch {
        // not JSON
      }
    }
    if (response.status < 200 || response.status >= 300) {
      const message =
        parsed?.error?.message ??
        parsed?.description ??
        parsed?.errorSummary ??
        response.body.slice(0, 200);
      throw new RemoteTransmitterError(
        `The provider's transmitter answered HTTP ${response.status}${
          message ? `: ${message}` : ''
        }`,
      );
    }
    return parsed;
  }
}

/** SSF 1.0 §7.2: the well-known segment goes between the host and the issuer's path. */
function wellKnownUrlFor(issuer: string): string {
  const url = new URL(issuer);
  return `${url.origin}/.well-known/ssf-configuration${url.pathname.replace(
    /\/+$/,
    '',
  )}`;
}

function withQuery(endpoint: string, streamId: string): string {
  const url = new URL(endpoint);
  url.searchParams.set('stream_id', streamId);
  return url.toString();
}
