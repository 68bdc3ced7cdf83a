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

import { SsfClient } from './SsfClient';

function response(
  status: number,
  body?: unknown,
  contentType = 'application/json',
) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return new Response(status === 204 ? null : text, {
    status,
    statusText: status === 200 ? 'OK' : 'Error',
    headers: { 'content-type': contentType },
  });
}

function client(fetch: jest.Mock) {
  return new SsfClient({
    discoveryApi: { getBaseUrl: async () => 'http://backstage/api/ssf' },
    fetchApi: { fetch },
  });
}

describe('SsfClient', () => {
  it('calls the plugin base URL with JSON bodies and query parameters', async () => {
    const fetch = jest.fn(async () => response(200, { items: [], total: 0 }));
    await client(fetch).listStreamSets('s 1', { state: 'dead', limit: 10 });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/ssf/admin/streams/sets?stream_id=s+1&state=dead&limit=10',
      { method: 'GET' },
    );
    fetch.mockResolvedValueOnce(response(204));
    await client(fetch).verifyStream('s1', 'abc');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/streams/verify',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ stream_id: 's1', state: 'abc' }),
      },
    );
  });

  it("turns Backstage error bodies into the backend's message", async () => {
    const fetch = jest.fn(async () =>
      response(400, {
        error: {
          name: 'InputError',
          message:
            'Invalid stream configuration: delivery.endpoint_url must use https',
        },
        response: { statusCode: 400 },
      }),
    );
    await expect(client(fetch).createStream({})).rejects.toMatchObject({
      message:
        'Invalid stream configuration: delivery.endpoint_url must use https',
      statusCode: 400,
    });
  });

  it('turns the seed error body of the provider routes into words', async () => {
    const fetch = jest.fn(async () =>
      response(400, {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: settings',
        errorLink: 'E0000001',
        errorId: 'x',
        errorCauses: [{ errorSummary: 'settings: jwks_url must not be empty' }],
      }),
    );
    await expect(client(fetch).listProviders()).rejects.toThrow(
      'Api validation failed: settings: settings: jwks_url must not be empty',
    );
  });

  it('describes bare statuses and network failures', async () => {
    const fetch = jest.fn(async () => response(429, 'slow down', 'text/plain'));
    await expect(client(fetch).verifyStream('s1')).rejects.toThrow(
      'Too many requests; wait a moment and try again',
    );
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client(fetch).getJwks()).rejects.toThrow(
      'Could not reach the Shared Signals backend: Failed to fetch',
    );
  });
});
