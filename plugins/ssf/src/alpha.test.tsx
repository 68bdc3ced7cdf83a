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
  createExtensionTester,
  mockApis,
  renderInTestApp,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ssfApiRef } from './api';
import { mockSsfApi, pageApi } from './__testUtils__/fixtures';
import {
  findStreamDetail,
  openProviderFromTab,
  openStreamFromList,
} from './__testUtils__/pageSteps';
import ssfPlugin, { ssfTranslationRef } from './alpha';

jest.setTimeout(30_000);

// The whole plugin in a new-frontend-system app: the page, its sub-pages
// and their route refs as the app binds them, not mounted by hand.
type AppConfig = NonNullable<Parameters<typeof renderTestApp>[0]>['config'];

function renderApp(url: string, config?: AppConfig) {
  const api = pageApi();
  renderTestApp({
    features: [ssfPlugin],
    initialRouteEntries: [url],
    config,
    apis: [
      [ssfApiRef, api],
      mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
    ],
  });
  return api;
}

describe('the Shared Signals plugin (new frontend system)', () => {
  it('renders a stream opened straight from /ssf/streams/:streamId', async () => {
    renderApp('/ssf/streams/stream-2');
    expect(await findStreamDetail('receiver-b')).toBeInTheDocument();
  });

  it('links rows to their routes', async () => {
    renderApp('/ssf');
    // The page opens on its first tab.
    await openStreamFromList();
    expect(screen.getByText('stream-1')).toBeInTheDocument();

    await openProviderFromTab();
  });

  it('follows a tab moved in app-config: links come from its route ref', async () => {
    renderApp('/ssf/all-streams', {
      app: {
        extensions: [
          { 'sub-page:ssf/streams': { config: { path: 'all-streams' } } },
        ],
      },
    });
    await userEvent.click(await screen.findByText('receiver-b'));
    expect(
      await screen.findByRole('heading', { name: 'receiver-b' }),
    ).toBeInTheDocument();
    expect(screen.getByText('stream-2')).toBeInTheDocument();
  });

  it('registers a route for each tab and detail, and the translation ref', () => {
    expect(Object.keys(ssfPlugin.routes).sort()).toEqual([
      'hooks',
      'provider',
      'providers',
      'receivedEvents',
      'root',
      'stream',
      'streams',
      'transmitter',
    ]);
    expect(ssfTranslationRef.id).toBe('ssf');
  });

  it("adds the Security signals card to users' entity pages", async () => {
    const card = ssfPlugin.getExtension('entity-card:ssf/security-signals');
    const api = mockSsfApi({
      getPersonSignals: async () => ({
        entity_ref: 'user:default/jane',
        identities: [],
        received: [],
        sent: [],
      }),
    });
    const tester = createExtensionTester(card, { apis: [[ssfApiRef, api]] });
    // On users' pages only.
    const shownOn = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    const entity = (kind: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: { name: 'jane', namespace: 'default' },
    });
    expect(shownOn?.(entity('User'))).toBe(true);
    expect(shownOn?.(entity('Component'))).toBe(false);

    renderInTestApp(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'User',
          metadata: { name: 'jane', namespace: 'default' },
        }}
      >
        {tester.reactElement()}
      </EntityProvider>,
      { apis: [[ssfApiRef, api]] },
    );
    expect(
      await screen.findByRole('heading', { name: 'Security signals' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('No security signals about this user'),
    ).toBeInTheDocument();
    expect(api.getPersonSignals).toHaveBeenCalledWith('user:default/jane', 20);
  });
});
