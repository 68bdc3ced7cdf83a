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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import request from 'supertest';
import { captureLogs } from './__testUtils__/capturedLogs';
import { describeOnEachDatabase } from './__testUtils__/databases';
import { startTestReceiver, waitFor } from './__testUtils__/receiver';
import { POLL, PUSH, SESSION_REVOKED } from './__testUtils__/specUris';
import {
  callerOf,
  clientAuth,
  createPushStream,
  HttpMethod,
  startSsfBackend,
  userAuth,
} from './__testUtils__/testBackend';
import {
  PROVIDER_ID_ROUTES,
  PROVIDERS,
} from './receiver/__testUtils__/receiverBackend';

jest.setTimeout(120_000);

// The security part of `yarn test:robustness`, in one place: every management
// route refuses a user without permission; one receiver can never touch
// another's stream; secrets never leave the backend; outbound URLs that point
// inside the network are refused.

// The bodies sent to the routes of one provider, where there is one.
const PROVIDER_BODIES: Record<string, object> = {
  'put ': { name: 'p' },
  'post /remote-stream': {},
  'patch /remote-stream': {},
};

// [method, path, body]: every route a portal user manages something through.
const MANAGEMENT_ROUTES: Array<[HttpMethod, string, object?]> = [
  ['get', '/api/ssf/streams'],
  ['post', '/api/ssf/streams', { delivery: { method: POLL } }],
  ['put', '/api/ssf/streams', { stream_id: 'x', delivery: { method: POLL } }],
  ['patch', '/api/ssf/streams', { stream_id: 'x' }],
  ['delete', '/api/ssf/streams?stream_id=x'],
  ['get', '/api/ssf/streams/status?stream_id=x'],
  ['post', '/api/ssf/streams/status', { stream_id: 'x', status: 'enabled' }],
  ['post', '/api/ssf/streams/verify', { stream_id: 'x' }],
  [
    'post',
    '/api/ssf/subjects:add',
    { stream_id: 'x', subject: { format: 'email', email: 'a@example.com' } },
  ],
  [
    'post',
    '/api/ssf/subjects:remove',
    { stream_id: 'x', subject: { format: 'email', email: 'a@example.com' } },
  ],
  ['get', '/api/ssf/admin/streams'],
  ['get', '/api/ssf/admin/streams/sets?stream_id=x'],
  ['post', '/api/ssf/admin/streams/redeliver', { stream_id: 'x' }],
  ['get', '/api/ssf/security-events-providers'],
  [
    'post',
    '/api/ssf/security-events-providers',
    {
      name: 'p',
      settings: {
        issuer: 'https://t.example.com',
        jwks_url: 'https://t.example.com/jwks',
      },
    },
  ],
  ...PROVIDER_ID_ROUTES.map(([method, path]): [HttpMethod, string, object?] => [
    method,
    `${PROVIDERS}/ssep_x${path}`,
    PROVIDER_BODIES[`${method} ${path}`],
  ]),
  ['get', '/api/ssf/received-events'],
  ['get', '/api/ssf/received-events/1'],
  ['get', '/api/ssf/hooks'],
  ['post', '/api/ssf/hooks', {}],
  ['post', '/api/ssf/hooks/dry-run', {}],
  ['get', '/api/ssf/hook-firings'],
  ['post', '/api/ssf/identity-changes', { changes: [] }],
  ['post', '/api/ssf/lifecycle/reconcile'],
  ['get', '/api/ssf/lifecycle/status'],
];

