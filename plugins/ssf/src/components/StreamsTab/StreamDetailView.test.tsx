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
import { StreamVerification } from '../../api';
import { adminStream, mockSsfApi } from '../../__testUtils__/fixtures';
import { renderTab } from '../../__testUtils__/render';
import { StreamDetailView } from './StreamDetailView';

jest.setTimeout(30_000);

/**
 * Renders the detail of a stream whose last verification (state `abc`) is
 * `verification`, and returns its `onChanged` once the detail shows.
 */
async function renderVerified(
  verification: Omit<StreamVerification, 'state' | 'requested_at'>,
) {
  const onChanged = jest.fn();
  renderTab(
    <StreamDetailView
      stream={adminStream({
        last_verification: {
          state: 'abc',
          requested_at: '2026-11-22T09:00:00.000Z',
          ...verification,
        },
      })}
      onBack={() => {}}
      onChanged={onChanged}
    />,
    { api: mockSsfApi() },
  );
  expect(await screen.findByText('abc')).toBeInTheDocument();
  return onChanged;
}

describe('StreamDetailView', () => {
  it('looks again while a requested verification is not yet delivered', async () => {
    const onChanged = await renderVerified({ status: 'pending' });
    await waitFor(() => expect(onChanged).toHaveBeenCalled(), {
      timeout: 5000,
    });
  });

  it('does not poll once the verification is settled', async () => {
    const onChanged = await renderVerified({
      status: 'delivered',
      delivered_at: '2026-11-22T09:00:01.000Z',
    });
    await new Promise(r => setTimeout(r, 2500));
    expect(onChanged).not.toHaveBeenCalled();
  });
});
