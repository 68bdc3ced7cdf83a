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
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices, TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestDatabases } from '../../__testUtils__/databases';
import { clientAuth, startSsfBackend } from '../../__testUtils__/testBackend';
import { CATALOG_RECONCILE_TASK_ID } from '../createIdentityHooks';

/** A User entity for tests. */
export function user(
  name: string,
  options: {
    email?: string;
    lifecycle?: string;
    memberOf?: string[];
    displayName?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}-${Math.random()}`,
      ...(options.lifecycle && {
        annotations: { 'ssf.io/lifecycle': options.lifecycle },
      }),
    },
    spec: {
      profile: {
        ...(options.email && { email: options.email }),
        ...(options.displayName && { displayName: options.displayName }),
      },
      memberOf: options.memberOf ?? [],
    },
  };
}

/**
 * A catalog whose users a test can change between reconciliations: each
 * call reads the current entities through the catalog's in-memory client.
 */
export function mutableCatalog(initial: Entity[] = []) {
  const entities = new Map(initial.map(e => [stringifyEntityRef(e), e]));
  type Catalog = ReturnType<typeof catalogServiceMock>;
  const client = () => catalogServiceMock({ entities: [...entities.values()] });
  const service: Pick<Catalog, 'streamEntities' | 'getEntityByRef'> = {
    streamEntities: (...args) => client().streamEntities(...args),
    getEntityByRef: (...args) => client().getEntityByRef(...args),
  };
  return {
    put(entity: Entity) {
      entities.set(stringifyEntityRef(entity), entity);
    },
    remove(ref: string) {
      entities.delete(ref);
    },
    factory: createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => service as never,
    }),
  };
}

export const PUSH = 'urn:ietf:rfc:8935';

/**
 * An SSF backend with a mutable catalog, a scheduler whose tasks run only
 * when the test says, and a handle on the plugin's events service.
 */
export async function startIdentityHooksBackend(options: {
  databases: ReturnType<typeof createTestDatabases>;
  id: TestDatabaseId;
  catalog: ReturnType<typeof mutableCatalog>;
  knex?: Knex;
  lifecycle?: JsonObject;
  permission?: Parameters<typeof startSsfBackend>[0]['permission'];
  extraFeatures?: Parameters<typeof startSsfBackend>[0]['extraFeatures'];
}) {
  let events: EventsService | undefined;
  let scheduler: SchedulerService | undefined;
  const started = await startSsfBackend({
    databases: options.databases,
    id: options.id,
    knex: options.knex,
    permission: options.permission,
    config: {
      ssf: {
        transmitter: {
          delivery: {
            allowInsecureUrls: true,
            allowPrivateNetworks: true,
            initialBackoff: { milliseconds: 50 },
            maxBackoff: { milliseconds: 200 },
          },
        },
        ...(options.lifecycle && { lifecycle: options.lifecycle }),
      },
    },
    extraFeatures: [
      ...(options.extraFeatures ?? []),
      options.catalog.factory,
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      createBackendModule({
        pluginId: 'ssf',
        moduleId: 'test-events-handle',
        register(reg) {
          reg.registerInit({
            deps: {
              eventsService: eventsServiceRef,
              schedulerService: coreServices.scheduler,
            },
            async init({ eventsService, schedulerService }) {
              events = eventsService;
              scheduler = schedulerService;
            },
          });
        },
      }),
    ],
  });
  const { server } = started;
  return {
    ...started,
    events: events!,
    // The mock scheduler runs the task to its end before this resolves.
    reconcile: () => scheduler!.triggerTask(CATALOG_RECONCILE_TASK_ID),
    createStream: (
      clientId: string,
      endpointUrl: string,
      eventsRequested: string[],
    ) =>
      request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth(clientId))
        .send({
          delivery: { method: PUSH, endpoint_url: endpointUrl },
          events_requested: eventsRequested,
        }),
    setStatus: (clientId: string, streamId: string, status: string) =>
      request(server)
        .post('/api/ssf/streams/status')
        .set('Authorization', clientAuth(clientId))
        .send({ stream_id: streamId, status }),
  };
}
