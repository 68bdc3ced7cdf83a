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
  mockCredentials,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { ssfBackendFeatures, TestPermission } from './ssfBackendFeatures';
import { PUSH } from './specUris';

/** An Authorization header for a receiver whose OAuth client ID is `clientId`. */
export function clientAuth(clientId: string): string {
  // The mock auth service turns this into a service principal with this subject,
  // as the real one does for an external access token.
  return `Bearer mock-service-token:${JSON.stringify({ sub: clientId })}`;
}

/** An Authorization header for a portal user. */
export function userAuth(userEntityRef = 'user:default/admin'): string {
  return mockCredentials.user.header(userEntityRef);
}

/** Starts a backend with only the SSF plugin on a fresh database of kind `id`. */
export async function startSsfBackend(options: {
  databases: TestDatabases;
  id: TestDatabaseId;
  config?: JsonObject;
  /** Share this database instead of making a fresh one (several replicas). */
  knex?: Knex;
  permission?: TestPermission;
  extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const knex = options.knex ?? (await options.databases.init(options.id));
  const backend = await startTestBackend({
    features: [
      ...ssfBackendFeatures({
        knex,
        config: options.config,
        permission: options.permission,
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return { backend, server: backend.server, knex };
}

/** What supertest takes: a test backend's HTTP server. */
export type TestServer = Parameters<typeof request>[0];

/** The HTTP methods of the SSF routes, as supertest names them. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Requests to a test backend as one caller: each carries `authorization` as
 * its Authorization header (none when undefined) and `body`, when given, as
 * JSON.
 */
export function callerOf(server: TestServer, authorization?: string) {
  return (method: HttpMethod, path: string, body?: object) => {
    const req = request(server)[method](path);
    if (authorization) req.set('Authorization', authorization);
    return body === undefined ? req : req.send(body);
  };
}

/**
 * Creates a push stream (SSF 1.0 §8.1.1.1, RFC 8935 delivery) as the
 * receiver whose client ID is `clientId`; `extra` adds or replaces members,
 * its `delivery` members those of the delivery.
 */
export function createPushStream(
  server: TestServer,
  clientId: string,
  endpointUrl: string,
  eventsRequested: string[],
  extra: { delivery?: object; [member: string]: unknown } = {},
) {
  const { delivery, ...members } = extra;
  return request(server)
    .post('/api/ssf/streams')
    .set('Authorization', clientAuth(clientId))
    .send({
      delivery: { method: PUSH, endpoint_url: endpointUrl, ...delivery },
      events_requested: eventsRequested,
      ...members,
    });
}

/** Emits an event through POST /emit as the backend plugin `plugin`. */
export function emitEvent(
  server: TestServer,
  event: { type: string; subject: object; payload?: object },
  plugin = 'plugin:hr-feed',
) {
  return request(server)
    .post('/api/ssf/emit')
    .set('Authorization', clientAuth(plugin))
    .send({ payload: {}, ...event });
}
