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
import { startTransmitter } from '../__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

// The same path a receiver takes in a real portal: Backstage's own auth and
// httpAuth services verifying external access tokens from config, rather
// than the test backend's mock tokens.
describe('stream API with real external access tokens', () => {
  const databases = createTestDatabases();

  /** A static external access token for `subject`, valid for one plugin. */
  const staticToken = (token: string, subject: string, plugin: string) => ({
    type: 'static',
    options: { token, subject },
    accessRestrictions: [{ plugin }],
  });
  const externalAccess = [
    staticToken('receiver-a-secret-token', 'okta-client-0oa1', 'ssf'),
    staticToken('catalog-only-secret-token', 'catalog-reader', 'catalog'),
  ];

  it('owns the stream by the token subject and challenges missing or bad tokens', async () => {
    const { server, api } = await startTransmitter({
      databases,
      id: 'SQLITE_3',
      config: {
        backend: { baseUrl: 'http://localhost:7007', auth: { externalAccess } },
      },
      extraFeatures: [authServiceFactory, httpAuthServiceFactory],
    });

    const created = await api.createStream('Bearer receiver-a-secret-token', {
      description: 'via a static token',
    });
    expect(created.status).toBe(201);
    expect(created.body.aud).toBe('okta-client-0oa1');

    const missing = await request(server).get('/api/ssf/streams');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(
      'Bearer realm="http://localhost:7007/api/ssf"',
    );

    const wrong = await api.listStreams('Bearer not-the-token');
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain(
      'error="invalid_token"',
    );

    // A token restricted to another plugin is refused here.
    const restricted = await api.listStreams(
      'Bearer catalog-only-secret-token',
    );
    expect(restricted.status).toBe(403);

    // The metadata and keys stay public.
    expect((await api.metadata()).status).toBe(200);
    expect((await api.jwks()).status).toBe(200);
  });
});
