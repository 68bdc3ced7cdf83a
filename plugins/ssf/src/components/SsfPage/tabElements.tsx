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

import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Container } from '@backstage/ui';
import { ReactNode, useMemo } from 'react';
import {
  providerRouteRef,
  streamRouteRef,
  tabRouteRefs,
} from '../../alphaRoutes';
import { SsfTabPath } from '../../tabs';
// Not from '../common': the page's chunk should not load every common part.
import { SsfLinks, SsfLinksProvider, mountedRoute } from '../common/SsfLinks';
import { SecurityPostureBanner } from './SecurityPostureBanner';

/**
 * The links of the new frontend system's page, resolved from its own route
 * refs (alphaRoutes.ts) by the app's route resolution.
 */
export function NfsSsfLinks(props: { children: ReactNode }) {
  const streams = useRouteRef(tabRouteRefs.streams);
  const providers = useRouteRef(tabRouteRefs.providers);
  const receivedEvents = useRouteRef(tabRouteRefs['received-events']);
  const hooks = useRouteRef(tabRouteRefs.hooks);
  const transmitter = useRouteRef(tabRouteRefs.transmitter);
  const stream = useRouteRef(streamRouteRef);
  const provider = useRouteRef(providerRouteRef);
  const links = useMemo((): SsfLinks => {
    const tabs: Record<SsfTabPath, (() => string) | undefined> = {
      streams,
      providers,
      'received-events': receivedEvents,
      hooks,
      transmitter,
    };
    return {
      tab: path => mountedRoute(`${path} tab`, tabs[path])(),
      stream: streamId => mountedRoute('stream', stream)({ streamId }),
      provider: providerId =>
        mountedRoute('provider', provider)({ providerId }),
    };
  }, [
    streams,
    providers,
    receivedEvents,
    hooks,
    transmitter,
    stream,
    provider,
  ]);
  return <SsfLinksProvider links={links}>{props.children}</SsfLinksProvider>;
}

// The page layout draws the header and tabs; the content brings its own
// page-level padding and width, and the permission warning above it.
const contained = (element: ReactNode) => (
  <NfsSsfLinks>
    <Container py="4">
      <SecurityPostureBanner />
      {element}
    </Container>
  </NfsSsfLinks>
);

/**
 * Loads the content of one tab. Each tab is its own chunk, so opening the
 * page does not load every tab's code.
 */
export const tabLoaders: Record<SsfTabPath, () => Promise<JSX.Element>> = {
  streams: () => import('../StreamsTab').then(m => contained(<m.StreamsTab />)),
  providers: () =>
    import('../ProvidersTab').then(m => contained(<m.ProvidersTab />)),
  'received-events': () =>
    import('../ReceivedEventsTab').then(m =>
      contained(<m.ReceivedEventsTab />),
    ),
  hooks: () => import('../HooksTab').then(m => contained(<m.HooksTab />)),
  transmitter: () =>
    import('../TransmitterTab').then(m => contained(<m.TransmitterTab />)),
};
