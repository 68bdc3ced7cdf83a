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
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

// The new frontend system's refs; the page itself keeps rootRouteRef
// (routes.ts), shared with the legacy system.

/**
 * One ref per tab, each given to its sub-page: the app binds it to wherever
 * the sub-page is mounted, so links follow a path changed in app-config.
 */
export const tabRouteRefs = {
  streams: createRouteRef(),
  providers: createRouteRef(),
  'received-events': createRouteRef(),
  hooks: createRouteRef(),
  transmitter: createRouteRef(),
};

/** One stream in detail: `/ssf/streams/:streamId` by default. */
export const streamRouteRef = createSubRouteRef({
  parent: tabRouteRefs.streams,
  path: '/:streamId',
});

/** One provider in detail: `/ssf/providers/:providerId` by default. */
export const providerRouteRef = createSubRouteRef({
  parent: tabRouteRefs.providers,
  path: '/:providerId',
});
