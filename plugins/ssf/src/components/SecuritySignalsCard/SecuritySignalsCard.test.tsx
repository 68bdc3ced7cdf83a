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

import { Entity } from '@backstage/catalog-model';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { screen, within } from '@testing-library/react';
import { failsWith, mockSsfApi } from '../../__testUtils__/fixtures';
import { renderTab } from '../../__testUtils__/render';
import { PersonSignals, SsfApi, ssfApiRef } from '../../api';
import {
  LegacySecuritySignalsCard,
  SecuritySignalsCard,
} from './SecuritySignalsCard';
import { NfsSignalLinks } from './signalLinks';

jest.setTimeout(30_000);

const jane: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'jane', namespace: 'default' },
  spec: { profile: { email: 'jane@example.com' } },
};

const email = { format: 'email', email: 'jane@example.com' } as const;

const signals: PersonSignals = {
  entity_ref: 'user:default/jane',
  identities: [
    email,
    { format: 'iss_sub', iss: 'https://idp.example.com', sub: 'u-42' },
  ],
  received: [
    {
      id: '41',
      provider_id: 'sse1abc',
      provider_name: 'Okta',
      iss: 'https://okta.example.com',
      event_type: CAEP_EVENT_TYPES.sessionRevoked,
      reason: 'Suspicious sign-in',
      received_at: '2026-12-01T09:00:00.000Z',
      matched_by: email,
    },
  ],
  sent: [
    {
      jti: 'jti-9',
      stream_id: 'stream-1',
      stream_description: 'Okta receiver',
      event_type: RISC_EVENT_TYPES.accountDisabled,
      reason: 'Left the company',
      created_at: '2026-12-01T10:00:00.000Z',
      state: 'dead',
      matched_by: email,
    },
  ],
};

function render(api: SsfApi) {
  return renderTab(
    <EntityProvider entity={jane}>
      <NfsSignalLinks>
        <SecuritySignalsCard />
      </NfsSignalLinks>
    </EntityProvider>,
    { api },
  );
}

describe('SecuritySignalsCard', () => {
  it("lists the user's received and sent events, linked to their pages", async () => {
    const api = mockSsfApi({ getPersonSignals: async () => signals });
    render(api);
    const received = within(
      await screen.findByRole('region', { name: 'Received' }),
    );
    expect(api.getPersonSignals).toHaveBeenCalledWith('user:default/jane', 20);
    expect(received.getByText('Okta')).toBeInTheDocument();
    expect(received.getByText('CAEP session-revoked')).toBeInTheDocument();
    expect(received.getByText('Suspicious sign-in')).toBeInTheDocument();
    expect(received.getByRole('link')).toHaveAttribute(
      'href',
      '/ssf/received-events?event=41',
    );

    const sent = within(screen.getByRole('region', { name: 'Sent' }));
    expect(sent.getByRole('link', { name: 'Okta receiver' })).toHaveAttribute(
      'href',
      '/ssf/streams/stream-1',
    );
    expect(sent.getByText('RISC account-disabled')).toBeInTheDocument();
    expect(sent.getByText('Left the company')).toBeInTheDocument();
    expect(sent.getByText('Dead-lettered')).toBeInTheDocument();

    expect(
      screen.getByText(
        'Matched by jane@example.com, iss_sub u-42 (https://idp.example.com)',
      ),
    ).toBeInTheDocument();
  });

  it('leaves out a list the response does not have', async () => {
    const { sent: _sent, ...receivedOnly } = signals;
    render(mockSsfApi({ getPersonSignals: async () => receivedOnly }));
    expect(
      await screen.findByRole('region', { name: 'Received' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Sent' })).toBeNull();
    expect(screen.queryByText('Okta receiver')).toBeNull();
  });

  it('says so when one list is empty and the other is not', async () => {
    render(
      mockSsfApi({ getPersonSignals: async () => ({ ...signals, sent: [] }) }),
    );
    const sent = within(await screen.findByRole('region', { name: 'Sent' }));
    expect(
      sent.getByText('No event about this user was sent.'),
    ).toBeInTheDocument();
  });

  it('says the user may not see security signals on a 403', async () => {
    render(
      mockSsfApi({
        getPersonSignals: failsWith(
          'You do not have permission to do this',
          403,
        ),
      }),
    );
    expect(
      await screen.findByText(
        'You do not have permission to see security signals',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('Could not load the security signals'),
    ).toBeNull();
  });

  it('shows other errors with a retry', async () => {
    render(
      mockSsfApi({
        getPersonSignals: failsWith('The user is not in the catalog', 404),
      }),
    );
    expect(
      await screen.findByText('Could not load the security signals'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The user is not in the catalog'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });

  it('says when there is no signal about the user', async () => {
    render(
      mockSsfApi({
        getPersonSignals: async () => ({
          ...signals,
          received: [],
          sent: [],
        }),
      }),
    );
    expect(
      await screen.findByText('No security signals about this user'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Received' })).toBeNull();
  });

  it('shows rows as text when the Shared Signals page is not mounted', async () => {
    // No links provider: the card on an app without the page's routes.
    renderTab(
      <EntityProvider entity={jane}>
        <SecuritySignalsCard />
      </EntityProvider>,
      { api: mockSsfApi({ getPersonSignals: async () => signals }) },
    );
    const sent = within(await screen.findByRole('region', { name: 'Sent' }));
    expect(sent.getByText('Okta receiver')).toBeInTheDocument();
    expect(screen.queryAllByRole('link')).toEqual([]);
  });

  it('links from the legacy routes when the legacy page is mounted', async () => {
    // renderTab mounts the page's root at /ssf, as a legacy app mounts SsfPage.
    renderTab(
      <EntityProvider entity={jane}>
        <LegacySecuritySignalsCard />
      </EntityProvider>,
      { api: mockSsfApi({ getPersonSignals: async () => signals }) },
    );
    const sent = within(await screen.findByRole('region', { name: 'Sent' }));
    expect(sent.getByRole('link', { name: 'Okta receiver' })).toHaveAttribute(
      'href',
      '/ssf/streams/stream-1',
    );
    expect(
      within(screen.getByRole('region', { name: 'Received' })).getByRole(
        'link',
      ),
    ).toHaveAttribute('href', '/ssf/received-events?event=41');
  });

  it('renders the legacy card as text in an app without the page', async () => {
    renderInTestApp(
      <EntityProvider entity={jane}>
        <LegacySecuritySignalsCard />
      </EntityProvider>,
      {
        apis: [
          [ssfApiRef, mockSsfApi({ getPersonSignals: async () => signals })],
        ],
      },
    );
    const sent = within(await screen.findByRole('region', { name: 'Sent' }));
    expect(sent.getByText('Okta receiver')).toBeInTheDocument();
    expect(screen.queryAllByRole('link')).toEqual([]);
  });
});
