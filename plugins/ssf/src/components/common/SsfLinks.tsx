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

import { createContext, ReactNode, useContext } from 'react';
import { SsfTabPath } from '../../tabs';

/**
 * Where the page's views are, as URLs. The new and the legacy frontend
 * system resolve different route refs with different hooks, so each page
 * resolves its own and hands the results to the tabs through this context;
 * the tabs need not know which system they run in.
 */
export interface SsfLinks {
  /** The list a tab shows, e.g. `/ssf/streams`. */
  tab(path: SsfTabPath): string;
  /** One stream in detail, e.g. `/ssf/streams/<streamId>`. */
  stream(streamId: string): string;
  /** One provider in detail, e.g. `/ssf/providers/<providerId>`. */
  provider(providerId: string): string;
}

const SsfLinksContext = createContext<SsfLinks | undefined>(undefined);

/** Provides the page's links to the tabs below it. */
export function SsfLinksProvider(props: {
  links: SsfLinks;
  children: ReactNode;
}) {
  return (
    <SsfLinksContext.Provider value={props.links}>
      {props.children}
    </SsfLinksContext.Provider>
  );
}

/** The page's links; only inside a Shared Signals page. */
export function useSsfLinks(): SsfLinks {
  const links = useContext(SsfLinksContext);
  if (!links) {
    throw new Error(
      'useSsfLinks must be used inside a Shared Signals page (SsfLinksProvider)',
    );
  }
  return links;
}

/**
 * The route function a ref resolved to, or an error that names the route.
 * The new frontend system resolves a ref to nothing when, say, its sub-page
 * was disabled in app-config; call this when a link is made, not before, so
 * that one missing tab does not break the others.
 */
export function mountedRoute<F>(name: string, route: F | undefined): F {
  if (!route) {
    throw new Error(`The Shared Signals ${name} route is not mounted`);
  }
  return route;
}
