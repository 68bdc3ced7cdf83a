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
  OKTA_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdminStream, SsfApi } from '../../api';
import {
  OKTA_INGESTED,
  adminStream,
  failsWith,
  mockSsfApi,
  receiverProfiles,
  streamSet,
} from '../../__testUtils__/fixtures';
import {
  Within,
  openDialog,
  openDialogIn,
  pressInDialog,
  toggleOptions,
  typeIn,
} from '../../__testUtils__/interactions';
import { findStreamDetail } from '../../__testUtils__/pageSteps';
import { currentPath, tabRender } from '../../__testUtils__/render';
import { StreamsTab } from './StreamsTab';

jest.setTimeout(30_000);

const render = tabRender(<StreamsTab />, 'streams');

const openCreateDialog = () => openDialog('Create stream');

/** Picks a receiver profile in the create form, by its title. */
async function chooseProfile(form: Within, title: string | RegExp) {
  await userEvent.click(form.getByRole('button', { name: /Receiver profile/ }));
  await userEvent.click(await screen.findByRole('option', { name: title }));
  await waitFor(() =>
    expect(screen.queryByRole('listbox')).not.toBeInTheDocument(),
  );
}

describe('StreamsTab', () => {
  it('lists every stream with its delivery, status and counters', async () => {
    render(
      mockSsfApi({
        listStreams: async () => [
          adminStream({
            last_error: {
              message: 'receiver answered 503',
              at: '2026-11-02T12:00:00.000Z',
            },
          }),
          adminStream({
            stream_id: 'stream-2',
            client_id: 'receiver-b',
            status: 'paused',
            reason: 'maintenance',
            delivery: {
              method: DELIVERY_METHODS.poll,
              endpoint_url: 'http://localhost:7007/api/ssf/poll/stream-2',
            },
          }),
        ],
      }),
    );
    expect(await screen.findByText('receiver-a')).toBeInTheDocument();
    expect(screen.getByText('receiver-b')).toBeInTheDocument();
    expect(
      screen.getByText('https://receiver-a.example.com/events'),
    ).toBeInTheDocument();
    expect(screen.getByText('Poll')).toBeInTheDocument();
    expect(screen.getByText('Paused')).toBeInTheDocument();
    expect(screen.getByText('maintenance')).toBeInTheDocument();
    expect(screen.getAllByText('2 / 40 / 1')).toHaveLength(2);
    expect(screen.getByText('receiver answered 503')).toBeInTheDocument();
    expect(screen.getAllByText('CAEP session-revoked')).toHaveLength(2);
  });

  it('shows a loading state, then an empty state that says what to do', async () => {
    let resolve: (streams: []) => void = () => {};
    render(
      mockSsfApi({
        listStreams: () => new Promise(r => (resolve = r)),
      }),
    );
    expect(screen.getByText('Loading streams…')).toBeInTheDocument();
    resolve([]);
    expect(await screen.findByText('No streams yet')).toBeInTheDocument();
    expect(screen.getByText(/creates its stream itself/)).toBeInTheDocument();
  });

  it('shows backend errors in words, with a retry', async () => {
    const api = mockSsfApi({
      listStreams: failsWith('You do not have permission to do this', 403),
    });
    render(api);
    expect(
      await screen.findByText('Could not load the streams'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('You do not have permission to do this'),
    ).toBeInTheDocument();
    api.listStreams.mockResolvedValueOnce([adminStream()]);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('receiver-a')).toBeInTheDocument();
  });

  it('disables create for users without the manage permission, saying why', async () => {
    render(mockSsfApi({ listStreams: async () => [] }), {
      authorize: AuthorizeResult.DENY,
    });
    await screen.findByText('No streams yet');
    const buttons = screen.getAllByRole('button', { name: 'Create stream' });
    for (const button of buttons) {
      await waitFor(() => expect(button).toBeDisabled());
      expect(button).toHaveAccessibleDescription(
        'You need the ssf.stream.manage permission to create streams.',
      );
    }
  });

  describe('create form', () => {
    it('validates like the backend and sends nothing invalid', async () => {
      const api = mockSsfApi({ listStreams: async () => [] });
      render(api);
      const form = await openCreateDialog();

      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText('Enter the URL the transmitter pushes events to'),
      ).toBeInTheDocument();

      await typeIn(form, /Endpoint URL/, 'http://receiver.example.com/events');
      await userEvent.type(
        form.getByLabelText('Authorization header'),
        'Bearer a{Enter}',
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/The URL must use https/),
      ).toBeInTheDocument();
      expect(api.createStream).not.toHaveBeenCalled();
    });

    it('refuses an authorization header with unsendable characters and a long description', async () => {
      const api = mockSsfApi({ listStreams: async () => [] });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Endpoint URL/, 'https://receiver.example.com/events');
      // Characters a header value cannot carry are refused before sending.
      await userEvent.type(
        form.getByLabelText('Authorization header'),
        'Bearer t€st',
      );
      await userEvent.click(form.getByRole('textbox', { name: /Description/ }));
      await userEvent.paste('x'.repeat(1025));
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(
          'The authorization header cannot contain the character "€"; use printable ASCII (or Latin-1) only',
        ),
      ).toBeInTheDocument();
      expect(
        form.getByText(/The description must be at most 1024 characters/),
      ).toBeInTheDocument();
      expect(api.createStream).not.toHaveBeenCalled();
    });

    it('creates a push stream with the chosen events and reloads the list', async () => {
      const api = mockSsfApi({
        listStreams: async () => [],
        listReceiverProfiles: async () => receiverProfiles,
        createStream: async () => adminStream(),
      });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Client ID/, 'receiver-a');
      await typeIn(form, /Endpoint URL/, 'https://receiver.example.com/events');
      await userEvent.type(
        form.getByLabelText('Authorization header'),
        'Bearer s3cret',
      );
      await toggleOptions(form, /Events requested/, [
        'session-revoked',
        'account-disabled',
      ]);
      await userEvent.click(form.getByRole('button', { name: 'Create' }));

      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith({
          client_id: 'receiver-a',
          delivery: {
            method: DELIVERY_METHODS.push,
            endpoint_url: 'https://receiver.example.com/events',
            authorization_header: 'Bearer s3cret',
          },
          events_requested: [
            CAEP_EVENT_TYPES.sessionRevoked,
            'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
          ],
        }),
      );
      await waitFor(() => expect(api.listStreams).toHaveBeenCalledTimes(2));
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
    });

    it('creates a stream with an owner and a consuming component, refusing a bad ref', async () => {
      const api = mockSsfApi({
        listStreams: async () => [],
        listReceiverProfiles: async () => [],
        createStream: async () => adminStream(),
      });
      render(api);
      const form = await openCreateDialog();
      await userEvent.click(form.getByRole('radio', { name: /Poll/ }));
      await typeIn(form, /Owner/, 'group:default/');
      await typeIn(form, /Consuming component/, 'component:default/siem');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/Enter a catalog entity ref, such as group:/),
      ).toBeInTheDocument();
      expect(api.createStream).not.toHaveBeenCalled();

      const owner = form.getByRole('textbox', { name: /Owner/ });
      await userEvent.clear(owner);
      await userEvent.type(owner, 'team-a');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith({
          delivery: { method: DELIVERY_METHODS.poll },
          events_requested: [],
          owner: 'team-a',
          consumer: 'component:default/siem',
        }),
      );
    });

    it('keeps the dialog open with the backend refusal in words', async () => {
      const api = mockSsfApi({
        listStreams: async () => [],
        createStream: failsWith(
          'Client receiver-a already has stream stream-1',
          409,
        ),
      });
      render(api);
      const form = await openCreateDialog();
      await userEvent.click(form.getByRole('radio', { name: /Poll/ }));
      expect(
        form.queryByRole('textbox', { name: /Endpoint URL/ }),
      ).not.toBeInTheDocument();
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText('The stream could not be created'),
      ).toBeInTheDocument();
      expect(
        form.getByText('Client receiver-a already has stream stream-1'),
      ).toBeInTheDocument();
      expect(api.createStream).toHaveBeenCalledWith({
        delivery: { method: DELIVERY_METHODS.poll },
        events_requested: [],
      });
    });
  });

  describe('create form with receiver profiles', () => {
    function profilesApi(overrides: Partial<SsfApi> = {}) {
      return mockSsfApi({
        listStreams: async () => [],
        listReceiverProfiles: async () => receiverProfiles,
        createStream: async () => adminStream(),
        ...overrides,
      });
    }

    it('offers every listed profile, SSF 1.0 first and chosen', async () => {
      render(profilesApi());
      const form = await openCreateDialog();
      const picker = form.getByRole('button', { name: /Receiver profile/ });
      await waitFor(() => expect(picker).toHaveTextContent('SSF 1.0 receiver'));
      expect(
        form.getByText(/Any receiver that follows the Shared Signals/),
      ).toBeInTheDocument();
      await userEvent.click(picker);
      const options = await screen.findAllByRole('option');
      expect(options.map(o => o.textContent)).toEqual([
        expect.stringContaining('SSF 1.0 receiver'),
        expect.stringContaining('Okta Identity Threat Protection'),
        expect.stringContaining('Acme XDR'),
      ]);
    });

    it('creates an Okta stream from the org URL alone', async () => {
      const api = profilesApi();
      render(api);
      const form = await openCreateDialog();
      await chooseProfile(form, /Okta Identity Threat Protection/);

      // The SSF delivery fields make no sense for Okta: it is a push to the org.
      expect(
        form.queryByRole('textbox', { name: /Endpoint URL/ }),
      ).not.toBeInTheDocument();
      expect(
        form.queryByRole('radio', { name: /Poll/ }),
      ).not.toBeInTheDocument();
      expect(
        form.getByText(/Needs SETs signed with RS256\./),
      ).toBeInTheDocument();
      await typeIn(form, /Okta org URL/, 'https://acme.okta.com');
      expect(
        form.getByText(
          /pushed to https:\/\/acme\.okta\.com\/security\/api\/v1\/security-events/,
        ),
      ).toBeInTheDocument();
      expect(form.getByRole('textbox', { name: /Client ID/ })).toHaveAttribute(
        'placeholder',
        'okta:acme.okta.com',
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));

      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith({
          receiver_profile: 'okta',
          client_id: 'okta:acme.okta.com',
          delivery: {
            method: DELIVERY_METHODS.push,
            endpoint_url:
              'https://acme.okta.com/security/api/v1/security-events',
          },
          events_requested: OKTA_INGESTED,
        }),
      );
      await waitFor(() =>
        expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
      );
    });

    it('sends only the event types the admin kept for Okta', async () => {
      const api = profilesApi();
      render(api);
      const form = await openCreateDialog();
      await chooseProfile(form, /Okta Identity Threat Protection/);
      await typeIn(form, /Okta org URL/, 'https://acme.oktapreview.com');
      await typeIn(form, /Client ID/, 'okta-preview');
      await toggleOptions(form, /Events requested/, [
        'session-revoked',
        'device-compliance-change',
        'identifier-changed',
      ]);
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith(
          expect.objectContaining({
            receiver_profile: 'okta',
            client_id: 'okta-preview',
            events_requested: [
              OKTA_EVENT_TYPES.userRiskChange,
              OKTA_EVENT_TYPES.deviceRiskChange,
              OKTA_EVENT_TYPES.ipChange,
            ],
          }),
        ),
      );
    });

    it('says what is wrong with a bad org URL and sends nothing', async () => {
      const api = profilesApi();
      render(api);
      const form = await openCreateDialog();
      await chooseProfile(form, /Okta Identity Threat Protection/);

      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(
          'Enter the URL of the Okta org, such as https://acme.okta.com',
        ),
      ).toBeInTheDocument();

      const orgUrl = form.getByRole('textbox', { name: /Okta org URL/ });
      await userEvent.type(orgUrl, 'acme.okta.com');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(
          'Enter an absolute URL, such as https://acme.okta.com',
        ),
      ).toBeInTheDocument();
      expect(orgUrl).toHaveAttribute('aria-invalid', 'true');

      await userEvent.clear(orgUrl);
      await userEvent.type(orgUrl, 'http://acme.okta.com');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/The Okta org URL must use https/),
      ).toBeInTheDocument();
      expect(api.createStream).not.toHaveBeenCalled();
    });

    it('shows the backend refusal of an Okta stream in words', async () => {
      const api = profilesApi({
        createStream: failsWith(
          "receiver_profile 'okta' needs SETs signed with RS256, but this transmitter signs with ES256 (ssf.transmitter.signing.algorithm)",
          400,
        ),
      });
      render(api);
      const form = await openCreateDialog();
      await chooseProfile(form, /Okta Identity Threat Protection/);
      await typeIn(form, /Okta org URL/, 'https://acme.okta.com');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText('The stream could not be created'),
      ).toBeInTheDocument();
      expect(
        form.getByText(/but this transmitter signs with ES256/),
      ).toBeInTheDocument();
    });

    it("creates a stream with another profile on the plain form, with that profile's events", async () => {
      const api = profilesApi();
      render(api);
      const form = await openCreateDialog();
      await chooseProfile(form, /Acme XDR/);
      await typeIn(form, /Endpoint URL/, 'https://xdr.acme.example/ssf');
      await userEvent.click(
        form.getByRole('button', { name: /Events requested/ }),
      );
      // The profile's own event types, a vendor one by its whole URI.
      expect(await screen.findAllByRole('option')).toHaveLength(2);
      await userEvent.click(
        screen.getByRole('option', {
          name: 'https://schemas.acme.example/secevent/host-isolated',
        }),
      );
      await userEvent.keyboard('{Escape}');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith({
          receiver_profile: 'acme-xdr',
          delivery: {
            method: DELIVERY_METHODS.push,
            endpoint_url: 'https://xdr.acme.example/ssf',
          },
          events_requested: [
            'https://schemas.acme.example/secevent/host-isolated',
          ],
        }),
      );
    });

    it('still creates SSF streams when the profiles cannot be loaded', async () => {
      const api = profilesApi({
        listReceiverProfiles: failsWith('Service unavailable', 503),
      });
      render(api);
      const form = await openCreateDialog();
      expect(
        await form.findByText(/The receiver profiles could not be loaded/),
      ).toBeInTheDocument();
      await userEvent.click(form.getByRole('radio', { name: /Poll/ }));
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      await waitFor(() =>
        expect(api.createStream).toHaveBeenCalledWith({
          delivery: { method: DELIVERY_METHODS.poll },
          events_requested: [],
        }),
      );
    });
  });

  describe('stream detail', () => {
    async function openDetail(api: jest.Mocked<SsfApi>) {
      render(api);
      await userEvent.click(await screen.findByText('receiver-a'));
      return screen.findByRole('toolbar', { name: 'Stream actions' });
    }

    function detailApi(overrides: Partial<SsfApi> = {}) {
      return mockSsfApi({
        listStreams: async () => [
          adminStream({
            last_verification: {
              state: 'abc',
              requested_at: '2026-11-02T10:00:00.000Z',
              status: 'delivered',
              delivered_at: '2026-11-02T10:00:01.000Z',
            },
          }),
        ],
        listStreamSets: async () => ({ items: [streamSet()], total: 1 }),
        ...overrides,
      });
    }

    it('shows the configuration, the verification and the decoded SETs', async () => {
      await openDetail(detailApi());
      expect(screen.getByText('Delivered to the receiver')).toBeInTheDocument();
      expect(screen.getByText('abc')).toBeInTheDocument();
      const setRow = await screen.findByText('set-1');
      expect(
        screen.getByText('receiver answered 400 invalid_request'),
      ).toBeInTheDocument();
      await userEvent.click(setRow);
      const panel = await screen.findByRole('region', { name: 'SET set-1' });
      expect(within(panel).getByLabelText('SET header')).toHaveTextContent(
        '"kid": "key-1"',
      );
      expect(within(panel).getByLabelText('SET claims')).toHaveTextContent(
        CAEP_EVENT_TYPES.sessionRevoked,
      );
    });

    it("shows each stream's receiver profile in the table and the detail", async () => {
      render(
        mockSsfApi({
          listStreams: async () => [
            adminStream(),
            adminStream({
              stream_id: 'stream-okta',
              client_id: 'okta:acme.okta.com',
              receiver_profile: 'okta',
              aud: 'https://acme.okta.com',
            }),
            adminStream({
              stream_id: 'stream-gone',
              client_id: 'receiver-gone',
              receiver_profile: 'retired-vendor',
            }),
          ],
          listReceiverProfiles: async () => receiverProfiles,
          listStreamSets: async () => ({ items: [], total: 0 }),
        }),
      );
      const oktaRow = (await screen.findByText('okta:acme.okta.com')).closest(
        '[role="row"]',
      ) as HTMLElement;
      expect(
        await within(oktaRow).findByText('Okta Identity Threat Protection'),
      ).toBeInTheDocument();
      const ssfRow = screen
        .getByText('receiver-a')
        .closest('[role="row"]') as HTMLElement;
      expect(within(ssfRow).getByText('SSF 1.0 receiver')).toBeInTheDocument();
      // A profile the transmitter no longer lists shows by its ID.
      const goneRow = screen
        .getByText('receiver-gone')
        .closest('[role="row"]') as HTMLElement;
      expect(within(goneRow).getByText('retired-vendor')).toBeInTheDocument();

      await userEvent.click(screen.getByText('okta:acme.okta.com'));
      await screen.findByRole('toolbar', { name: 'Stream actions' });
      const field = screen.getByText('Receiver profile').parentElement!;
      expect(field).toHaveTextContent('Okta Identity Threat Protection');
    });

    it('keeps an Okta stream on push when it is edited', async () => {
      const api = mockSsfApi({
        listStreams: async () => [
          adminStream({
            client_id: 'okta:acme.okta.com',
            receiver_profile: 'okta',
            events_supported: OKTA_INGESTED,
            events_requested: [OKTA_EVENT_TYPES.ipChange],
            events_delivered: [OKTA_EVENT_TYPES.ipChange],
          }),
        ],
        listReceiverProfiles: async () => receiverProfiles,
        listStreamSets: async () => ({ items: [], total: 0 }),
        updateStream: async () => adminStream(),
      });
      render(api);
      await userEvent.click(await screen.findByText('okta:acme.okta.com'));
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Stream actions',
      });
      expect(
        screen.getByText('Receiver profile').parentElement!,
      ).toHaveTextContent('Okta Identity Threat Protection');
      const dialog = await openDialogIn(toolbar, 'Edit');
      expect(dialog.getByRole('radio', { name: /Poll/ })).toBeDisabled();
      await toggleOptions(dialog, /Events requested/, ['user-risk-change']);
      await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.updateStream).toHaveBeenCalledWith({
          stream_id: 'stream-1',
          events_requested: [
            OKTA_EVENT_TYPES.ipChange,
            OKTA_EVENT_TYPES.userRiskChange,
          ],
        }),
      );
    });

    it('verifies a stream and shows a rate limit in words', async () => {
      const api = detailApi({
        verifyStream: failsWith(
          'Verification was requested less than 30 seconds ago',
          429,
        ),
      });
      const toolbar = await openDetail(api);
      const dialog = await openDialogIn(toolbar, 'Verify');
      await typeIn(dialog, /State/, 'xyz');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Send verification' }),
      );
      expect(
        await dialog.findByText(
          'Verification was requested less than 30 seconds ago',
        ),
      ).toBeInTheDocument();
      expect(api.verifyStream).toHaveBeenCalledWith('stream-1', 'xyz');

      api.verifyStream.mockResolvedValueOnce(undefined);
      await userEvent.click(
        dialog.getByRole('button', { name: 'Send verification' }),
      );
      expect(
        await screen.findByText(/Verification requested/),
      ).toBeInTheDocument();
    });

    it('pauses a stream with a reason', async () => {
      const api = detailApi({
        setStreamStatus: async () => ({
          stream_id: 'stream-1',
          status: 'paused',
          reason: 'maintenance',
        }),
      });
      const toolbar = await openDetail(api);
      const dialog = await openDialogIn(toolbar, 'Enable / pause / disable');
      await userEvent.click(dialog.getByRole('radio', { name: /Paused/ }));
      await typeIn(dialog, /Reason/, 'maintenance');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Change status' }),
      );
      await waitFor(() =>
        expect(api.setStreamStatus).toHaveBeenCalledWith(
          'stream-1',
          'paused',
          'maintenance',
        ),
      );
      expect(
        await screen.findByText('The stream status was changed.'),
      ).toBeInTheDocument();
    });

    it('redelivers dead-lettered SETs after confirmation', async () => {
      const api = detailApi({
        redeliverStreamSets: async () => ({ redelivered: 1 }),
      });
      const toolbar = await openDetail(api);
      const dialog = await openDialogIn(toolbar, 'Redeliver dead-lettered (1)');
      await userEvent.click(dialog.getByRole('button', { name: 'Redeliver' }));
      expect(
        await screen.findByText('1 SET(s) queued for redelivery.'),
      ).toBeInTheDocument();
      expect(api.redeliverStreamSets).toHaveBeenCalledWith('stream-1');
    });

    it('deletes a stream only after confirmation', async () => {
      const api = detailApi({ deleteStream: async () => {} });
      const toolbar = await openDetail(api);
      const dialog = await openDialogIn(toolbar, 'Delete');
      expect(dialog.getByText(/This cannot be undone/)).toBeInTheDocument();
      await userEvent.click(dialog.getByRole('button', { name: 'Cancel' }));
      expect(api.deleteStream).not.toHaveBeenCalled();

      await userEvent.click(
        within(toolbar).getByRole('button', { name: 'Delete' }),
      );
      await pressInDialog('Delete');
      await waitFor(() =>
        expect(api.deleteStream).toHaveBeenCalledWith('stream-1'),
      );
    });

    it('shows the owner and consumer as links to their catalog pages, and clears one on edit', async () => {
      const api = detailApi({
        listStreams: async () => [
          adminStream({
            owner: 'group:default/team-a',
            consumer: 'component:default/siem',
          }),
        ],
        updateStream: async () => adminStream(),
      });
      const toolbar = await openDetail(api);
      expect(
        screen.getByRole('link', { name: 'group:default/team-a' }),
      ).toHaveAttribute('href', '/catalog/default/group/team-a');
      expect(
        screen.getByRole('link', { name: 'component:default/siem' }),
      ).toHaveAttribute('href', '/catalog/default/component/siem');

      const dialog = await openDialogIn(toolbar, 'Edit');
      expect(dialog.getByRole('textbox', { name: /Owner/ })).toHaveValue(
        'group:default/team-a',
      );
      await userEvent.clear(
        dialog.getByRole('textbox', { name: /Consuming component/ }),
      );
      await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.updateStream).toHaveBeenCalledWith({
          stream_id: 'stream-1',
          consumer: null,
        }),
      );
    });

    it('edits a stream without echoing the authorization header', async () => {
      const api = detailApi({ updateStream: async () => adminStream() });
      const toolbar = await openDetail(api);
      const dialog = await openDialogIn(toolbar, 'Edit');
      expect(dialog.getByLabelText('Authorization header')).toHaveValue('');
      const description = dialog.getByRole('textbox', { name: /Description/ });
      await userEvent.clear(description);
      await userEvent.type(description, 'Renamed');
      await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.updateStream).toHaveBeenCalledWith({
          stream_id: 'stream-1',
          description: 'Renamed',
        }),
      );
    });

    it('disables the actions for users without the manage permission', async () => {
      render(detailApi(), { authorize: AuthorizeResult.DENY });
      await userEvent.click(await screen.findByText('receiver-a'));
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Stream actions',
      });
      const del = within(toolbar).getByRole('button', { name: 'Delete' });
      await waitFor(() => expect(del).toBeDisabled());
      expect(del).toHaveAccessibleDescription(
        'You need the ssf.stream.manage permission to delete streams.',
      );
    });
  });

  describe('stream URLs', () => {
    function withStreams(overrides: Partial<SsfApi> = {}) {
      return mockSsfApi({
        listStreams: async () => [adminStream()],
        listStreamSets: async () => ({ items: [], total: 0 }),
        ...overrides,
      });
    }

    it('opens a stream at its own URL, and goes back and forward through the history', async () => {
      const api = withStreams();
      render(api);
      await userEvent.click(await screen.findByText('receiver-a'));
      await screen.findByRole('toolbar', { name: 'Stream actions' });
      expect(currentPath()).toBe('/ssf/streams/stream-1');

      await userEvent.click(
        screen.getByRole('button', { name: 'History back' }),
      );
      expect(
        await screen.findByRole('button', { name: 'Create stream' }),
      ).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/streams');
      expect(
        screen.queryByRole('toolbar', { name: 'Stream actions' }),
      ).not.toBeInTheDocument();

      await userEvent.click(
        screen.getByRole('button', { name: 'History forward' }),
      );
      await screen.findByRole('toolbar', { name: 'Stream actions' });
      expect(currentPath()).toBe('/ssf/streams/stream-1');

      await userEvent.click(
        screen.getByRole('button', { name: 'All streams' }),
      );
      expect(await screen.findByText('receiver-a')).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/streams');
      // The list and the detail share one load.
      expect(api.listStreams).toHaveBeenCalledTimes(1);
    });

    it('renders a stream opened straight from its URL once the list has loaded', async () => {
      let resolve: (streams: AdminStream[]) => void = () => {};
      render(
        withStreams({ listStreams: () => new Promise(r => (resolve = r)) }),
        { url: '/ssf/streams/stream-2' },
      );
      expect(screen.getByText('Loading the stream…')).toBeInTheDocument();
      resolve([
        adminStream(),
        adminStream({ stream_id: 'stream-2', client_id: 'receiver-b' }),
      ]);
      expect(await findStreamDetail('receiver-b')).toBeInTheDocument();
      expect(screen.getByText('stream-2')).toBeInTheDocument();
      expect(screen.queryByText('stream-1')).not.toBeInTheDocument();
    });

    it('says so when the stream of a URL does not exist, and leads to the list', async () => {
      render(withStreams(), { url: '/ssf/streams/gone' });
      expect(
        await screen.findByText('This stream no longer exists'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Stream gone was deleted or is not visible to you.'),
      ).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'All streams' }),
      );
      expect(await screen.findByText('receiver-a')).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/streams');
    });

    it('shows a failed load on a stream URL, with a retry', async () => {
      const api = withStreams({
        listStreams: failsWith('Service unavailable', 503),
      });
      render(api, { url: '/ssf/streams/stream-1' });
      expect(
        await screen.findByText('Could not load the streams'),
      ).toBeInTheDocument();
      api.listStreams.mockResolvedValueOnce([adminStream()]);
      await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
      expect(
        await screen.findByRole('toolbar', { name: 'Stream actions' }),
      ).toBeInTheDocument();
    });

    it('leaves a deleted stream for the list without keeping it in the history', async () => {
      let streams = [adminStream()];
      const api = withStreams({
        listStreams: jest.fn(async () => streams),
        deleteStream: jest.fn(async () => {
          streams = [];
        }),
      });
      render(api, { url: '/ssf/streams/stream-1' });
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Stream actions',
      });
      await userEvent.click(
        within(toolbar).getByRole('button', { name: 'Delete' }),
      );
      await pressInDialog('Delete');
      expect(await screen.findByText('No streams yet')).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/streams');
      // The stream's URL was replaced, so there is nothing to go back to.
      await userEvent.click(
        screen.getByRole('button', { name: 'History back' }),
      );
      expect(currentPath()).toBe('/ssf/streams');
      expect(
        screen.queryByText('This stream no longer exists'),
      ).not.toBeInTheDocument();
    });
  });
});
