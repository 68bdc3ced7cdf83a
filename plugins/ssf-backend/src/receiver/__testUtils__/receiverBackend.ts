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

import { createBackendModule } from '@backstage/backend-plugin-api';
import { EventParams, eventsServiceRef } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { POLL } from '../../__testUtils__/specUris';
import {
  callerOf,
  HttpMethod,
  startSsfBackend,
  TestServer,
  userAuth,
} from '../../__testUtils__/testBackend';
import { TenantServer } from './tenantServer';
import { RECEIVER_AUDIENCE, TestTransmitter } from './testTransmitter';

/** The Security Events Providers API. */
export const PROVIDERS = '/api/ssf/security-events-providers';

/**
 * Every route of the provider API that takes a provider id: its method and
 * the path after `${PROVIDERS}/<id>`.
 */
export const PROVIDER_ID_ROUTES: ReadonlyArray<
  readonly [method: HttpMethod, path: string]
> = [
  ['get', ''],
  ['put', ''],
  ['delete', ''],
  ['post', '/lifecycle/activate'],
  ['post', '/lifecycle/deactivate'],
  ['post', '/poll'],
  ['get', '/remote-stream'],
  ['post', '/remote-stream'],
  ['patch', '/remote-stream'],
  ['delete', '/remote-stream'],
  ['get', '/remote-stream/status'],
  ['post', '/remote-stream/status'],
  ['post', '/remote-stream/verify'],
];

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

/**
 * Receiver config under which providers are polled only when a test asks
 * (no scheduled polls), with `token` as the bearer token for the
 * transmitter's poll endpoint.
 */
export function pollOnDemand(
  transmitter: TestTransmitter,
  token = 'poll-token',
  options: { maxEvents?: number } = {},
): JsonObject {
  return {
    poll: { enabled: false, ...options },
    credentials: [{ issuer: transmitter.issuer, token }],
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

/** Requests as a portal admin, a user the test backend's permissions allow. */
export function asAdmin(server: TestServer) {
  const call = callerOf(server, userAuth());
  return {
    get: (path: string) => call('get', path),
    post: (path: string, body?: object) => call('post', path, body),
    put: (path: string, body: object) => call('put', path, body),
    patch: (path: string, body: object) => call('patch', path, body),
    delete: (path: string) => call('delete', path),
  };
}

/**
 * Registers a transmitter as a provider through the API, by its well-known
 * URL unless `extra` gives other settings; returns the provider.
 */
export async function addProvider(
  server: TestServer,
  transmitter: TenantServer,
  extra: Record<string, unknown> = {},
) {
  const res = await request(server)
    .post(PROVIDERS)
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

/** Registers a transmitter as a provider whose SETs are polled (RFC 8936) at `endpointUrl`. */
export function addPollProvider(
  server: TestServer,
  transmitter: TestTransmitter,
  endpointUrl = transmitter.pollUrl,
) {
  return addProvider(server, transmitter, {
    delivery: { method: POLL, endpoint_url: endpointUrl },
  });
}

/** Polls a provider now, as the portal's "poll now" does. */
export function pollNow(server: TestServer, providerId: string) {
  return request(server).post(`${PROVIDERS}/${providerId}/poll`);
}

/** Pushes a SET the way RFC 8935 does. */
export function push(server: TestServer, set: string, authorization?: string) {
  const req = request(server)
    .post('/api/ssf/security-events')
    .set('Content-Type', 'application/secevent+jwt')
    .set('Accept', 'application/json');
  if (authorization) req.set('Authorization', authorization);
  return req.send(set);
}

/** The SETs the receiver stored, oldest first, as database rows. */
export function storedEvents(knex: Knex) {
  return knex('ssf_received_events').orderBy('id');
}

/** A backend module that collects every event published on `ssf.received`. */
export function collectReceivedTopic(published: EventParams[]) {
  return createBackendModule({
    pluginId: 'ssf',
    moduleId: 'received-topic-collector',
    register(reg) {
      reg.registerInit({
        deps: { events: eventsServiceRef },
        async init({ events }) {
          await events.subscribe({
            id: 'received-topic-collector',
            topics: ['ssf.received'],
            onEvent: async e => void published.push(e),
          });
        },
      });
    },
  });
}
