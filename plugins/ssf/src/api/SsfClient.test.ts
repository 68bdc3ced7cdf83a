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
  CreateStreamRequest,
  DELIVERY_METHODS,
} from '@shared-signals/plugin-ssf-common';
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

  it('lists the receiver profiles and creates a stream with one', async () => {
    const okta = {
      id: 'okta',
      title: 'Okta Identity Threat Protection',
      events_supported: [
        'https://schemas.okta.com/secevent/okta/event-type/ip-change',
      ],
      signing_algorithms: ['RS256'],
      accepts_stream_events: false,
    };
    const fetch = jest.fn(async () => response(200, { items: [okta] }));
    await expect(client(fetch).listReceiverProfiles()).resolves.toEqual([okta]);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/receiver-profiles',
      { method: 'GET' },
    );

    const request: CreateStreamRequest = {
      receiver_profile: 'okta',
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://acme.okta.com/security/api/v1/security-events',
      },
    };
    fetch.mockResolvedValueOnce(response(201, { stream_id: 's1' }));
    await client(fetch).createStream(request);
    expect(fetch).toHaveBeenLastCalledWith('http://backstage/api/ssf/streams', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
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

  it('calls the lifecycle hook routes with the contract bodies', async () => {
    const hook = { id: 'hook_1', name: 'h' };
    const fetch = jest.fn(async () => response(200, { items: [hook] }));
    const api = client(fetch);
    const json = { 'Content-Type': 'application/json' };
    const input = {
      name: 'h',
      trigger: { on: 'user_removed' as const },
      event_type:
        'https://schemas.openid.net/secevent/risc/event-type/account-purged',
    };

    await expect(api.listHooks()).resolves.toEqual([hook]);
    expect(fetch).toHaveBeenLastCalledWith('http://backstage/api/ssf/hooks', {
      method: 'GET',
    });

    fetch.mockResolvedValueOnce(response(201, hook));
    await expect(api.createHook(input)).resolves.toEqual(hook);
    expect(fetch).toHaveBeenLastCalledWith('http://backstage/api/ssf/hooks', {
      method: 'POST',
      headers: json,
      body: JSON.stringify(input),
    });

    fetch.mockResolvedValueOnce(response(200, hook));
    await api.replaceHook('hook/1', input);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/hook%2F1',
      { method: 'PUT', headers: json, body: JSON.stringify(input) },
    );

    fetch.mockResolvedValueOnce(response(200, hook));
    await api.setHookEnabled('hook_1', false);
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/hook_1',
      { method: 'PATCH', headers: json, body: '{"enabled":false}' },
    );

    fetch.mockResolvedValueOnce(response(200, hook));
    await api.getHook('hook_1');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/hook_1',
      { method: 'GET' },
    );

    fetch.mockResolvedValueOnce(response(204));
    await expect(api.deleteHook('hook_1')).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/hook_1',
      { method: 'DELETE' },
    );
  });

  it('dry-runs changes and reads firings and the reconciliation status', async () => {
    const fetch = jest.fn(async () =>
      response(200, { changes: [], events: [] }),
    );
    const api = client(fetch);
    const change = {
      subject: { format: 'email' as const, email: 'a@b.c' },
      before: { path: 'active' },
      attributes: { path: 'suspended' },
    };
    await expect(api.dryRunHooks({ change })).resolves.toEqual({
      changes: [],
      events: [],
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hooks/dry-run',
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ change }),
      },
    );

    fetch.mockResolvedValueOnce(response(200, { items: [] }));
    await api.listHookFirings({ limit: 20, hook_id: undefined });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/hook-firings?limit=20',
      { method: 'GET' },
    );

    fetch.mockResolvedValueOnce(response(200, { catalog: { snapshots: 1 } }));
    await expect(api.getLifecycleStatus()).resolves.toEqual({
      catalog: { snapshots: 1 },
    });
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/lifecycle/status',
      { method: 'GET' },
    );

    fetch.mockResolvedValueOnce(response(202, { triggered: true }));
    await expect(api.reconcileLifecycle()).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/lifecycle/reconcile',
      { method: 'POST' },
    );
  });

  it('calls the provider, received-event and remote-stream routes', async () => {
    const fetch = jest.fn(async () => response(200, { items: [] }));
    const api = client(fetch);
    const json = { 'Content-Type': 'application/json' };
    const base = 'http://backstage/api/ssf';

    // Filters left empty mean "any" and are not sent.
    await api.listReceivedEvents({
      provider_id: '',
      event_type: 'https://e/x',
      limit: 5,
    });
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/received-events?event_type=https%3A%2F%2Fe%2Fx&limit=5`,
      { method: 'GET' },
    );

    fetch.mockResolvedValueOnce(response(200, { id: 'ev 1' }));
    await api.getReceivedEvent('ev 1');
    expect(fetch).toHaveBeenLastCalledWith(`${base}/received-events/ev%201`, {
      method: 'GET',
    });

    fetch.mockResolvedValueOnce(response(200, { id: 'p1' }));
    await api.setProviderActive('p1', false);
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/security-events-providers/p1/lifecycle/deactivate`,
      { method: 'POST' },
    );
    fetch.mockResolvedValueOnce(response(200, { id: 'p1' }));
    await api.setProviderActive('p1', true);
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/security-events-providers/p1/lifecycle/activate`,
      { method: 'POST' },
    );

    fetch.mockResolvedValueOnce(response(204));
    await expect(api.deleteProvider('p/1')).resolves.toBeUndefined();
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/security-events-providers/p%2F1`,
      { method: 'DELETE' },
    );

    fetch.mockResolvedValueOnce(
      response(200, { stream_id: 'r1', status: 'paused' }),
    );
    await expect(
      api.setProviderRemoteStreamStatus('p1', 'paused', 'maintenance'),
    ).resolves.toEqual({ stream_id: 'r1', status: 'paused' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/security-events-providers/p1/remote-stream/status`,
      {
        method: 'POST',
        headers: json,
        body: '{"status":"paused","reason":"maintenance"}',
      },
    );

    fetch.mockResolvedValueOnce(response(200, { stream_id: 'r1' }));
    await api.updateProviderRemoteStream('p1', { description: 'd' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${base}/security-events-providers/p1/remote-stream`,
      { method: 'PATCH', headers: json, body: '{"description":"d"}' },
    );

    fetch.mockResolvedValueOnce(response(204));
    await api.deleteStream('s 1');
    expect(fetch).toHaveBeenLastCalledWith(`${base}/streams?stream_id=s+1`, {
      method: 'DELETE',
    });
  });

  it("reads and replaces a provider's relay rule", async () => {
    const rule = {
      event_types: [
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
      ],
      updated_at: '2026-12-01T10:00:00Z',
      updated_by: 'user:default/admin',
    };
    const fetch = jest.fn(async () => response(200, rule));
    const api = client(fetch);
    const base = 'http://backstage/api/ssf/security-events-providers';

    await expect(api.getProviderRelay('p/1')).resolves.toEqual(rule);
    expect(fetch).toHaveBeenLastCalledWith(`${base}/p%2F1/relay`, {
      method: 'GET',
    });

    fetch.mockResolvedValueOnce(response(200, rule));
    await expect(
      api.setProviderRelay('p1', { event_types: rule.event_types }),
    ).resolves.toEqual(rule);
    expect(fetch).toHaveBeenLastCalledWith(`${base}/p1/relay`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ event_types: rule.event_types }),
    });

    // The relay routes answer in the provider API's (seed) error body.
    fetch.mockResolvedValueOnce(
      response(400, {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: event_types',
        errorLink: 'E0000001',
        errorId: 'x',
        errorCauses: [
          {
            errorSummary:
              "event_types.0: 'https://e/x' is not sent by this transmitter",
          },
        ],
      }),
    );
    await expect(
      api.setProviderRelay('p1', { event_types: ['https://e/x'] }),
    ).rejects.toMatchObject({
      message:
        "Api validation failed: event_types: event_types.0: 'https://e/x' is not sent by this transmitter",
      statusCode: 400,
    });
  });

  it("reads a user's security signals by entity ref and limit", async () => {
    const signals = {
      entity_ref: 'user:default/jane',
      identities: [{ format: 'email', email: 'jane@example.com' }],
      received: [],
    };
    const fetch = jest.fn(async () => response(200, signals));
    const api = client(fetch);

    await expect(api.getPersonSignals('user:default/jane', 5)).resolves.toEqual(
      signals,
    );
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/people/signals?entity_ref=user%3Adefault%2Fjane&limit=5',
      { method: 'GET' },
    );

    // Without a limit the backend's default applies: none is sent.
    await api.getPersonSignals('user:default/jane');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/people/signals?entity_ref=user%3Adefault%2Fjane',
      { method: 'GET' },
    );

    fetch.mockResolvedValueOnce(
      response(403, {
        error: { name: 'NotAllowedError', message: '' },
      }),
    );
    await expect(
      api.getPersonSignals('user:default/jane'),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('reads the stream and provider histories over the given hours', async () => {
    const streamHistory = {
      bucket_seconds: 3600,
      buckets: [
        { start: '2026-11-22T00:00:00.000Z', delivered: 5, failed: 2, dead: 1 },
      ],
    };
    const fetch = jest.fn(async () => response(200, streamHistory));
    const api = client(fetch);
    await expect(api.getStreamHistory('stream 1', 24)).resolves.toEqual(
      streamHistory,
    );
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/admin/streams/history?stream_id=stream+1&hours=24',
      { method: 'GET' },
    );

    const providerHistory = {
      bucket_seconds: 3600,
      buckets: [
        { start: '2026-11-22T00:00:00.000Z', accepted: 7, rejected: 3 },
      ],
      rejected_by_err: { invalid_key: 3 },
    };
    fetch.mockResolvedValueOnce(response(200, providerHistory));
    await expect(api.getProviderHistory('sse1abc', 24)).resolves.toEqual(
      providerHistory,
    );
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/received-events/history?provider_id=sse1abc&hours=24',
      { method: 'GET' },
    );

    // Without hours, the backend's default window.
    fetch.mockResolvedValueOnce(response(200, streamHistory));
    await api.getStreamHistory('stream-1');
    expect(fetch).toHaveBeenLastCalledWith(
      'http://backstage/api/ssf/admin/streams/history?stream_id=stream-1',
      { method: 'GET' },
    );
  });

  it("rejects a failed history read with the backend's message", async () => {
    const fetch = jest.fn(async () =>
      response(404, {
        error: { name: 'NotFoundError', message: 'No stream stream-9' },
        response: { statusCode: 404 },
      }),
    );
    await expect(
      client(fetch).getStreamHistory('stream-9', 24),
    ).rejects.toMatchObject({ message: 'No stream stream-9', statusCode: 404 });
    fetch.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(client(fetch).getProviderHistory('sse1abc')).rejects.toThrow(
      'Could not reach the Shared Signals backend: Failed to fetch',
    );
  });

  it('shows why a config hook cannot be changed', async () => {
    const fetch = jest.fn(async () =>
      response(409, {
        error: {
          name: 'ConflictError',
          message: 'Hook lifecycle-x comes from app-config and is read-only',
        },
        response: { statusCode: 409 },
      }),
    );
    await expect(client(fetch).deleteHook('hook_1')).rejects.toMatchObject({
      message: 'Hook lifecycle-x comes from app-config and is read-only',
      statusCode: 409,
    });
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
