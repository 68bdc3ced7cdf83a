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
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ssfPlugin } from '../plugin';

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
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
}) {
  const knex = options.knex ?? (await options.databases.init(options.id));
  const backend = await startTestBackend({
    features: [
      ssfPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ...options.config,
        },
      }),
      mockServices.permissions.factory({
        result: options.permission ?? AuthorizeResult.ALLOW,
      }),
      ...(options.extraFeatures ?? []),
    ],
  });
  return { backend, server: backend.server, knex };
}