describeOnEachDatabase('security', (databases, id) => {
  it('refuses a portal user without permission on every management route', async () => {
    const { server, backend } = await startSsfBackend({
      databases,
      id,
      permission: AuthorizeResult.DENY,
    });
    const asGuest = callerOf(server, userAuth('user:default/guest'));
    const answers: string[] = [];
    for (const [method, path, body] of MANAGEMENT_ROUTES) {
      const res = await asGuest(method, path, body);
      answers.push(`${method.toUpperCase()} ${path} → ${res.status}`);
    }
    expect(answers.filter(a => !a.endsWith('→ 403'))).toEqual([]);
    await backend.stop();
  });

  it("never lets one receiver read, change, verify, poll or delete another's stream", async () => {
    const { server, backend } = await startSsfBackend({ databases, id });
    const asA = callerOf(server, clientAuth('client-a'));
    const asB = callerOf(server, clientAuth('client-b'));
    const created = await asA('post', '/api/ssf/streams', {
      events_requested: [SESSION_REVOKED],
      description: 'A',
    });
    expect(created.status).toBe(201);
    const streamId = created.body.stream_id;
    const pollPath = new URL(created.body.delivery.endpoint_url).pathname;
    const subject = { format: 'email', email: 'x@example.com' };
    const attempts: Array<[HttpMethod, string, object?]> = [
      ['get', `/api/ssf/streams?stream_id=${streamId}`],
      [
        'put',
        '/api/ssf/streams',
        { stream_id: streamId, delivery: { method: POLL }, description: 'B' },
      ],
      ['patch', '/api/ssf/streams', { stream_id: streamId, description: 'B' }],
      ['delete', `/api/ssf/streams?stream_id=${streamId}`],
      ['get', `/api/ssf/streams/status?stream_id=${streamId}`],
      [
        'post',
        '/api/ssf/streams/status',
        { stream_id: streamId, status: 'disabled' },
      ],
      ['post', '/api/ssf/streams/verify', { stream_id: streamId }],
      ['post', '/api/ssf/subjects:add', { stream_id: streamId, subject }],
      ['post', '/api/ssf/subjects:remove', { stream_id: streamId, subject }],
      ['post', pollPath, { maxEvents: 10, returnImmediately: true }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await asB(method, path, body);
      const refused = [403, 404].includes(res.status);
      expect({ method, path, refused }).toEqual({
        method,
        path,
        refused: true,
      });
    }
    // B sees no stream, and A's is untouched.
    const listB = await asB('get', '/api/ssf/streams');
    expect(listB.body).toEqual([]);
    const mine = await asA('get', `/api/ssf/streams?stream_id=${streamId}`);
    expect(mine.body).toEqual(created.body);
    const status = await asA(
      'get',
      `/api/ssf/streams/status?stream_id=${streamId}`,
    );
    expect(status.body.status).toBe('enabled');
    await backend.stop();
  });

  it('keeps secrets out of every response, log line and audit event', async () => {
    const { lines, factory: logger } = captureLogs();
    const { privateKey } = await generateKeyPair('RS256', {
      extractable: true,
    });
    const pem = await exportPKCS8(privateKey);
    const privateJwk = await exportJWK(privateKey);
    const receiver = await startTestReceiver();
    const headerSecret = 'Bearer receiver-secret-0123456789abcdef';
    const providerSecret = 'provider-push-secret-0123456789abcdef';
    const { server, backend } = await startSsfBackend({
      databases,
      id,
      extraFeatures: [logger],
      config: {
        ssf: {
          transmitter: {
            signing: { privateKey: pem, keyId: 'configured' },
            delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
          },
        },
      },
    });
    const responses: string[] = [];
    const record = async (req: request.Test) => {
      const res = await req;
      responses.push(JSON.stringify(res.headers), res.text);
      return res;
    };
    const asA = callerOf(server, clientAuth('client-a'));
    const asAdmin = callerOf(server, userAuth());
    const created = await record(
      asA('post', '/api/ssf/streams', {
        delivery: {
          method: PUSH,
          endpoint_url: receiver.url,
          authorization_header: headerSecret,
        },
        events_requested: [SESSION_REVOKED],
      }),
    );
    const streamId = created.body.stream_id;
    await record(
      asA('post', '/api/ssf/streams/verify', {
        stream_id: streamId,
        state: 's',
      }),
    );
    await waitFor(() => receiver.received.length === 1, 10_000, 'verification');
    // The receiver did get the header: the secret is used, just never shown.
    expect(receiver.received[0].headers.authorization).toBe(headerSecret);
    await record(asA('get', `/api/ssf/streams?stream_id=${streamId}`));
    await record(
      asA('patch', '/api/ssf/streams', {
        stream_id: streamId,
        description: 'changed',
      }),
    );
    await record(asAdmin('get', '/api/ssf/admin/streams'));
    await record(
      asAdmin('get', `/api/ssf/admin/streams/sets?stream_id=${streamId}`),
    );
    await record(request(server).get('/api/ssf/jwks'));
    await record(request(server).get('/api/ssf/.well-known/ssf-configuration'));
    const provider = await record(
      asAdmin('post', PROVIDERS, {
        name: 'secret-provider',
        type: 'ssf',
        settings: {
          issuer: 'https://idp.example.com',
          jwks_url: 'https://idp.example.com/jwks',
        },
        authorization_secret: providerSecret,
      }),
    );
    expect(provider.status).toBe(200);
    await record(asAdmin('get', `${PROVIDERS}/${provider.body.id}`));
    await record(asAdmin('get', PROVIDERS));

    const everything = [...responses, ...lines].join('\n');
    // The capture works: audit events and logs were seen.
    expect(lines.some(l => l.includes('stream-mutate'))).toBe(true);
    for (const [what, secret] of [
      ['push authorization header', 'receiver-secret-0123456789abcdef'],
      ['provider bearer secret', providerSecret],
      ['private key (PEM body)', pem.split('\n')[1]],
      ['private key (JWK d)', String(privateJwk.d)],
      ['private key (JWK p)', String(privateJwk.p)],
    ]) {
      expect([what, everything.includes(secret)]).toEqual([what, false]);
    }
    await backend.stop();
    await receiver.close();
  });

  it('refuses endpoint and JWKS URLs that point inside the network', async () => {
    const { server, backend } = await startSsfBackend({ databases, id });
    const asAdmin = callerOf(server, userAuth());
    const inside = [
      'http://receiver.example.com/events', // not https
      'https://127.0.0.1/events',
      'https://localhost/events',
      'https://[::1]/events',
      'https://10.1.2.3/events',
      'https://172.16.0.1/events',
      'https://192.168.1.1/events',
      'https://169.254.169.254/latest/meta-data',
      'https://[fd00::1]/events',
      'https://0.0.0.0/events',
      'https://user:pass@receiver.example.com/events',
    ];
    for (const url of inside) {
      const stream = await createPushStream(server, 'client-a', url, [
        SESSION_REVOKED,
      ]);
      expect([url, stream.status]).toEqual([url, 400]);
      for (const settings of [
        { issuer: 'https://idp.example.com', jwks_url: url },
        { well_known_url: url },
      ]) {
        const provider = await asAdmin('post', PROVIDERS, {
          name: 'p',
          type: 'ssf',
          settings,
        });
        expect([settings, provider.status]).toEqual([settings, 400]);
      }
    }
    await backend.stop();
  });
});
