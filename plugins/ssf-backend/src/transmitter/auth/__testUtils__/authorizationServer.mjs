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

// A real OAuth 2.0 authorization server for tests: oidc-provider (an OpenID
// Certified implementation) issuing client-credentials access tokens as
// RFC 9068 JWTs. It runs as its own Node process because oidc-provider is an
// ES module. Argument: JSON {clients: [{client_id, client_secret, scope}],
// audience}. Prints {issuer, jwks_uri, token_endpoint} once listening on
// 127.0.0.1, and stops when its parent closes stdin.

import { exportJWK, generateKeyPair } from 'jose';
import { createServer } from 'node:net';
import Provider from 'oidc-provider';

const { clients, audience } = JSON.parse(process.argv[2]);

const port = await new Promise(resolve => {
  const probe = createServer();
  probe.listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const scopes = [...new Set(clients.flatMap(c => c.scope.split(' ')))];

const provider = new Provider(issuer, {
  clients: clients.map(c => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    scope: c.scope,
  })),
  scopes,
  jwks: {
    keys: [
      {
        ...(await exportJWK(privateKey)),
        alg: 'RS256',
        use: 'sig',
        kid: 'as-1',
      },
    ],
  },
  features: {
    clientCredentials: { enabled: true },
    devInteractions: { enabled: false },
    // RFC 8707: tokens for one resource server, as JWT access tokens (RFC 9068).
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: scopes.join(' '),
        audience,
        accessTokenFormat: 'jwt',
        accessTokenTTL: 60,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      token_endpoint: `${issuer}/token`,
    })}\n`,
  );
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit(0)));
