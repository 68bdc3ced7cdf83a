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

import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

// The legacy frontend system's refs. The new frontend system has its own
// (alphaRoutes.ts) and shares only the root, which core-plugin-api makes
// usable in both systems.

/**
 * The route of the Shared Signals page.
 *
 * @public
 */
export const rootRouteRef = createRouteRef({ id: 'ssf' });

/** The tabs of the legacy page, below its mount path. */
export const legacyTabRouteRefs = {
  streams: createSubRouteRef({
    id: 'ssf/streams',
    parent: rootRouteRef,
    path: '/streams',
  }),
  providers: createSubRouteRef({
    id: 'ssf/providers',
    parent: rootRouteRef,
    path: '/providers',
  }),
  'received-events': createSubRouteRef({
    id: 'ssf/received-events',
    parent: rootRouteRef,
    path: '/received-events',
  }),
  hooks: createSubRouteRef({
    id: 'ssf/hooks',
    parent: rootRouteRef,
    path: '/hooks',
  }),
  transmitter: createSubRouteRef({
    id: 'ssf/transmitter',
    parent: rootRouteRef,
    path: '/transmitter',
  }),
};

/** One stream in detail, on the legacy page. */
export const legacyStreamRouteRef = createSubRouteRef({
  id: 'ssf/stream',
  parent: rootRouteRef,
  path: '/streams/:streamId',
});

/** One provider in detail, on the legacy page. */
export const legacyProviderRouteRef = createSubRouteRef({
  id: 'ssf/provider',
  parent: rootRouteRef,
  path: '/providers/:providerId',
});
