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
import request from 'supertest';
import { startSsfBackend } from '../../__testUtils__/testBackend';
import { RECEIVER_AUDIENCE, TestTransmitter } from './testTransmitter';

/** Receiver config for tests: our audience, and loopback http transmitters allowed. */
export function receiverConfig(extra: JsonObject = {}): JsonObject {
  return {
    ssf: {
      receiver: {
        audience: RECEIVER_AUDIENCE,
        allowInsecureUrls: true,
        allowPrivateNetworks: true,
        ...extra,
      },
    },
  };
}

/** Starts an SSF backend configured as a receiver for local test transmitters. */
export async function startReceiverBackend(
  options: Omit<Parameters<typeof startSsfBackend>[0], 'config'> & {
    receiver?: JsonObject;
  },
) {
  const { receiver, ...rest } = options;
  return startSsfBackend({ ...rest, config: receiverConfig(receiver) });
}

/** Registers a transmitter as a provider through the API; returns the provider. */
export async function addProvider(
  server: Parameters<typeof request>[0],
  transmitter: TestTransmitter,
  extra: Record<string, unknown> = {},
) {
  const res = await request(server)
    .post('/api/ssf/security-events-providers')
    .send({
      name: `Provider ${transmitter.origin}`,
      type: 'ssf',
      settings: { well_known_url: transmitter.wellKnownUrl },
      ...extra,
    });
  if (res.status !== 200) {
    throw new Error(
      `Creating the provider failed: ${res.status} ${JSON.stringify(res.body)}`,
    );
  }
  return res.body;
}

/** Pushes a SET the way RFC 8935 does. */
export function push(
  server: Parameters<typeof request>[0],
  set: string,
  authorization?: string,
) {
  const req = request(server)
    .post('/api/ssf/security-events')
    .set('Content-Type', 'application/secevent+jwt')
    .set('Accept', 'application/json');
  if (authorization) req.set('Authorization', authorization);
  return req.send(set);
}
