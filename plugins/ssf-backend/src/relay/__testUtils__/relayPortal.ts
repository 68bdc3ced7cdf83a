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

import { JsonObject } from '@backstage/types';
import { createLocalJWKSet, JWTPayload, jwtVerify } from 'jose';
import request from 'supertest';
import { ReceivedPush } from '../../__testUtils__/receiver';
import { TestServer, userAuth } from '../../__testUtils__/testBackend';
import { PROVIDERS } from '../../receiver/__testUtils__/receiverBackend';

/**
 * Config of a portal that receives SETs for `audience`, signs its own as
 * `issuer`, and may push to and fetch from loopback over http.
 */
export function relayPortalConfig(options: {
  issuer: string;
  audience: string;
}): JsonObject {
  return {
    ssf: {
      transmitter: {
        issuer: options.issuer,
        delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
      },
      receiver: {
        audience: options.audience,
        allowInsecureUrls: true,
        allowPrivateNetworks: true,
      },
    },
  };
}

/** `PUT …/{id}/relay` as a portal admin. */
export function putRelayRule(
  server: TestServer,
  providerId: string,
  body: unknown,
) {
  return request(server)
    .put(`${PROVIDERS}/${providerId}/relay`)
    .set('Authorization', userAuth())
    .send(body as object);
}

/**
 * The pushes a receiver got that carry `eventType`, each verified with the
 * keys the portal at `server` publishes: only SETs that portal signed pass.
 */
export async function verifiedSets(
  server: TestServer,
  received: ReceivedPush[],
  eventType: string,
): Promise<JWTPayload[]> {
  const jwks = await request(server).get('/api/ssf/jwks').expect(200);
  const keys = createLocalJWKSet(jwks.body);
  const sets = await Promise.all(
    received.map(async r => (await jwtVerify(r.body, keys)).payload),
  );
  return sets.filter(
    set => (set.events as Record<string, unknown> | undefined)?.[eventType],
  );
}
