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
import { pageApi } from '../../__testUtils__/fixtures';
import {
  findStreamDetail,
  openProviderFromTab,
  openStreamFromList,
} from '../../__testUtils__/pageSteps';
import { HistoryControls, currentPath } from '../../__testUtils__/render';
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
        [ssfApiRef, pageApi()],
        mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
      ],
      mountedRoutes: { '/ssf': rootRouteRef },
      mountPath: '/ssf/*',
      initialRouteEntries: [url],
    },
  );
}

describe('SsfLegacyPage', () => {
  it('renders a stream opened straight from its URL', async () => {
    renderLegacyPage('/ssf/streams/stream-2');
    expect(await findStreamDetail('receiver-b')).toBeInTheDocument();
    expect(screen.getByText('Shared Signals')).toBeInTheDocument();
  });

  it('opens on the first tab, and links tabs, streams and providers to their URLs', async () => {
    renderLegacyPage('/ssf');
    await openStreamFromList();
    expect(currentPath()).toBe('/ssf/streams/stream-1');

    await openProviderFromTab();
    expect(currentPath()).toBe('/ssf/providers/sse1abc');

    await userEvent.click(screen.getByRole('button', { name: 'History back' }));
    expect(await screen.findByText('Add provider')).toBeInTheDocument();
    expect(currentPath()).toBe('/ssf/providers');
  });
});
