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
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ssfApiRef } from '../../api';
import {
  adminStream,
  mockSsfApi,
  provider,
} from '../../__testUtils__/fixtures';
import { HistoryControls } from '../../__testUtils__/render';
import { rootRouteRef } from '../../routes';
import { SsfLegacyPage } from './SsfLegacyPage';

jest.setTimeout(30_000);

// The legacy page resolves its own sub-route refs below the root ref, with
// core-plugin-api's useRouteRef; the page is mounted at /ssf, as an app
// would mount it (`<Route path="/ssf" element={<SsfPage />} />`).
function renderLegacyPage(url: string) {
  renderInTestApp(
    <>
      <SsfLegacyPage />
      <HistoryControls />
    </>,
    {
      apis: [
        [
          ssfApiRef,
          mockSsfApi({
            listStreams: async () => [
              adminStream(),
              adminStream({ stream_id: 'stream-2', client_id: 'receiver-b' }),
            ],
            listReceiverProfiles: async () => [],
            listStreamSets: async () => ({ items: [], total: 0 }),
            listProviders: async () => [provider()],
          }),
        ],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/ssf': rootRouteRef },
      mountPath: '/ssf/*',
      initialRouteEntries: [url],
    },
  );
}

const currentPath = () =>
  screen.getByRole('status', { name: 'Current path' }).textContent;

describe('SsfLegacyPage', () => {
  it('renders a stream opened straight from its URL', async () => {
    renderLegacyPage('/ssf/streams/stream-2');
    expect(
      await screen.findByRole('toolbar', { name: 'Stream actions' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'receiver-b' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Shared Signals')).toBeInTheDocument();
  });

  it('opens on the first tab, and links tabs, streams and providers to their URLs', async () => {
    renderLegacyPage('/ssf');
    await userEvent.click(await screen.findByText('receiver-a'));
    expect(
      await screen.findByRole('toolbar', { name: 'Stream actions' }),
    ).toBeInTheDocument();
    expect(currentPath()).toBe('/ssf/streams/stream-1');

    await userEvent.click(screen.getByRole('tab', { name: 'Providers' }));
    await userEvent.click(await screen.findByText('Okta'));
    expect(
      await screen.findByText('Remote stream of Okta'),
    ).toBeInTheDocument();
    expect(currentPath()).toBe('/ssf/providers/sse1abc');

    await userEvent.click(screen.getByRole('button', { name: 'History back' }));
    expect(await screen.findByText('Add provider')).toBeInTheDocument();
    expect(currentPath()).toBe('/ssf/providers');
  });
});
