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

import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  SignalApi,
  SignalSubscriber,
  signalApiRef,
} from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { tabRouteRefs } from '../alphaRoutes';
import { SsfApi, ssfApiRef } from '../api';
import { NfsSsfLinks } from '../components/SsfPage/tabElements';
import { rootRouteRef } from '../routes';
import { SsfTabPath } from '../tabs';

/**
 * A signal API that delivers what the test publishes, as the signals
 * plugin's client delivers what the backend publishes.
 */
export class MockSignalApi implements SignalApi {
  readonly #subscribers = new Map<string, Set<(message: any) => void>>();

  subscribe: SignalApi['subscribe'] = (
    channel,
    onMessage,
  ): SignalSubscriber => {
    const set = this.#subscribers.get(channel) ?? new Set();
    set.add(onMessage);
    this.#subscribers.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  };

  /** How many components listen on `channel`. */
  listeners(channel: string): number {
    return this.#subscribers.get(channel)?.size ?? 0;
  }

  /** Delivers `message` on `channel`, inside `act`. */
  publish(channel: string, message: object): void {
    act(() => {
      for (const listener of this.#subscribers.get(channel) ?? []) {
        listener(message);
      }
    });
  }
}

/**
 * A `fetch` for the history routes: answers each request with `respond`'s
 * value for its URL as JSON (404 when it returns undefined).
 */
export function historyFetch(respond: (url: URL) => unknown) {
  return jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(
      typeof input === 'string' || input instanceof URL ? input : input.url,
    );
    const body = respond(url);
    return body === undefined
      ? new Response(JSON.stringify({ error: { message: 'not found' } }), {
          status: 404,
          headers: { 'content-type': 'application/json' },
        })
      : new Response(JSON.stringify(body), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
  });
}

/**
 * Renders like `renderTab`, with the page's routes mounted at `/ssf`, and
 * in addition a signal API (left out: the signals plugin is not installed)
 * and a `fetch` for the routes the history charts read.
 */
export function renderLive(
  element: JSX.Element,
  options: {
    api: SsfApi;
    signals?: MockSignalApi;
    fetch?: typeof fetch;
    tab?: SsfTabPath;
    url?: string;
  },
) {
  const { tab, url, signals } = options;
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <NfsSsfLinks>{element}</NfsSsfLinks>
    </SWRConfig>,
    {
      apis: [
        [ssfApiRef, options.api],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
        mockApis.fetch({ baseImplementation: options.fetch ?? 'none' }),
        ...(signals ? [[signalApiRef, signals] as const] : []),
      ],
      mountedRoutes: {
        '/ssf': rootRouteRef,
        '/ssf/streams': tabRouteRefs.streams,
        '/ssf/providers': tabRouteRefs.providers,
        '/ssf/received-events': tabRouteRefs['received-events'],
        '/ssf/hooks': tabRouteRefs.hooks,
        '/ssf/transmitter': tabRouteRefs.transmitter,
      },
      ...(tab && {
        mountPath: `/ssf/${tab}/*`,
        initialRouteEntries: [url ?? `/ssf/${tab}`],
      }),
    },
  );
}
