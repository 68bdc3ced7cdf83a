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
  TestApiPair,
  mockApis,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SignalApi, signalApiRef } from '@backstage/plugin-signals-react';
import { screen } from '@testing-library/react';
import { useLocation, useNavigate } from 'react-router-dom';
import { SWRConfig } from 'swr';
import { tabRouteRefs } from '../alphaRoutes';
import { SsfApi, ssfApiRef } from '../api';
import { NfsSsfLinks } from '../components/SsfPage/tabElements';
import { rootRouteRef } from '../routes';
import { SsfTabPath } from '../tabs';

/**
 * Renders a tab in a test app with the given SsfApi mock and permission
 * decision. Permission results are cached by `usePermission` across
 * renders, so each render gets a cache of its own.
 *
 * The page's routes are mounted where the new frontend system mounts them
 * by default (`/ssf`, `/ssf/streams`, …), and the catalog's entity pages at
 * `/catalog/:namespace/:kind/:name`, so links resolve as in the app.
 * With `tab`, the element is rendered at that tab's path, as the page
 * renders it, starting at `url` (the tab's list by default).
 *
 * With `signals`, the app has that signal API (without it the signals plugin
 * is not installed). With `historyControls`, {@link HistoryControls} are
 * rendered below the element.
 */
export function renderTab(
  element: JSX.Element,
  options: {
    api: SsfApi;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
    signals?: SignalApi;
    historyControls?: boolean;
    tab?: SsfTabPath;
    url?: string;
  },
) {
  const { tab, url, signals } = options;
  const optional: TestApiPair<unknown>[] = signals
    ? [[signalApiRef, signals]]
    : [];
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <NfsSsfLinks>
        {element}
        {options.historyControls && <HistoryControls />}
      </NfsSsfLinks>
    </SWRConfig>,
    {
      apis: [
        [ssfApiRef, options.api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        ...optional,
      ],
      mountedRoutes: {
        '/ssf': rootRouteRef,
        '/ssf/streams': tabRouteRefs.streams,
        '/ssf/providers': tabRouteRefs.providers,
        '/ssf/received-events': tabRouteRefs['received-events'],
        '/ssf/hooks': tabRouteRefs.hooks,
        '/ssf/transmitter': tabRouteRefs.transmitter,
        // Where the catalog's entity pages are in most apps.
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      ...(tab && {
        mountPath: `/ssf/${tab}/*`,
        initialRouteEntries: [url ?? `/ssf/${tab}`],
      }),
    },
  );
}

/**
 * The `render` of one tab's tests: `element` rendered at the tab's path
 * (or at `url`) with {@link HistoryControls}, for a user who is allowed
 * everything unless `authorize` says otherwise.
 */
export function tabRender(element: JSX.Element, tab?: SsfTabPath) {
  return (
    api: SsfApi,
    options: { authorize?: AuthorizeResult.DENY; url?: string } = {},
  ) => renderTab(element, { api, tab, historyControls: true, ...options });
}

/**
 * Shows the current path and steps through the history, as the browser's
 * address bar and back and forward buttons would.
 */
export function HistoryControls() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <div>
      <output aria-label="Current path">{location.pathname}</output>
      <button type="button" onClick={() => navigate(-1)}>
        History back
      </button>
      <button type="button" onClick={() => navigate(1)}>
        History forward
      </button>
    </div>
  );
}

/** The path {@link HistoryControls} show. */
export function currentPath() {
  return screen.getByRole('status', { name: 'Current path' }).textContent;
}
