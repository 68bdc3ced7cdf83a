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

import { CAEP_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SsfApi } from '../../api';
import { SsfRequestError } from '../../api/errors';
import {
  compactSet,
  mockSsfApi,
  provider,
  receivedEvent,
} from '../../__testUtils__/fixtures';
import { renderTab } from '../../__testUtils__/render';
import { ReceivedEventsTab } from './ReceivedEventsTab';

jest.setTimeout(30_000);

function render(api: SsfApi) {
  return renderTab(<ReceivedEventsTab />, { api });
}

describe('ReceivedEventsTab', () => {
  it('lists events with provider, type, subject and time, and pages by cursor', async () => {
    const api = mockSsfApi({
      listProviders: async () => [provider()],
      listReceivedEvents: async query =>
        query?.cursor
          ? { items: [receivedEvent({ id: '7', jti: 'jti-7' })] }
          : { items: [receivedEvent()], next_cursor: '41' },
    });
    render(api);
    expect(await screen.findByText('alice@example.com')).toBeInTheDocument();
    expect(
      await screen.findByRole('rowheader', { name: /jti-41/ }),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('gridcell', { name: /Okta/ }),
    ).toBeInTheDocument();
    expect(screen.getByText('CAEP session-revoked')).toBeInTheDocument();
    expect(screen.getByText('jti-41')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: /next/i }));
    expect(await screen.findByText('jti-7')).toBeInTheDocument();
    expect(api.listReceivedEvents).toHaveBeenLastCalledWith({
      limit: 25,
      cursor: '41',
    });
  });

  it('filters by subject and dates, refusing malformed dates', async () => {
    const api = mockSsfApi({
      listProviders: async () => [],
      listReceivedEvents: async () => ({ items: [] }),
    });
    render(api);
    expect(
      await screen.findByText('No events received yet'),
    ).toBeInTheDocument();
    const filters = within(
      screen.getByRole('form', { name: 'Filter received events' }),
    );
    await userEvent.type(
      filters.getByRole('textbox', { name: 'Subject' }),
      'alice@example.com',
    );
    await userEvent.type(
      filters.getByRole('textbox', { name: 'From' }),
      '2026-13',
    );
    await userEvent.click(
      filters.getByRole('button', { name: 'Apply filters' }),
    );
    expect(
      await filters.findByText('Enter a date as YYYY-MM-DD'),
    ).toBeInTheDocument();

    const from = filters.getByRole('textbox', { name: 'From' });
    await userEvent.clear(from);
    await userEvent.type(from, '2026-11-01');
    await userEvent.click(
      filters.getByRole('button', { name: 'Apply filters' }),
    );
    await waitFor(() =>
      expect(api.listReceivedEvents).toHaveBeenLastCalledWith({
        subject: 'alice@example.com',
        since: new Date('2026-11-01T00:00:00.000').toISOString(),
        limit: 25,
      }),
    );
    expect(
      await screen.findByText('No events match these filters'),
    ).toBeInTheDocument();
  });

  it('shows the decoded SET in a side panel', async () => {
    const set = compactSet({
      iss: 'https://okta.example.com',
      jti: 'jti-41',
      events: {
        [CAEP_EVENT_TYPES.sessionRevoked]: { reason_admin: { en: 'x' } },
      },
    });
    const api = mockSsfApi({
      listProviders: async () => [provider()],
      listReceivedEvents: async () => ({ items: [receivedEvent()] }),
      getReceivedEvent: async () => ({
        ...receivedEvent(),
        set,
        claims: {},
        handler_error: 'handler failed: timeout',
      }),
    });
    render(api);
    await userEvent.click(await screen.findByText('alice@example.com'));
    const panel = within(
      await screen.findByRole('region', { name: 'Received event' }),
    );
    expect(await panel.findByLabelText('SET claims')).toHaveTextContent(
      'reason_admin',
    );
    expect(panel.getByText('handler failed: timeout')).toBeInTheDocument();
    expect(api.getReceivedEvent).toHaveBeenCalledWith('41');
  });

  it('opens the event named in ?event= beside the list', async () => {
    const api = mockSsfApi({
      listProviders: async () => [provider()],
      listReceivedEvents: async () => ({ items: [receivedEvent()] }),
      getReceivedEvent: async () => ({
        ...receivedEvent({ id: '7' }),
        set: compactSet({ jti: 'jti-7' }),
        claims: {},
      }),
    });
    renderTab(<ReceivedEventsTab />, {
      api,
      tab: 'received-events',
      url: '/ssf/received-events?event=7',
    });
    expect(
      await screen.findByRole('region', { name: 'Received event' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Event 7')).toBeInTheDocument();
    expect(api.getReceivedEvent).toHaveBeenCalledWith('7');
  });

  it('shows a loading state and backend errors in words', async () => {
    let reject: (e: Error) => void = () => {};
    render(
      mockSsfApi({
        listProviders: async () => [],
        listReceivedEvents: () => new Promise((_, r) => (reject = r)),
      }),
    );
    expect(screen.getByText('Loading received events…')).toBeInTheDocument();
    reject(new SsfRequestError('since must be before until', 400));
    expect(
      await screen.findByText('Could not load the received events'),
    ).toBeInTheDocument();
    expect(screen.getByText('since must be before until')).toBeInTheDocument();
  });
});
