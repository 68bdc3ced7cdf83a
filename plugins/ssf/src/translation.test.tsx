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
  TranslationApi,
  translationApiRef,
} from '@backstage/frontend-plugin-api';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import { ssfApiRef } from './api';
import { mockSsfApi } from './__testUtils__/fixtures';
import { SsfLegacyPage } from './components/SsfPage';
import { rootRouteRef } from './routes';
import { ssfMessages, ssfTranslationRef } from './translation';

// A translation that shows each message's key instead of its text: what
// still reads as English below was not taken from ssfTranslationRef.
const keysOnly: TranslationApi = {
  getTranslation: () => ({
    ready: true,
    t: ((key: string) => `[${key}]`) as any,
  }),
  translation$: () => ({ subscribe: () => ({ unsubscribe: () => {} }) } as any),
};

describe('ssfTranslationRef', () => {
  it('has the id ssf and the page texts as its default messages', () => {
    expect(ssfTranslationRef.id).toBe('ssf');
    expect(ssfMessages.page.title).toBe('Shared Signals');
    expect(ssfMessages.tabs).toEqual({
      streams: 'Streams',
      providers: 'Providers',
      receivedEvents: 'Received events',
      hooks: 'Lifecycle hooks',
      transmitter: 'Transmitter',
    });
  });

  it('gives the page title, the tabs and the Streams tab their texts', async () => {
    renderInTestApp(<SsfLegacyPage />, {
      apis: [
        [translationApiRef, keysOnly],
        [
          ssfApiRef,
          mockSsfApi({
            listStreams: async () => [],
            listReceiverProfiles: async () => [],
          }),
        ],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/ssf': rootRouteRef },
      mountPath: '/ssf/*',
      initialRouteEntries: ['/ssf/streams'],
    });
    expect(await screen.findByText('[streams.emptyTitle]')).toBeInTheDocument();
    expect(screen.getByText('[page.title]')).toBeInTheDocument();
    for (const key of [
      'streams',
      'providers',
      'receivedEvents',
      'hooks',
      'transmitter',
    ]) {
      expect(
        screen.getByRole('tab', { name: `[tabs.${key}]` }),
      ).toBeInTheDocument();
    }
    expect(screen.getByText('[streams.intro]')).toBeInTheDocument();
    expect(screen.getByText('[streams.emptyDescription]')).toBeInTheDocument();
    expect(
      screen.getAllByRole('button', { name: '[streams.create]' }).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('button', { name: '[common.refresh]' }),
    ).toBeInTheDocument();
  });
});
