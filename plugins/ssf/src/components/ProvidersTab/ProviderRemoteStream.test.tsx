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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CAEP_EVENT_TYPES,
  DELIVERY_METHODS,
  RISC_EVENT_TYPES,
  SecurityEventsProviderRemoteStream,
} from '@shared-signals/plugin-ssf-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SsfApi } from '../../api';
import { SsfRequestError } from '../../api/errors';
import { mockSsfApi, provider } from '../../__testUtils__/fixtures';
import { renderTab } from '../../__testUtils__/render';
import { ProvidersTab } from './ProvidersTab';

jest.setTimeout(30_000);

const remote: SecurityEventsProviderRemoteStream = {
  stream_id: 'f67e39a0a4d34d56b3aa1bc4cff0069f',
  status: 'enabled',
  status_updated_at: '2026-11-02T08:00:00.000Z',
  aud: 'https://portal.example.com/api/ssf',
  events_requested: [CAEP_EVENT_TYPES.sessionRevoked],
  events_delivered: [CAEP_EVENT_TYPES.sessionRevoked],
  description: 'Okta to the portal',
  delivery: {
    method: DELIVERY_METHODS.push,
    endpoint_url: 'https://portal.example.com/api/ssf/security-events',
  },
  last_verified_at: '2026-11-02T09:00:00.000Z',
};

async function open(
  overrides: Partial<SsfApi>,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const api = mockSsfApi({
    listProviders: async () => [
      provider({ remote_stream: { stream_id: remote.stream_id } }),
    ],
    getProviderRemoteStream: async () => remote,
    ...overrides,
  });
  renderTab(<ProvidersTab />, { api, authorize, tab: 'providers' });
  // The remote stream is on the provider's page, which its row leads to.
  await userEvent.click(await screen.findByText('Okta'));
  await screen.findByText('Remote stream of Okta');
  return api;
}

describe('ProviderRemoteStream', () => {
  it('reads the stream at the transmitter and shows it', async () => {
    const api = await open({});
    expect(
      await screen.findByText('https://portal.example.com/api/ssf'),
    ).toBeInTheDocument();
    expect(api.getProviderRemoteStream).toHaveBeenCalledWith('sse1abc');
    expect(screen.getByText(remote.stream_id!)).toBeInTheDocument();
    expect(screen.getByText('Enabled')).toBeInTheDocument();
    expect(screen.getByText('Okta to the portal')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Push · https://portal.example.com/api/ssf/security-events',
      ),
    ).toBeInTheDocument();
    expect(screen.getAllByText('CAEP session-revoked')).toHaveLength(2);
  });

  it('shows the errorSummary when the transmitter fails, and refreshes the status', async () => {
    await open({
      getProviderRemoteStream: async () => {
        throw new SsfRequestError(
          "The provider's transmitter answered HTTP 500",
          502,
        );
      },
      getProviderRemoteStreamStatus: async () => ({
        stream_id: remote.stream_id!,
        status: 'disabled',
        reason: 'suspended by the IdP',
      }),
    });
    expect(
      await screen.findByText("The provider's transmitter answered HTTP 500"),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh status' }),
    );
    expect(await screen.findByText('Disabled')).toBeInTheDocument();
    expect(screen.getByText(/suspended by the IdP/)).toBeInTheDocument();
  });

  it('pauses the stream with POST /status', async () => {
    const api = await open({
      setProviderRemoteStreamStatus: async () => ({
        stream_id: remote.stream_id!,
        status: 'paused',
      }),
    });
    await screen.findByText('Enabled');
    const pause = screen.getByRole('button', { name: 'Pause' });
    await waitFor(() => expect(pause).toBeEnabled());
    await userEvent.click(pause);
    await waitFor(() =>
      expect(api.setProviderRemoteStreamStatus).toHaveBeenCalledWith(
        'sse1abc',
        'paused',
      ),
    );
    expect(
      await screen.findByText('The stream is paused at the transmitter.'),
    ).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Enable' })).toBeEnabled();
  });

  it('changes the events requested with PATCH', async () => {
    const api = await open({
      updateProviderRemoteStream: async (_id, request) => ({
        ...remote,
        events_requested: request.events_requested,
      }),
    });
    await screen.findByText('Enabled');
    const edit = screen.getByRole('button', { name: 'Edit events' });
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const form = within(await screen.findByRole('dialog'));
    await userEvent.click(
      form.getByRole('button', { name: /Events requested/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'account-disabled' }),
    );
    await userEvent.keyboard('{Escape}');
    await userEvent.click(form.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.updateProviderRemoteStream).toHaveBeenCalledWith('sse1abc', {
        events_requested: [
          CAEP_EVENT_TYPES.sessionRevoked,
          RISC_EVENT_TYPES.accountDisabled,
        ],
      }),
    );
    expect(
      await screen.findByText(
        'The events requested were changed at the transmitter.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText(/RISC account-disabled/)).toBeInTheDocument();
  });

  it('disables the changes for users without ssf.provider.manage', async () => {
    await open({}, AuthorizeResult.DENY);
    await screen.findByText('Enabled');
    const pause = screen.getByRole('button', { name: 'Pause' });
    await waitFor(() =>
      expect(pause).toHaveAccessibleDescription(
        'You need the ssf.provider.manage permission to pause remote streams.',
      ),
    );
    expect(pause).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Edit events' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Refresh status' }),
    ).toBeEnabled();
  });
});
