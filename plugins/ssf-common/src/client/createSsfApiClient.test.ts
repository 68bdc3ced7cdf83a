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

// openapi-fetch names the client's methods after HTTP verbs (GET, POST).
/* eslint-disable new-cap */

import { createSsfApiClient, SsfFetch } from './createSsfApiClient';

function json(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(answer: () => Response = () => json(200, { items: [] })) {
  const fetch = jest.fn<ReturnType<SsfFetch>, Parameters<SsfFetch>>(async () =>
    answer(),
  );
  let base = 'http://backstage/api/ssf';
  const client = createSsfApiClient({
    baseUrl: async () => base,
    fetch,
  });
  return { client, fetch, moveTo: (url: string) => (base = url) };
}

describe('createSsfApiClient', () => {
  it('sends plain fetch(url, init) calls: no headers without a body', async () => {
    const { client, fetch } = setup();
    const { data } = await client.GET('/admin/streams');
    expect(data).toEqual({ items: [] });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/ssf/admin/streams',
      {
        method: 'GET',
      },
    );
  });

  it('serializes a body as a JSON string with its Content-Type', async () => {
    const { client, fetch } = setup(() => json(200, { redelivered: 2 }));
    const { data } = await client.POST('/admin/streams/redeliver', {
      body: { stream_id: 's1', jti: 'j1' },
      headers: { authorization: 'Bearer t' },
    });
    expect(data).toEqual({ redelivered: 2 });
    expect(fetch).toHaveBeenCalledWith(
      'http://backstage/api/ssf/admin/streams/redeliver',
      {
        method: 'POST',
        // The usual spelling, although Headers lower-cases names.
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer t',
        },
        body: '{"stream_id":"s1","jti":"j1"}',
      },
    );
  });

  it('encodes path and query parameters as Express reads them', async () => {
    const { client, fetch } = setup(() => json(200, { items: [], total: 0 }));
    await client.GET('/admin/streams/sets', {
      params: {
        query: { stream_id: 'a b&c', state: undefined, limit: 10, offset: 0 },
      },
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/admin/streams/sets?stream_id=a+b%26c&limit=10&offset=0',
      { method: 'GET' },
    );
    await client.GET('/hooks/{id}', { params: { path: { id: 'hook/1?x' } } });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/hook%2F1%3Fx',
      { method: 'GET' },
    );
  });

  it('asks for the base URL on every call, whichever method makes it', async () => {
    const { client, fetch, moveTo } = setup();
    await client.GET('/hooks');
    moveTo('https://ssf.example.com/api/ssf/');
    await client.request('get', '/hooks');
    await client.PATCH('/hooks/{id}', {
      params: { path: { id: 'h1' } },
      body: { enabled: false },
    });
    // A call may still name its own.
    await client.GET('/hooks', { baseUrl: 'http://other/api/ssf' });
    expect(
      fetch.mock.calls.map(([url, init]) => `${init.method} ${url}`),
    ).toEqual([
      'GET http://backstage/api/ssf/hooks',
      'GET https://ssf.example.com/api/ssf/hooks',
      'PATCH https://ssf.example.com/api/ssf/hooks/h1',
      'GET http://other/api/ssf/hooks',
    ]);
  });

  it('gives no data for 204, and an error answer to the caller as error', async () => {
    const { client, fetch } = setup(() => json(204));
    const deleted = await client.DELETE('/hooks/{id}', {
      params: { path: { id: 'h1' } },
    });
    expect(deleted.data).toBeUndefined();
    expect(deleted.response.status).toBe(204);

    const body = {
      error: { name: 'NotFoundError', message: 'no hook h2' },
      request: { method: 'GET', url: '/api/ssf/hooks/h2' },
      response: { statusCode: 404 },
    };
    fetch.mockResolvedValueOnce(json(404, body));
    const missing = await client.GET('/hooks/{id}', {
      params: { path: { id: 'h2' } },
    });
    expect(missing.data).toBeUndefined();
    expect(missing.error).toEqual(body);
    expect(missing.response.status).toBe(404);
  });

  it('leaves a failing fetch to the caller', async () => {
    const { client, fetch } = setup();
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client.GET('/jwks')).rejects.toThrow('Failed to fetch');
  });
});
