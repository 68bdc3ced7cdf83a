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

import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { SESSION_REVOKED } from '../../__testUtils__/specUris';
import { startTransmitter } from '../__testUtils__/transmitterBackend';
import { startAuthorizationServer } from './__testUtils__/authorizationServer';
import { ssfOAuthTokenHandlerServiceFactory } from './oauthTokenHandler';

jest.setTimeout(60_000);

const AUDIENCE = 'https://portal.example.com/api/ssf';
const bearer = (token: string) => `Bearer ${token}`;

// The OAuth 2.0 authorization server is oidc-provider, a real implementation
// (RFC 6749 §4.4 client credentials, RFC 9068 JWT access tokens with
// client_id and scope, RFC 8707 resource = our audience).
describeOnEachDatabase('ssf-oauth external access tokens', (databases, id) => {
  let as: Awaited<ReturnType<typeof startAuthorizationServer>>;

  beforeAll(async () => {
    as = await startAuthorizationServer({
      audience: AUDIENCE,
      clients: [
        {
          client_id: 'receiver-a',
          client_secret: 'secret-a-0123456789',
          scope: 'ssf.read ssf.manage',
        },
        {
          client_id: 'receiver-b',
          client_secret: 'secret-b-0123456789',
          scope: 'ssf.read',
        },
      ],
    });
  });
  afterAll(() => as.close());

  function externalAccess(extra: object = {}) {
    return [
      {
        type: 'ssf-oauth',
        options: { url: as.jwks_uri, issuer: as.issuer, audience: AUDIENCE },
        ...extra,
      },
    ];
  }

  async function start(entries = externalAccess()) {
    return startTransmitter({
      databases,
      id,
      config: {
        backend: {
          baseUrl: 'http://localhost:7007',
          auth: { externalAccess: entries },
        },
      },
      // The real auth services, so the token goes through Backstage's own
      // external access handling and our handler.
      extraFeatures: [
        authServiceFactory,
        httpAuthServiceFactory,
        ssfOAuthTokenHandlerServiceFactory,
      ],
    });
  }

  it('owns the stream by client_id and sets its aud to that client ID', async () => {
    const { api } = await start();
    const token = bearer(await as.token('receiver-a', 'ssf.read ssf.manage'));
    const created = await api.createStream(token, {
      events_requested: [SESSION_REVOKED],
    });
    expect(created.status).toBe(201);
    expect(created.body.aud).toBe('receiver-a');
    const listed = await api.listStreams(token);
    expect(listed.body.map((s: { stream_id: string }) => s.stream_id)).toEqual([
      created.body.stream_id,
    ]);
  });

  it('lets a read-only token read and poll, and answers every change 403 insufficient_scope', async () => {
    const { api } = await start();
    const manage = bearer(await as.token('receiver-a', 'ssf.manage'));
    const readOnlyOfA = bearer(await as.token('receiver-a', 'ssf.read'));
    const created = await api.createStream(manage, {
      events_requested: [SESSION_REVOKED],
    });
    expect(created.status).toBe(201);
    const streamId = created.body.stream_id;

    for (const read of [
      api.getStream(readOnlyOfA, streamId),
      api.getStatus(readOnlyOfA, streamId),
      api.poll(readOnlyOfA, `/api/ssf/poll/${streamId}`, {
        returnImmediately: true,
      }),
    ]) {
      expect((await read).status).toBe(200);
    }

    // CAEP interop profile: a token that may only read must not change a
    // stream. RFC 6750 §3.1: 403 with error="insufficient_scope".
    const changes = [
      api.createStream(readOnlyOfA),
      api.updateStream(readOnlyOfA, {
        stream_id: streamId,
        description: 'x',
      }),
      api.setStatus(readOnlyOfA, { stream_id: streamId, status: 'paused' }),
      api.verify(readOnlyOfA, { stream_id: streamId }),
      api.deleteStream(readOnlyOfA, streamId),
    ];
    for (const change of changes) {
      const res = await change;
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/insufficient_scope.*ssf\.manage/);
      expect(res.headers['www-authenticate']).toMatch(
        /^Bearer realm="[^"]+", error="insufficient_scope", scope="ssf.manage"$/,
      );
    }
    const still = await api.getStream(manage, streamId);
    expect(still.body.description).toBeUndefined();
  });

  it('refuses tokens it cannot verify with 401 and a Bearer challenge', async () => {
    const { api } = await start();
    const token = await as.token('receiver-b', 'ssf.read');
    const [h, p] = token.split('.');
    const tampered = `${h}.${p}.${'A'.repeat(43)}`;
    for (const bad of [tampered, 'not-a-jwt']) {
      const res = await api.listStreams(bearer(bad));
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
    }
  });

  it('refuses to start when an ssf-oauth entry has accessRestrictions, which would replace its scopes', async () => {
    await expect(
      start(externalAccess({ accessRestrictions: [{ plugin: 'ssf' }] })),
    ).rejects.toThrow(/must not have accessRestrictions/);
  });
});
