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
  ApiBlueprint,
  PageBlueprint,
  SubPageBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { RiBroadcastLine } from '@remixicon/react';
import { SsfClient, ssfApiRef } from './api';
import { providerRouteRef, streamRouteRef, tabRouteRefs } from './alphaRoutes';
import { rootRouteRef } from './routes';
import { SSF_TABS, SsfTabPath } from './tabs';
import { ssfMessages } from './translation';
import { tabLoaders } from './components/SsfPage/tabElements';

export { ssfTranslationRef } from './translation';

const ssfApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: ssfApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new SsfClient({ discoveryApi, fetchApi }),
    }),
});

const ssfPage = PageBlueprint.make({
  params: {
    path: '/ssf',
    // A plain string: page titles are fixed when the app starts, so this is
    // the default message, not a translation.
    title: ssfMessages.page.title,
    routeRef: rootRouteRef,
  },
});

// One call per tab with a literal path, rather than a map over SSF_TABS: a
// mapped extension gets a union of names whose printed order TypeScript
// does not keep stable, which would make the API report change by itself.
function tab<P extends SsfTabPath>(path: P) {
  const { title } = SSF_TABS.find(t => t.path === path)!;
  return SubPageBlueprint.make({
    name: path,
    params: {
      path,
      title,
      loader: tabLoaders[path],
      routeRef: tabRouteRefs[path],
    },
  });
}

const ssfTabs = [
  tab('streams'),
  tab('providers'),
  tab('received-events'),
  tab('hooks'),
  tab('transmitter'),
];

// On a user's entity page: the security events received and sent about
// them. Its own chunk, so that entity pages do not load the admin page.
const securitySignalsCard = EntityCardBlueprint.make({
  name: 'security-signals',
  params: {
    filter: { kind: 'user' },
    loader: () =>
      import('./components/SecuritySignalsCard').then(m => (
        <m.NfsSignalLinks>
          <m.SecuritySignalsCard />
        </m.NfsSignalLinks>
      )),
  },
});

/**
 * The Shared Signals plugin for the new frontend system: one page, `/ssf`,
 * with a tab each for streams, providers, received events, lifecycle hooks
 * and the transmitter. Every tab has a route (`streams`, `providers`,
 * `receivedEvents`, `hooks`, `transmitter`), and so do one stream
 * (`stream`, `/ssf/streams/:streamId`) and one provider (`provider`,
 * `/ssf/providers/:providerId`). The page's texts are in
 * {@link ssfTranslationRef}. On user entity pages it adds the "Security
 * signals" card (`entity-card:ssf/security-signals`).
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'ssf',
  title: ssfMessages.page.title,
  icon: <RiBroadcastLine />,
  info: { packageJson: () => import('../package.json') },
  routes: {
    root: rootRouteRef,
    streams: tabRouteRefs.streams,
    providers: tabRouteRefs.providers,
    receivedEvents: tabRouteRefs['received-events'],
    hooks: tabRouteRefs.hooks,
    transmitter: tabRouteRefs.transmitter,
    stream: streamRouteRef,
    provider: providerRouteRef,
  },
  extensions: [ssfApi, ssfPage, ...ssfTabs, securitySignalsCard],
});
