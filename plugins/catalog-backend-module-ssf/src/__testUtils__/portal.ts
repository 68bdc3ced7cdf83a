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

// The helpers of this package's tests: a portal with the real catalog and
// SSF backends and this module.
/* eslint-disable jest/no-export */

import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
// The tests run the real SSF backend beside the real catalog backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ssfPlugin from '@shared-signals/plugin-ssf-backend';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import request from 'supertest';
import { catalogModuleSsf } from '../module';

/** A portal admin's Authorization header. */
export const ADMIN = mockCredentials.user.header('user:default/ssf-admin');
/** The Authorization header of the receiver `client-a`, a service principal. */
export const RECEIVER = `Bearer ${mockCredentials.service.token({
  onBehalfOf: mockCredentials.service('client-a'),
  targetPluginId: 'ssf',
})}`;

/** The databases every test runs on: PostgreSQL 15 when configured, and SQLite. */
export const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});
if (process.env.SSF_REQUIRE_POSTGRES && !databases.supports('POSTGRES_15')) {
  throw new Error('SSF_REQUIRE_POSTGRES is set but PostgreSQL is not');
}

/** Each plugin gets its own database, as in a real portal. */
function perPluginDatabases(byPlugin: Record<string, Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => {
      const knex = byPlugin[plugin.getId()];
      if (!knex) throw new Error(`No test database for ${plugin.getId()}`);
      return { getClient: async () => knex };
    },
  });
}

/** The catalog plugin's scheduler, to run the provider's task on demand. */
function captureScheduler(onScheduler: (s: SchedulerService) => void) {
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'test-scheduler-handle',
    register(reg) {
      reg.registerInit({
        deps: { scheduler: coreServices.scheduler },
        async init({ scheduler }) {
          onScheduler(scheduler);
        },
      });
    },
  });
}

/** Polls `probe` until it returns a value, for up to a minute. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 200));
  }
}

/**
 * A portal with the real catalog and SSF backends and this module, each
 * plugin on its own database of kind `id`; the provider's task runs only
 * when `refresh` is called (one refresh of the catalog).
 */
export async function startPortal(
  id: TestDatabaseId,
  options: {
    config?: JsonObject;
    features?: Parameters<typeof startTestBackend>[0]['features'];
  } = {},
) {
  let scheduler: SchedulerService | undefined;
  const backend = await startTestBackend({
    features: [
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      captureScheduler(s => {
        scheduler = s;
      }),
      catalogPlugin,
      catalogModuleSsf,
      ssfPlugin,
      perPluginDatabases({
        catalog: await databases.init(id),
        ssf: await databases.init(id),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://portal.example.com' },
          backend: { baseUrl: 'http://localhost:7007' },
          ...options.config,
        },
      }),
      ...(options.features ?? [
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ]),
    ],
  });
  const refresh = () => scheduler!.triggerTask('ssf-entity-provider:refresh');
  /** The entity of that name as `authorization` reads it, if it may. */
  const entity = async (name: string, authorization = ADMIN) => {
    const res = await request(backend.server)
      .get(`/api/catalog/entities/by-name/resource/default/${name}`)
      .set('Authorization', authorization);
    return res.status === 200 ? res.body : undefined;
  };
  return { backend, refresh, entity };
}

/**
 * The `catalog` config of a portal whose catalog holds one service
 * component, `name`, owned by `owner`, read from a catalog-info.yaml file in
 * a fresh temporary folder.
 */
export function componentLocation(name: string, owner: string): JsonObject {
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'ssf-catalog-')),
    'catalog-info.yaml',
  );
  fs.writeFileSync(
    file,
    [
      'apiVersion: backstage.io/v1alpha1',
      'kind: Component',
      `metadata: { name: ${name} }`,
      `spec: { type: service, lifecycle: production, owner: ${owner} }`,
    ].join('\n'),
  );
  return {
    locations: [{ type: 'file', target: file }],
    rules: [{ allow: ['Component'] }],
  };
}
