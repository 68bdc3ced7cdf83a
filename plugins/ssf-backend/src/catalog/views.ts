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
  DELIVERY_METHODS,
  type SecurityEventsProvider,
  type SsfAdminComponents,
  type SsfCatalogComponents,
} from '@shared-signals/plugin-ssf-common';

type AdminStream = SsfAdminComponents['schemas']['AdminStream'];

/** A stream as the catalog is told of it (catalog.yaml `CatalogStream`). @internal */
export type CatalogStream = SsfCatalogComponents['schemas']['CatalogStream'];
/** A provider as the catalog is told of it (catalog.yaml `CatalogProvider`). @internal */
export type CatalogProvider =
  SsfCatalogComponents['schemas']['CatalogProvider'];

/**
 * The stream members the catalog shows: what `ssf.stream.read` shows on the
 * admin page, minus what changes with every delivery (counts, last error,
 * verification), so that an entity changes only when the stream does and a
 * busy stream does not make the catalog re-process it every refresh. The
 * push authorization header is not in the admin view to begin with.
 */
export function toCatalogStream(stream: AdminStream): CatalogStream {
  return {
    stream_id: stream.stream_id,
    client_id: stream.client_id,
    ...(stream.description !== undefined && {
      description: stream.description,
    }),
    status: stream.status,
    delivery_method: stream.delivery.method,
    events_delivered: [...stream.events_delivered].sort(),
    receiver_profile: stream.receiver_profile ?? 'ssf',
    created_at: stream.created_at,
    ...catalogRefs(stream),
  };
}

/**
 * The provider members the catalog shows: the provider API's view without
 * the links, the JWKS URL or leniency flags (admin detail, not ownership).
 * Secrets are never in the provider view.
 */
export function toCatalogProvider(
  provider: SecurityEventsProvider,
): CatalogProvider {
  return {
    id: provider.id,
    name: provider.name,
    type: provider.type,
    status: provider.status,
    issuer: provider.settings.issuer,
    delivery_method: provider.delivery?.method ?? DELIVERY_METHODS.push,
    ...catalogRefs(provider),
  };
}

/** `owner` and `consumer` (normalised entity refs), each only when set. */
function catalogRefs(view: { owner?: string; consumer?: string }): {
  owner?: string;
  consumer?: string;
} {
  return {
    ...(view.owner !== undefined && { owner: view.owner }),
    ...(view.consumer !== undefined && { consumer: view.consumer }),
  };
}
