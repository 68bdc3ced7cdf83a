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
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { failsWith, mockSsfApi, provider } from '../../__testUtils__/fixtures';
import { openDialog, toggleOptions } from '../../__testUtils__/interactions';
import { renderTab } from '../../__testUtils__/render';
import { SsfApi } from '../../api';
import { ProviderDetailView } from './ProviderDetailView';
import { ProviderRelay } from './ProviderRelay';

jest.setTimeout(30_000);

/** The portal's transmitter sends these, and nothing else. */
const supported = [
  CAEP_EVENT_TYPES.sessionRevoked,
  CAEP_EVENT_TYPES.credentialChange,
  RISC_EVENT_TYPES.accountDisabled,
];

const rule = {
  event_types: [CAEP_EVENT_TYPES.sessionRevoked],
  relayable_event_types: supported,
  updated_at: '2026-12-01T10:00:00.000Z',
  updated_by: 'user:default/admin',
};

function relayApi(overrides: Partial<SsfApi> = {}) {
  return mockSsfApi({
    getProviderRelay: async () => rule,
    ...overrides,
  });
}

function open(
  api: SsfApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  return renderTab(<ProviderRelay provider={provider()} />, {
    api,
    authorize,
  });
}

const EDIT = 'Edit relay of Okta';

describe('ProviderRelay', () => {
  it('shows the event types relayed, by name, and what relaying does', async () => {
    const api = relayApi();
    open(api);
    expect(await screen.findByText('CAEP session-revoked')).toBeInTheDocument();
    expect(api.getProviderRelay).toHaveBeenCalledWith('sse1abc');
    expect(screen.getByText(/by user:default\/admin/)).toBeInTheDocument();
    expect(
      screen.getByText(/A SET that was already relayed once is never relayed/),
    ).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: EDIT })).toBeEnabled();
  });

  it('says when nothing is relayed', async () => {
    open(
      relayApi({
        getProviderRelay: async () => ({
          event_types: [],
          relayable_event_types: supported,
        }),
      }),
    );
    expect(
      await screen.findByText(
        'None: nothing received from this provider is relayed.',
      ),
    ).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: EDIT })).toBeEnabled();
  });

  it('saves the event types chosen among those the transmitter sends', async () => {
    const api = relayApi({
      setProviderRelay: async (_id, body) => ({ ...rule, ...body }),
    });
    open(api);
    const form = await openDialog(EDIT);
    await toggleOptions(form, /Event types to relay/, ['credential-change']);
    // Only what the transmitter sends is offered.
    await userEvent.click(
      form.getByRole('button', { name: /Event types to relay/ }),
    );
    expect(
      await screen.findByRole('option', { name: 'account-disabled' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('option', { name: 'account-purged' }),
    ).not.toBeInTheDocument();
    await userEvent.keyboard('{Escape}');

    await userEvent.click(form.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(api.setProviderRelay).toHaveBeenCalledWith('sse1abc', {
        event_types: [
          CAEP_EVENT_TYPES.sessionRevoked,
          CAEP_EVENT_TYPES.credentialChange,
        ],
      }),
    );
    expect(
      await screen.findByText('The relay rule was saved.'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The rule is read again, as the backend stored it.
    expect(api.getProviderRelay).toHaveBeenCalledTimes(2);
  });

  it("shows the backend's refusal in the dialog", async () => {
    const refusal =
      "Api validation failed: event_types: event_types.0: 'https://schemas.openid.net/secevent/caep/event-type/session-revoked' is not sent by this transmitter (ssf.transmitter.eventsSupported)";
    const api = relayApi({ setProviderRelay: failsWith(refusal, 400) });
    open(api);
    const form = await openDialog(EDIT);
    await userEvent.click(await form.findByRole('button', { name: 'Save' }));
    const dialog = within(await screen.findByRole('dialog'));
    expect(
      await dialog.findByText('The relay rule could not be saved'),
    ).toBeInTheDocument();
    expect(dialog.getByText(refusal)).toBeInTheDocument();
  });

  it('disables the edit, saying why, for users without ssf.provider.manage', async () => {
    const api = relayApi({ getProviderHistory: failsWith('not here', 404) });
    renderTab(
      <ProviderDetailView
        provider={provider()}
        onBack={() => {}}
        onDeleted={() => {}}
        onChanged={() => {}}
      />,
      { api, authorize: AuthorizeResult.DENY },
    );
    expect(await screen.findByText('CAEP session-revoked')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', {
        name: EDIT,
        description:
          'You need the ssf.provider.manage permission to change what a provider relays.',
      }),
    ).toBeDisabled();
  });

  it('offers the edit to users with ssf.provider.manage on the detail page', async () => {
    const api = relayApi({ getProviderHistory: failsWith('not here', 404) });
    renderTab(
      <ProviderDetailView
        provider={provider()}
        onBack={() => {}}
        onDeleted={() => {}}
        onChanged={() => {}}
      />,
      { api },
    );
    expect(await screen.findByRole('button', { name: EDIT })).toBeEnabled();
    expect(
      screen.getByRole('heading', { name: "Relay to the portal's streams" }),
    ).toBeInTheDocument();
  });
});
