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
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { startSsfBackend } from '../../__testUtils__/testBackend';
import { startAuthorizationServer } from './__testUtils__/authorizationServer';
import { ssfOAuthTokenHandlerServiceFactory } from './oauthTokenHandler';

jest.setTimeout(60_000);

const AUDIENCE = 'https://portal.example.com/api/ssf';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

// The OAuth 2.0 authorization server is oidc-provider, a real implementation
// (RFC 6749 §4.4 client credentials, RFC 9068 JWT access tokens with
// client_id and scope, RFC 8707 resource = our audience).
describe.each(createTestDatabases().eachSupportedId())(
  'ssf-oauth external access tokens on %p',
  id => {
    const databases = createTestDatabases();
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
      return startSsfBackend({
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
      const { server } = await start();
      const token = await as.token('receiver-a', 'ssf.read ssf.manage');
      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', `Bearer ${token}`)
        .send({ events_requested: [SESSION_REVOKED] });
      expect(created.status).toBe(201);
      expect(created.body.aud).toBe('receiver-a');
      const listed = await request(server)
        .get('/api/ssf/streams')
        .set('Authorization', `Bearer ${token}`);
      expect(
        listed.body.map((s: { stream_id: string }) => s.stream_id),
      ).toEqual([created.body.stream_id]);
    });

    it('lets a read-only token read and poll, and answers every change 403 insufficient_scope', async () => {
      const { server } = await start();
      const manage = await as.token('receiver-a', 'ssf.manage');
      const readOnlyOfA = await as.token('receiver-a', 'ssf.read');
      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', `Bearer ${manage}`)
        .send({ events_requested: [SESSION_REVOKED] });
      expect(created.status).toBe(201);
      const streamId = created.body.stream_id;
      const as_ = (t: string) => ({ Authorization: `Bearer ${t}` });

      const read = await request(server)
        .get(`/api/ssf/streams?stream_id=${streamId}`)
        .set(as_(readOnlyOfA));
      expect(read.status).toBe(200);
      const status = await request(server)
        .get(`/api/ssf/streams/status?stream_id=${streamId}`)
        .set(as_(readOnlyOfA));
      expect(status.status).toBe(200);
      const poll = await request(server)
        .post(`/api/ssf/poll/${streamId}`)
        .set(as_(readOnlyOfA))
        .send({ returnImmediately: true });
      expect(poll.status).toBe(200);

      // CAEP interop profile: a token that may only read must not change a
      // stream. RFC 6750 §3.1: 403 with error="insufficient_scope".
      const changes = [
        request(server).post('/api/ssf/streams').send({}),
        request(server)
          .patch('/api/ssf/streams')
          .send({ stream_id: streamId, description: 'x' }),
        request(server)
          .post('/api/ssf/streams/status')
          .send({ stream_id: streamId, status: 'paused' }),
        request(server)
          .post('/api/ssf/streams/verify')
          .send({ stream_id: streamId }),
        request(server).delete(`/api/ssf/streams?stream_id=${streamId}`),
      ];
      for (const change of changes) {
        const res = await change.set(as_(readOnlyOfA));
        expect(res.status).toBe(403);
        expect(res.body.error.message).toMatch(
          /insufficient_scope.*ssf\.manage/,
        );
        expect(res.headers['www-authenticate']).toMatch(
          /^Bearer realm="[^"]+", error="insufficient_scope", scope="ssf.manage"$/,
        );
      }
      const still = await request(server)
        .get(`/api/ssf/streams?stream_id=${streamId}`)
        .set(as_(manage));
      expect(still.body.description).toBeUndefined();
    });

    it('refuses tokens it cannot verify with 401 and a Bearer challenge', async () => {
      const { server } = await start();
      const token = await as.token('receiver-b', 'ssf.read');
      const [h, p] = token.split('.');
      const tampered = `${h}.${p}.${'A'.repeat(43)}`;
      for (const bad of [tampered, 'not-a-jwt']) {
        const res = await request(server)
          .get('/api/ssf/streams')
          .set('Authorization', `Bearer ${bad}`);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(
          /error="invalid_token"/,
        );
      }
    });

    it('refuses to start when an ssf-oauth entry has accessRestrictions, which would replace its scopes', async () => {
      await expect(
        start(externalAccess({ accessRestrictions: [{ plugin: 'ssf' }] })),
      ).rejects.toThrow(/must not have accessRestrictions/);
    });
  },
);
