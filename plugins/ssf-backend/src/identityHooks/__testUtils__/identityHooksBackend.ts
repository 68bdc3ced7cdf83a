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

import { createServiceFactory } from '@backstage/backend-plugin-api';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import request from 'supertest';
import { useCleanups } from '../../__testUtils__/cleanups';
import { createTestDatabases } from '../../__testUtils__/databases';
import { manualScheduler } from '../../__testUtils__/manualScheduler';
import { startTestReceiver } from '../../__testUtils__/receiver';
import { ssfTestModule } from '../../__testUtils__/ssfTestModule';
import {
  clientAuth,
  createPushStream,
  startSsfBackend,
} from '../../__testUtils__/testBackend';
import { CATALOG_RECONCILE_TASK_ID } from '../createIdentityHooks';
import { hooksAdmin } from './hooksAdmin';

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

/** `count` users u0, u1, … with an email each. */
export function numberedUsers(count: number): Entity[] {
  return Array.from({ length: count }, (_, i) =>
    user(`u${i}`, { email: `u${i}@example.com` }),
  );
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
    /** Removes entities, given as entity refs or as the entities. */
    remove(...refs: Array<string | Entity>) {
      for (const ref of refs) {
        entities.delete(
          typeof ref === 'string' ? ref : stringifyEntityRef(ref),
        );
      }
    },
    factory: createServiceFactory({
      service: catalogServiceRef,
      deps: {},
      factory: () => service as never,
    }),
  };
}

/**
 * A catalog of 30 users of which `vanish` removes 20 at once: more than a
 * reconciliation removes by default (a quarter of the known users,
 * `ssf.lifecycle.catalog.maxRemovedFraction`), so it holds them back.
 */
export function vanishingCatalog() {
  const users = numberedUsers(30);
  const catalog = mutableCatalog(users);
  return { ...catalog, vanish: () => catalog.remove(...users.slice(0, 20)) };
}

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
  const scheduler = manualScheduler();
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
      ...scheduler.features,
      ssfTestModule('test-events-handle', reg =>
        reg.registerInit({
          deps: { eventsService: eventsServiceRef },
          async init({ eventsService }) {
            events = eventsService;
          },
        }),
      ),
    ],
  });
  const { server } = started;
  return {
    ...started,
    admin: hooksAdmin(server),
    reconcile: () => scheduler.trigger(CATALOG_RECONCILE_TASK_ID),
    /** Tells the plugin, as the catalog does, that a user entity changed. */
    catalogUpdated: (entityRef: string) =>
      events!.publish({
        topic: 'backstage.catalog.history.event',
        eventPayload: { eventType: 'entity_updated', entityRef },
      }),
    createStream: (
      clientId: string,
      endpointUrl: string,
      eventsRequested: string[],
    ) => createPushStream(server, clientId, endpointUrl, eventsRequested),
    setStatus: (clientId: string, streamId: string, status: string) =>
      request(server)
        .post('/api/ssf/streams/status')
        .set('Authorization', clientAuth(clientId))
        .send({ stream_id: streamId, status }),
  };
}

/**
 * Identity hooks backends and test receivers for the tests of one describe
 * block on the database kind `id`, each stopped after its test; `cleanUp`
 * registers more to stop.
 */
export function useIdentityHooksBackends(
  databases: ReturnType<typeof createTestDatabases>,
  id: TestDatabaseId,
) {
  const cleanUp = useCleanups();
  return {
    cleanUp,
    async start(
      catalog = mutableCatalog(),
      options: Omit<
        Parameters<typeof startIdentityHooksBackend>[0],
        'databases' | 'id' | 'catalog'
      > = {},
    ) {
      const backend = await startIdentityHooksBackend({
        databases,
        id,
        catalog,
        ...options,
      });
      cleanUp(() => backend.backend.stop());
      return backend;
    },
    async receiver() {
      const receiver = await startTestReceiver();
      cleanUp(() => receiver.close());
      return receiver;
    },
  };
}
