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

import { LoggerService } from '@backstage/backend-plugin-api';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { CatalogReconciler } from './CatalogReconciler';

/** Where the catalog history module publishes entity changes. @internal */
export const CATALOG_HISTORY_TOPIC = 'backstage.catalog.history.event';

const ENTITY_EVENTS = new Set([
  'entity_created',
  'entity_updated',
  'entity_deleted',
]);

/**
 * Reacts to the catalog history module's events (when the host publishes
 * them, `catalog.history.publishEvents.enabled`), so a changed user is seen
 * within seconds rather than at the next reconciliation. The subscriber id
 * is fixed, so one replica handles each event; the event only says which
 * user changed, and the user is then read and diffed like in the
 * reconciliation, which is why seeing a change twice emits it once.
 *
 * @internal
 */
export async function subscribeToCatalogHistory(options: {
  events: EventsService;
  reconciler: CatalogReconciler;
  logger: LoggerService;
}) {
  await options.events.subscribe({
    id: 'ssf-lifecycle-catalog-history',
    topics: [CATALOG_HISTORY_TOPIC],
    onEvent: async (params: EventParams) => {
      const payload = params.eventPayload as {
        eventType?: string;
        entityRef?: string;
      };
      const eventType =
        payload?.eventType ??
        (params.metadata?.eventType as string | undefined);
      const entityRef = payload?.entityRef;
      if (
        !eventType ||
        !ENTITY_EVENTS.has(eventType) ||
        typeof entityRef !== 'string' ||
        !entityRef.toLocaleLowerCase('en-US').startsWith('user:')
      ) {
        return;
      }
      try {
        await options.reconciler.reconcileOne(entityRef);
      } catch (error) {
        // The next reconciliation will see the change; do not fail the bus.
        options.logger.warn(
          `Lifecycle: could not process the catalog event for ${entityRef}`,
          error as Error,
        );
      }
    },
  });
}
