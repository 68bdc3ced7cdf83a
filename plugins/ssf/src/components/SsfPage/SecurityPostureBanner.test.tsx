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

import { screen, waitFor } from '@testing-library/react';
import { mockSsfApi } from '../../__testUtils__/fixtures';
import { renderTab } from '../../__testUtils__/render';
import { SecurityPostureBanner } from './SecurityPostureBanner';

describe('SecurityPostureBanner', () => {
  it('warns when users outside the SSF admin groups may manage SSF', async () => {
    const api = mockSsfApi({
      getSecurityPosture: jest.fn(async () => ({
        permissions_enabled: true,
        admin_groups: ['group:default/ssf-admins'],
        caller: { in_admin_groups: false, may_manage: true },
        warnings: [
          {
            id: 'non-admin-can-manage' as const,
            message:
              'You are not in the SSF admin groups (group:default/ssf-admins)',
          },
        ],
      })),
    });
    await renderTab(<SecurityPostureBanner />, { api });
    expect(
      await screen.findByText(
        'Shared Signals administration is not restricted',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You are not in the SSF admin groups/),
    ).toBeInTheDocument();
  });

  it('shows nothing when all is well or the backend cannot say', async () => {
    const failing = mockSsfApi({
      getSecurityPosture: jest.fn(async () => {
        throw new Error('404 Not Found');
      }),
    });
    await renderTab(<SecurityPostureBanner />, { api: failing });
    await waitFor(() => expect(failing.getSecurityPosture).toHaveBeenCalled());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    const fine = mockSsfApi();
    await renderTab(<SecurityPostureBanner />, { api: fine });
    await waitFor(() => expect(fine.getSecurityPosture).toHaveBeenCalled());
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
