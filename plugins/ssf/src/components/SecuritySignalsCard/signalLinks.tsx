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
import { createContext, ReactNode, useContext, useMemo } from 'react';
import { streamRouteRef, tabRouteRefs } from '../../alphaRoutes';
import { legacyStreamRouteRef, legacyTabRouteRefs } from '../../routes';
import { useMountedRouteRef } from '../common/useMountedRouteRef';

/**
 * Where the card's rows link to, on the Shared Signals page; undefined when
 * that page (or its tab) is not mounted in the app, and the row is text.
 */
export interface SignalLinks {
  /** One received event, opened on the Received events tab. */
  receivedEvent(id: string): string | undefined;
  /** One stream in detail. */
  stream(streamId: string): string | undefined;
}

const NO_LINKS: SignalLinks = {
  receivedEvent: () => undefined,
  stream: () => undefined,
};

const SignalLinksContext = createContext<SignalLinks>(NO_LINKS);

/** The card's links, or none outside a links provider. */
export function useSignalLinks(): SignalLinks {
  return useContext(SignalLinksContext);
}

function linksOf(
  receivedEvents: (() => string) | undefined,
  stream: ((params: { streamId: string }) => string) | undefined,
): SignalLinks {
  return {
    // The tab opens the event named in `event` beside its list.
    receivedEvent: id =>
      receivedEvents &&
      `${receivedEvents()}?${new URLSearchParams({ event: id })}`,
    stream: streamId => stream?.({ streamId }),
  };
}

/**
 * The links of the new frontend system, from the page's own route refs.
 * They resolve to nothing when a sub-page is disabled in app-config.
 */
export function NfsSignalLinks(props: { children: ReactNode }) {
  const receivedEvents = useRouteRef(tabRouteRefs['received-events']);
  const stream = useRouteRef(streamRouteRef);
  const links = useMemo(
    () => linksOf(receivedEvents, stream),
    [receivedEvents, stream],
  );
  return (
    <SignalLinksContext.Provider value={links}>
      {props.children}
    </SignalLinksContext.Provider>
  );
}

/**
 * The links of the legacy frontend system, from the legacy route refs; none
 * when the app does not mount the Shared Signals page.
 */
export function LegacySignalLinks(props: { children: ReactNode }) {
  const receivedEvents = useMountedRouteRef(
    legacyTabRouteRefs['received-events'],
  );
  const stream = useMountedRouteRef(legacyStreamRouteRef);
  const links = useMemo(
    () => linksOf(receivedEvents, stream),
    [receivedEvents, stream],
  );
  return (
    <SignalLinksContext.Provider value={links}>
      {props.children}
    </SignalLinksContext.Provider>
  );
}
