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
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { SsfClient, ssfApiRef } from './api';
import {
  legacyProviderRouteRef,
  legacyStreamRouteRef,
  legacyTabRouteRefs,
  rootRouteRef,
} from './routes';

/**
 * The Shared Signals plugin for apps on the legacy frontend system. Its
 * routes are the page (`root`), each tab, one stream (`stream`,
 * `<mount path>/streams/:streamId`) and one provider (`provider`,
 * `<mount path>/providers/:providerId`).
 *
 * @public
 */
export const ssfPlugin = createPlugin({
  id: 'ssf',
  routes: {
    root: rootRouteRef,
    streams: legacyTabRouteRefs.streams,
    providers: legacyTabRouteRefs.providers,
    receivedEvents: legacyTabRouteRefs['received-events'],
    hooks: legacyTabRouteRefs.hooks,
    transmitter: legacyTabRouteRefs.transmitter,
    stream: legacyStreamRouteRef,
    provider: legacyProviderRouteRef,
  },
  apis: [
    createApiFactory({
      api: ssfApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SsfClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The Shared Signals admin page (legacy frontend system): mount it on a
 * route such as `/ssf`; its tabs are sub-routes.
 *
 * @public
 */
export const SsfPage: () => JSX.Element = ssfPlugin.provide(
  createRoutableExtension({
    name: 'SsfPage',
    component: () => import('./components/SsfPage').then(m => m.SsfLegacyPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Security signals" card of a user's entity page (legacy frontend
 * system): the recent security events received and sent about the user,
 * for an entity page's `kind:user` layout. It links to the Shared Signals
 * page when the app mounts {@link SsfPage}.
 *
 * @public
 */
export const EntitySecuritySignalsCard: () => JSX.Element = ssfPlugin.provide(
  createComponentExtension({
    name: 'EntitySecuritySignalsCard',
    component: {
      lazy: () =>
        import('./components/SecuritySignalsCard').then(
          m => m.LegacySecuritySignalsCard,
        ),
    },
  }),
);
