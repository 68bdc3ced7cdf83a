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

import createClient, { type Client } from 'openapi-fetch';
import type { SsfApiPaths } from './openapi';

/**
 * What {@link SsfApiClient} hands to its `fetch` for one request: a plain
 * `RequestInit` with the body already serialized.
 *
 * @public
 */
export interface SsfFetchInit {
  method: string;
  /** Only when the request has headers, e.g. `Content-Type` with a body. */
  headers?: Record<string, string>;
  /** The serialized body: JSON unless the call gives a `bodySerializer`. */
  body?: string;
}

/**
 * The `fetch` a {@link SsfApiClient} sends its requests with. Both the
 * global `fetch` and Backstage's `FetchApi.fetch` fit.
 *
 * @public
 */
export type SsfFetch = (url: string, init: SsfFetchInit) => Promise<Response>;

/**
 * Options for {@link createSsfApiClient}.
 *
 * @public
 */
export interface SsfApiClientOptions {
  /**
   * The SSF backend's base URL (ending in `/api/ssf`), asked for before
   * every request, e.g. `() => discoveryApi.getBaseUrl('ssf')`.
   */
  baseUrl: () => string | Promise<string>;
  /**
   * Sends one request. It decides how the caller is authenticated and what a
   * failed request becomes: a response that is not ok is returned to the
   * caller of the client as `error` unless this function throws for it.
   */
  fetch: SsfFetch;
}

/**
 * A typed client for the SSF backend's HTTP API, made from its OpenAPI
 * documents: each route, its parameters, body and answers are checked at
 * compile time. It is an openapi-fetch client (`GET`, `POST`, …, each
 * resolving to `{ data, error, response }`).
 *
 * @public
 */
export type SsfApiClient = Client<SsfApiPaths>;

// The client's methods named after HTTP verbs, each given the base URL.
const METHODS = [
  'GET',
  'PUT',
  'POST',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'PATCH',
  'TRACE',
] as const;

/**
 * Creates a {@link SsfApiClient}. Works in browsers and in Node.js.
 *
 * @example
 * ```ts
 * const client = createSsfApiClient({
 *   baseUrl: () => discoveryApi.getBaseUrl('ssf'),
 *   fetch: fetchApi.fetch,
 * });
 * const { data } = await client.GET('/admin/streams');
 * ```
 *
 * @public
 */
export function createSsfApiClient(options: SsfApiClientOptions): SsfApiClient {
  const client = createClient<SsfApiPaths>({
    fetch: async request => {
      const [url, init] = await toFetchCall(request);
      return options.fetch(url, init);
    },
    querySerializer: serializeQuery,
  });
  // openapi-fetch takes a fixed base URL, but Backstage discovers it, so
  // every call is given the one discovered then (unless it names its own).
  type Init = { baseUrl?: string } | undefined;
  const withBaseUrl = async (init: Init) => ({
    ...init,
    baseUrl: init?.baseUrl ?? (await options.baseUrl()),
  });
  const calls = Object.fromEntries(
    METHODS.map(method => {
      const call = client[method] as unknown as (
        path: string,
        init: Init,
      ) => Promise<unknown>;
      return [
        method,
        async (path: string, init: Init) => call(path, await withBaseUrl(init)),
      ];
    }),
  );
  const request = client.request as unknown as (
    method: string,
    path: string,
    init: Init,
  ) => Promise<unknown>;
  return {
    ...client,
    ...calls,
    request: async (method: string, path: string, init: Init) =>
      request(method, path, await withBaseUrl(init)),
  } as unknown as SsfApiClient;
}

/**
 * The request openapi-fetch built, as the plain `fetch(url, init)` call the
 * old hand-written clients made: a body as a string (no stream, so no
 * `duplex` option in Node.js and nothing to cross realms in tests), and the
 * headers as a record with their usual spelling (`Content-Type`), which
 * `Headers` would have lower-cased.
 */
async function toFetchCall(request: Request): Promise<[string, SsfFetchInit]> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[canonicalHeaderName(name)] = value;
  });
  const body = request.body === null ? undefined : await request.text();
  return [
    request.url,
    {
      method: request.method,
      ...(Object.keys(headers).length > 0 && { headers }),
      ...(body !== undefined && { body }),
    },
  ];
}

function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map(part => part.charAt(0).toLocaleUpperCase('en-US') + part.slice(1))
    .join('-');
}

/**
 * Query parameters as a form (`URLSearchParams`), as Express reads them:
 * absent (`undefined` or `null`) ones are left out and an array repeats its
 * name. No route of the API takes an object in the query.
 */
function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      if (typeof item === 'object') {
        throw new TypeError(`Query parameter ${name} must not be an object`);
      }
      params.append(name, String(item));
    }
  }
  return params.toString();
}
