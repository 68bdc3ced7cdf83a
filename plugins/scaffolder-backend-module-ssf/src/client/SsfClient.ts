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
  createSsfApiClient,
  CreateSecurityEventsProviderRequest,
  CreateStreamRequest,
  SecurityEventsProvider,
  SsfAdminComponents,
  SsfApiClient,
  StreamConfiguration,
  StreamStatus,
  StreamStatusValue,
  TransmitterMetadata,
} from '@shared-signals/plugin-ssf-common';
import { errorMessageFrom } from './errors';

/**
 * The last verification of a stream, as the SSF admin view shows it (the
 * `StreamVerification` of the backend's admin.yaml).
 *
 * @public
 */
export type SsfVerificationView =
  SsfAdminComponents['schemas']['StreamVerification'];

/**
 * One stream in `GET /admin/streams` (the `AdminStream` of the backend's
 * admin.yaml).
 *
 * @public
 */
export type SsfAdminStreamView = SsfAdminComponents['schemas']['AdminStream'];

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

/** What every call adds to the typed client's request options. */
type CallInit = {
  headers: Record<string, string>;
  middleware: Array<{
    onResponse: (options: { response: Response }) => Promise<undefined>;
  }>;
};

/**
 * A small client for the SSF backend (`/api/ssf`), on the client generated
 * from the backend's OpenAPI documents. Every call is made with a plugin
 * request token on behalf of the given credentials, so the SSF permissions
 * apply to the user who ran the template, not to the scaffolder.
 *
 * @public
 */
export class SsfClient {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #api: SsfApiClient;

  constructor(options: SsfClientOptions) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    const fetchImpl = options.fetch ?? ((...args) => fetch(...args));
    this.#api = createSsfApiClient({
      baseUrl: () => this.baseUrl(),
      fetch: (url, init) => fetchImpl(url, init),
    });
  }

  /** The SSF backend's base URL, as other plugins reach it. */
  async baseUrl(): Promise<string> {
    return this.#discovery.getBaseUrl('ssf');
  }

  /** The public transmitter metadata (no credentials needed). */
  async getMetadata(): Promise<TransmitterMetadata> {
    const init = await this.#init(
      undefined,
      'GET /.well-known/ssf-configuration',
    );
    return ownRealm(
      await this.#api.request('get', '/.well-known/ssf-configuration', init),
    );
  }

  async createStream(
    credentials: BackstageCredentials,
    body: CreateStreamRequest,
  ): Promise<StreamConfiguration> {
    const init = await this.#init(credentials, 'POST /streams');
    return ownRealm(
      await this.#api.request('post', '/streams', { ...init, body }),
    );
  }

  async getStream(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<StreamConfiguration> {
    const init = await this.#init(
      credentials,
      'GET /streams',
      `SSF stream '${streamId}'`,
    );
    const stream = ownRealm(
      await this.#api.request('get', '/streams', {
        ...init,
        params: { query: { stream_id: streamId } },
      }),
    );
    // With `stream_id` the backend answers the one stream (SSF 1.0
    // §8.1.1.2), not a list.
    if (Array.isArray(stream)) {
      throw new Error(
        `SSF backend answered GET /streams?stream_id=${streamId} with a list`,
      );
    }
    return stream;
  }

  async getStreamStatus(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<StreamStatus> {
    const init = await this.#init(
      credentials,
      'GET /streams/status',
      `SSF stream '${streamId}'`,
    );
    return ownRealm(
      await this.#api.request('get', '/streams/status', {
        ...init,
        params: { query: { stream_id: streamId } },
      }),
    );
  }

  async updateStreamStatus(
    credentials: BackstageCredentials,
    body: { stream_id: string; status: StreamStatusValue; reason?: string },
  ): Promise<StreamStatus> {
    const init = await this.#init(
      credentials,
      'POST /streams/status',
      `SSF stream '${body.stream_id}'`,
    );
    return ownRealm(
      await this.#api.request('post', '/streams/status', { ...init, body }),
    );
  }

  async requestVerification(
    credentials: BackstageCredentials,
    body: { stream_id: string; state?: string },
  ): Promise<void> {
    const init = await this.#init(
      credentials,
      'POST /streams/verify',
      `SSF stream '${body.stream_id}'`,
    );
    await this.#api.request('post', '/streams/verify', { ...init, body });
  }

  /** One stream of the admin view (needs `ssf.stream.read` as a portal user). */
  async getAdminStream(
    credentials: BackstageCredentials,
    streamId: string,
  ): Promise<SsfAdminStreamView> {
    const init = await this.#init(credentials, 'GET /admin/streams');
    const { items } = ownRealm(
      await this.#api.request('get', '/admin/streams', init),
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
    const init = await this.#init(
      credentials,
      'POST /security-events-providers',
    );
    return ownRealm(
      await this.#api.request('post', '/security-events-providers', {
        ...init,
        body,
      }),
    );
  }

  /**
   * The headers of a call (a token on behalf of `credentials`, when given),
   * and a check that turns an error answer into an error whose message is
   * the backend's own, `subject` naming what a 404 was about.
   */
  async #init(
    credentials: BackstageCredentials | undefined,
    operation: string,
    subject?: string,
  ): Promise<CallInit> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (credentials) {
      const { token } = await this.#auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'ssf',
      });
      headers.Authorization = `Bearer ${token}`;
    }
    return {
      headers,
      middleware: [
        {
          // Before the typed client reads the body, so toError reads it.
          onResponse: async ({ response }) => {
            if (!response.ok) {
              throw await toError(response, operation, subject);
            }
            return undefined;
          },
        },
      ],
    };
  }
}

/**
 * The body of a successful answer (an error answer has thrown in the
 * middleware), rebuilt with this module's JSON.parse: values then belong to
 * this realm, which the scaffolder's templating insists on for step outputs
 * (it matters under jest, where fetch and its `response.json()` live in
 * another realm).
 */
function ownRealm<T>(result: { data?: T }): T {
  const { data } = result;
  return data === undefined ? (data as T) : JSON.parse(JSON.stringify(data));
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
