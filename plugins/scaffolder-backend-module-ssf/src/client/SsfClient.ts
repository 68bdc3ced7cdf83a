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
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  CreateSecurityEventsProviderRequest,
  CreateStreamRequest,
  SecurityEventsProvider,
  StreamConfiguration,
  StreamStatus,
  StreamStatusValue,
  TransmitterMetadata,
} from '@shared-signals/plugin-ssf-common';
import { errorMessageFrom } from './errors';

/**
 * The last verification of a stream, as the SSF admin view shows it.
 *
 * @public
 */
export interface SsfVerificationView {
  state?: string;
  requested_at: string;
  /** The outbox state of the verification SET: pending, delivered, dead, dropped or unknown. */
  status: string;
  delivered_at?: string;
  error?: string;
}

/**
 * One stream in `GET /admin/streams` (only the fields the actions read).
 *
 * @public
 */
export interface SsfAdminStreamView extends StreamConfiguration {
  client_id: string;
  status: StreamStatusValue;
  last_verification?: SsfVerificationView;
}

/**
 * Options for {@link SsfClient}.
 *
 * @public
 */
export interface SsfClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Defaults to the global fetch; tests may replace it. */
  fetch?: typeof fetch;
}

interface RequestOptions {
  query?: Record<string, string>;
  body?: unknown;
  /** Names the stream or provider the request is about, for a clear 404. */
  subject?: string;
}

/**
 * A small client for the SSF backend (`/api/ssf`). Every call is made with a
 * plugin request token on behalf of the given credentials, so the SSF
 * permissions apply to the user who ran the template, not to the scaffolder.
 *
 * @public
 */
export class SsfClient {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #fetch: typeof fetch;

  constructor(options: SsfClientOptions) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#fetch = options.fetch ?? ((...args) => fetch(...args));
  }

  /** The SSF backend's base URL, as other plugins reach it. */
  async baseUrl(): Promise<string> {
    return this.#discovery.getBaseUrl('ssf');
  }

  /** The public transmitter metadata (no credentials needed). */
  async getMetadata(): Promise<TransmitterMetadata> {
    return this.#request(undefined, 'GET', '/.well-known/ssf-configuration');
  }

  async createStream(
    credentials: BackstageCredentials,
    body: CreateStreamRequest,
  ): Promise<StreamConfiguration> {
    return this.#request(credentials, 'POST', '/streams', { body });
  }

  async getStream(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<StreamConfiguration> {
    return this.#request(credentials, 'GET', '/streams', {
      query: { stream_id: streamId },
      subject: `SSF stream '${streamId}'`,
    });
  }

  async getStreamStatus(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<StreamStatus> {
    return this.#request(credentials, 'GET', '/streams/status', {
      query: { stream_id: streamId },
      subject: `SSF stream '${streamId}'`,
    });
  }

  async updateStreamStatus(
    credentials: BackstageCredentials,
    body: { stream_id: string; status: StreamStatusValue; reason?: string },
  ): Promise<StreamStatus> {
    return this.#request(credentials, 'POST', '/streams/status', {
      body,
      subject: `SSF stream '${body.stream_id}'`,
    });
  }

  async requestVerification(
    credentials: BackstageCredentials,
    body: { stream_id: string; state?: string },
  ): Promise<void> {
    await this.#request(credentials, 'POST', '/streams/verify', {
      body,
      subject: `SSF stream '${body.stream_id}'`,
    });
  }

  /** One stream of the admin view (needs `ssf.stream.read` as a portal user). */
  async getAdminStream(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<SsfAdminStreamView> {
    const { items } = await this.#request<{ items: SsfAdminStreamView[] }>(
      credentials,
      'GET',
      '/admin/streams',
    );
    const found = items.find(s => s.stream_id === streamId);
    if (!found) {
      throw new NotFoundError(`SSF stream '${streamId}' does not exist`);
    }
    return found;
  }

  async createProvider(
    credentials: BackstageCredentials,
    body: CreateSecurityEventsProviderRequest,
  ): Promise<SecurityEventsProvider> {
    return this.#request(credentials, 'POST', '/security-events-providers', {
      body,
    });
  }

  async #request<T>(
    credentials: BackstageCredentials | undefined,
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const url = new URL(`${await this.baseUrl()}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) {
      url.searchParams.set(k, v);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials) {
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'ssf',
      });
      headers.Authorization = `Bearer ${token}`;
    }
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.#fetch(url, {
      method,
      headers,
      body:
        options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    if (!response.ok) {
      throw await toError(response, `${method} ${path}`, options.subject);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    // JSON.parse here rather than response.json(): values then belong to this
    // realm, which the scaffolder's templating insists on for step outputs
    // (it matters under jest, where fetch lives in another realm).
    return JSON.parse(await response.text()) as T;
  }
}

/** Turns an error answer into an error whose message is the backend's own. */
async function toError(
  response: Response,
  operation: string,
  subject?: string,
): Promise<Error> {
  const text = await response.text().catch(() => '');
  const detail = errorMessageFrom(text) ?? response.statusText;
  const message = `SSF backend refused ${operation} (${response.status}): ${detail}`;
  switch (response.status) {
    case 400:
    case 413:
      return new InputError(message);
    case 401:
    case 403:
      return new NotAllowedError(message);
    case 404:
      // The backend answers 404 for a stream the caller may not see as well.
      return new NotFoundError(
        subject ? `${subject} was not found: ${detail}` : message,
      );
    case 409:
      return new ConflictError(message);
    case 429: {
      const retryAfter = response.headers.get('Retry-After');
      return new ServiceUnavailableError(
        retryAfter ? `${message} (retry after ${retryAfter}s)` : message,
      );
    }
    default:
      return new Error(message);
  }
}
