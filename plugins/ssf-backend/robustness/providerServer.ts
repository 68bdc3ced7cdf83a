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

// The Security Events Providers of `yarn test:robustness`, as the plugin's
// receiver sees them: one HTTP server on 127.0.0.1 serving each provider's
// SSF metadata (SSF 1.0 §7.2, at /.well-known/ssf-configuration/<name>)
// and one JWKS with every provider's ES256 key, and signing each
// provider's SETs. `failing` makes every request answer 500: metadata and
// keys unreachable.

import { exportJWK, generateKeyPair, JWK, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { SESSION_REVOKED } from './setup';

export interface TestProvider {
  issuer: string;
  wellKnownUrl: string;
  jwksUrl: string;
  /** A signed session-revoked SET for `email`, to `audience`. */
  sign(audience: string, email: string): Promise<string>;
}

export interface ProviderServer {
  /** Adds a provider named `name` (its issuer is `<origin>/<name>`). */
  provider(name: string): Promise<TestProvider>;
  /** While true, every request is answered 500. */
  failing: boolean;
  /** Requests answered, in all. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startProviderServer(): Promise<ProviderServer> {
  const keys: JWK[] = [];
  let requests = 0;
  const state = { failing: false };
  // Known once listening; requests come only after that.
  let origin = '';
  const server = http.createServer((req, res) => {
    requests += 1;
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (state.failing) {
      send(500, { error: 'robustness: provider down' });
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    const wellKnown = '/.well-known/ssf-configuration/';
    if (path === '/jwks') {
      send(200, { keys });
    } else if (path.startsWith(wellKnown)) {
      send(200, {
        issuer: `${origin}/${path.slice(wellKnown.length)}`,
        jwks_uri: `${origin}/jwks`,
      });
    } else {
      send(404, {});
    }
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    get requests() {
      return requests;
    },
    async provider(name) {
      const { privateKey, publicKey } = await generateKeyPair('ES256');
      const kid = randomUUID();
      keys.push({
        ...(await exportJWK(publicKey)),
        kid,
        alg: 'ES256',
        use: 'sig',
      });
      const issuer = `${origin}/${name}`;
      return {
        issuer,
        wellKnownUrl: `${origin}/.well-known/ssf-configuration/${name}`,
        jwksUrl: `${origin}/jwks`,
        sign: (audience, email) =>
          new SignJWT({
            jti: randomUUID(),
            aud: audience,
            sub_id: { format: 'email', email },
            events: {
              [SESSION_REVOKED]: {
                event_timestamp: Math.floor(Date.now() / 1000),
                initiating_entity: 'policy',
              },
            },
          })
            .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid })
            .setIssuer(issuer)
            .setIssuedAt()
            .sign(privateKey),
      };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
