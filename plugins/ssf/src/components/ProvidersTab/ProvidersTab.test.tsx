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
import { failsWith, mockSsfApi, provider } from '../../__testUtils__/fixtures';
import {
  openDialog,
  press,
  pressInDialog,
  typeIn,
} from '../../__testUtils__/interactions';
import { currentPath, tabRender } from '../../__testUtils__/render';
import { ProvidersTab } from './ProvidersTab';

jest.setTimeout(30_000);

const render = tabRender(<ProvidersTab />, 'providers');

/** An inactive provider known by its issuer and JWKS URL, without a stream. */
const entra = provider({
  id: 'sse2',
  name: 'Entra',
  status: 'INACTIVE',
  settings: {
    issuer: 'https://entra.example.com',
    jwks_url: 'https://entra.example.com/keys',
  },
  remote_stream: undefined,
});

describe('ProvidersTab', () => {
  it('lists providers with issuer, status and last verification', async () => {
    render(
      mockSsfApi({
        listProviders: async () => [provider(), entra],
      }),
    );
    expect(await screen.findByText('Okta')).toBeInTheDocument();
    expect(screen.getByText('https://okta.example.com')).toBeInTheDocument();
    expect(
      screen.getByText('keys at https://entra.example.com/keys'),
    ).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.getByText('Inactive')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Activate Entra' }),
    ).toBeInTheDocument();
  });

  it('shows a loading state and then an empty state that says what to do', async () => {
    let resolve: (v: []) => void = () => {};
    render(
      mockSsfApi({ listProviders: () => new Promise(r => (resolve = r)) }),
    );
    expect(screen.getByText('Loading providers…')).toBeInTheDocument();
    resolve([]);
    expect(await screen.findByText('No providers yet')).toBeInTheDocument();
    expect(
      screen.getByText(/Add a provider for each transmitter/),
    ).toBeInTheDocument();
  });

  it('shows backend errors in words', async () => {
    render(
      mockSsfApi({
        listProviders: failsWith('You do not have permission to do this', 403),
      }),
    );
    expect(
      await screen.findByText('Could not load the providers'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('You do not have permission to do this'),
    ).toBeInTheDocument();
  });

  it('switches the form between well-known URL and issuer + JWKS URL, and validates', async () => {
    const api = mockSsfApi({
      listProviders: async () => [],
      createProvider: async () => provider(),
    });
    render(api);
    const form = await openDialog('Add provider');
    await userEvent.click(form.getByRole('button', { name: 'Add' }));
    expect(await form.findByText('Enter a name')).toBeInTheDocument();
    expect(form.getByText('Enter the well-known URL')).toBeInTheDocument();

    await userEvent.click(form.getByRole('radio', { name: /issuer and JWKS/ }));
    expect(
      form.queryByRole('textbox', { name: /Well-known URL/ }),
    ).not.toBeInTheDocument();
    await typeIn(form, /Name/, 'Okta');
    await typeIn(form, /Issuer/, 'https://okta.example.com');
    await typeIn(form, /JWKS URL/, 'ftp://okta.example.com/keys');
    await userEvent.type(form.getByLabelText('Bearer secret'), 'short');
    await userEvent.click(form.getByRole('button', { name: 'Add' }));
    expect(
      await form.findByText('The JWKS URL must use https'),
    ).toBeInTheDocument();
    expect(
      form.getByText('authorization_secret must be at least 16 characters'),
    ).toBeInTheDocument();
    expect(api.createProvider).not.toHaveBeenCalled();

    const jwks = form.getByRole('textbox', { name: /JWKS URL/ });
    await userEvent.clear(jwks);
    await userEvent.type(jwks, 'https://okta.example.com/keys');
    await userEvent.clear(form.getByLabelText('Bearer secret'));
    await userEvent.click(form.getByRole('button', { name: 'Add' }));
    await waitFor(() =>
      expect(api.createProvider).toHaveBeenCalledWith({
        name: 'Okta',
        type: 'SSF',
        settings: {
          issuer: 'https://okta.example.com',
          jwks_url: 'https://okta.example.com/keys',
        },
        delivery: { method: 'urn:ietf:rfc:8935' },
      }),
    );
  });

  it('shows the seed error body of a refused create in words', async () => {
    const api = mockSsfApi({
      listProviders: async () => [],
      createProvider: failsWith(
        'Api validation failed: settings: issuer is already used by provider Okta',
        400,
      ),
    });
    render(api);
    const form = await openDialog('Add provider');
    await typeIn(form, /Name/, 'Okta');
    await typeIn(
      form,
      /Well-known URL/,
      'https://okta.example.com/.well-known/ssf-configuration',
    );
    await userEvent.click(form.getByRole('button', { name: 'Add' }));
    expect(
      await form.findByText(/issuer is already used by provider Okta/),
    ).toBeInTheDocument();
  });

  it('deactivates a provider and deletes one after confirmation', async () => {
    const api = mockSsfApi({
      listProviders: async () => [provider()],
      setProviderActive: async () => provider({ status: 'INACTIVE' }),
      deleteProvider: async () => {},
    });
    render(api);
    await press('Deactivate Okta');
    await waitFor(() =>
      expect(api.setProviderActive).toHaveBeenCalledWith('sse1abc', false),
    );
    expect(
      await screen.findByText('Okta is now inactive.'),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Delete Okta' }));
    await pressInDialog('Delete');
    await waitFor(() =>
      expect(api.deleteProvider).toHaveBeenCalledWith('sse1abc'),
    );
  });

  it('disables management for users without the permission, saying why', async () => {
    render(mockSsfApi({ listProviders: async () => [provider()] }), {
      authorize: AuthorizeResult.DENY,
    });
    const del = await screen.findByRole('button', { name: 'Delete Okta' });
    await waitFor(() => expect(del).toBeDisabled());
    expect(del).toHaveAccessibleDescription(
      'You need the ssf.provider.manage permission to delete providers.',
    );
  });

  describe('provider URLs', () => {
    it('opens a provider from its row at its own URL; the row buttons act in place', async () => {
      const api = mockSsfApi({
        listProviders: async () => [provider()],
        setProviderActive: async () => provider({ status: 'INACTIVE' }),
      });
      render(api);
      await press('Deactivate Okta');
      expect(
        await screen.findByText('Okta is now inactive.'),
      ).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/providers');

      await userEvent.click(screen.getByText('Okta'));
      expect(
        await screen.findByRole('heading', { name: 'Okta' }),
      ).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/providers/sse1abc');
      expect(screen.getByText('Remote stream of Okta')).toBeInTheDocument();

      await userEvent.click(
        screen.getByRole('button', { name: 'History back' }),
      );
      expect(
        await screen.findByRole('button', { name: 'Add provider' }),
      ).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/providers');
    });

    it('shows a provider opened straight from its URL, with its settings', async () => {
      let resolve: (v: ReturnType<typeof provider>[]) => void = () => {};
      render(
        mockSsfApi({ listProviders: () => new Promise(r => (resolve = r)) }),
        { url: '/ssf/providers/sse2' },
      );
      expect(screen.getByText('Loading the provider…')).toBeInTheDocument();
      resolve([provider(), entra]);
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Provider actions',
      });
      expect(
        screen.getByRole('heading', { name: 'Entra' }),
      ).toBeInTheDocument();
      expect(
        within(toolbar).getByRole('button', { name: 'Activate Entra' }),
      ).toBeInTheDocument();
      expect(
        screen.getByText('https://entra.example.com/keys'),
      ).toBeInTheDocument();
      expect(
        screen.getByText("This portal has no stream at Entra's transmitter."),
      ).toBeInTheDocument();
    });

    it('shows the owner and consumer as catalog links, and keeps, sets or clears them on edit', async () => {
      const okta = provider({ owner: 'group:default/security' });
      const api = mockSsfApi({
        listProviders: async () => [okta],
        replaceProvider: async () => okta,
      });
      render(api, { url: '/ssf/providers/sse1abc' });
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Provider actions',
      });
      expect(
        screen.getByRole('link', { name: 'group:default/security' }),
      ).toHaveAttribute('href', '/catalog/default/group/security');
      expect(
        screen.getByText('Consuming component').parentElement,
      ).toHaveTextContent('—');

      await userEvent.click(
        within(toolbar).getByRole('button', { name: 'Edit Okta' }),
      );
      const form = within(await screen.findByRole('dialog'));
      expect(form.getByRole('textbox', { name: /Owner/ })).toHaveValue(
        'group:default/security',
      );
      await typeIn(form, /Consuming component/, 'siem siem');
      await userEvent.click(form.getByRole('button', { name: 'Save' }));
      expect(
        await form.findByText(/Enter a catalog entity ref, such as component:/),
      ).toBeInTheDocument();
      expect(api.replaceProvider).not.toHaveBeenCalled();

      const consumer = form.getByRole('textbox', {
        name: /Consuming component/,
      });
      await userEvent.clear(consumer);
      await userEvent.type(consumer, 'siem');
      await userEvent.clear(form.getByRole('textbox', { name: /Owner/ }));
      await userEvent.click(form.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.replaceProvider).toHaveBeenCalledWith(
          'sse1abc',
          expect.objectContaining({ owner: null, consumer: 'siem' }),
        ),
      );
    });

    it('says so when the provider of a URL does not exist', async () => {
      render(mockSsfApi({ listProviders: async () => [provider()] }), {
        url: '/ssf/providers/gone',
      });
      expect(
        await screen.findByText('This provider no longer exists'),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Provider gone was deleted or is not visible to you.'),
      ).toBeInTheDocument();
      await userEvent.click(
        screen.getByRole('button', { name: 'All providers' }),
      );
      expect(await screen.findByText('Okta')).toBeInTheDocument();
      expect(currentPath()).toBe('/ssf/providers');
    });

    it('returns to the list after deleting the provider it shows', async () => {
      let providers = [provider()];
      const api = mockSsfApi({
        listProviders: jest.fn(async () => providers),
        deleteProvider: jest.fn(async () => {
          providers = [];
        }),
      });
      render(api, { url: '/ssf/providers/sse1abc' });
      const toolbar = await screen.findByRole('toolbar', {
        name: 'Provider actions',
      });
      const del = within(toolbar).getByRole('button', { name: 'Delete Okta' });
      await waitFor(() => expect(del).toBeEnabled());
      await userEvent.click(del);
      await pressInDialog('Delete');
      expect(await screen.findByText('No providers yet')).toBeInTheDocument();
      expect(api.deleteProvider).toHaveBeenCalledWith('sse1abc');
      expect(currentPath()).toBe('/ssf/providers');
      await userEvent.click(
        screen.getByRole('button', { name: 'History back' }),
      );
      expect(currentPath()).toBe('/ssf/providers');
    });
  });
});
