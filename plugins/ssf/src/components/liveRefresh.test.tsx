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

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  adminStream,
  hook,
  hookFiring,
  lifecycleStatus,
  mockSsfApi,
  provider,
  receivedEvent,
  receiverProfiles,
} from '../__testUtils__/fixtures';
import { renderTab } from '../__testUtils__/render';
import { MockSignalApi } from '../__testUtils__/signals';
import { HooksTab } from './HooksTab';
import { ReceivedEventsTab } from './ReceivedEventsTab';
import { StreamsTab } from './StreamsTab';

jest.setTimeout(30_000);

// The channels and messages are the backend's contract for issue 16 (see
// useSsfSignal.ts): messages carry only ids, the page reads the data again.
describe('live refresh on signals', () => {
  it('reloads the streams when a stream is signalled', async () => {
    let status: 'enabled' | 'paused' = 'enabled';
    const api = mockSsfApi({
      listStreams: async () => [adminStream({ status })],
      listReceiverProfiles: async () => receiverProfiles,
    });
    const signals = new MockSignalApi();
    renderTab(<StreamsTab />, { api, signals, tab: 'streams' });
    expect(await screen.findByText('Enabled')).toBeInTheDocument();

    status = 'paused';
    signals.publish('ssf:streams', { kind: 'stream', streamId: 'stream-1' });
    expect(await screen.findByText('Paused')).toBeInTheDocument();
    expect(api.listStreams).toHaveBeenCalledTimes(2);
  });

  it('updates a stream detail, its counts and verification, from the signal', async () => {
    let delivered = 40;
    const api = mockSsfApi({
      listStreams: async () => [
        adminStream({
          stats: { pending: 0, held: 0, delivered, dead: 0, dropped: 0 },
          last_verification: {
            state: 'abc',
            requested_at: '2026-11-22T09:00:00.000Z',
            status: delivered > 40 ? 'delivered' : 'pending',
          },
        }),
      ],
      listReceiverProfiles: async () => receiverProfiles,
      listStreamSets: async () => ({ items: [], total: 0 }),
      getStreamHistory: async () => ({ bucket_seconds: 3600, buckets: [] }),
    });
    const signals = new MockSignalApi();
    renderTab(<StreamsTab />, {
      api,
      signals,
      tab: 'streams',
      url: '/ssf/streams/stream-1',
    });
    expect(await screen.findByText('40')).toBeInTheDocument();
    // With signals there is no polling for the pending verification.
    await new Promise(r => setTimeout(r, 2500));
    expect(api.listStreams).toHaveBeenCalledTimes(1);

    delivered = 41;
    signals.publish('ssf:streams', { kind: 'stream', streamId: 'stream-1' });
    expect(await screen.findByText('41')).toBeInTheDocument();
  });

  it('without the signals plugin, the streams reload on Refresh only', async () => {
    let status: 'enabled' | 'paused' = 'enabled';
    const api = mockSsfApi({
      listStreams: async () => [adminStream({ status })],
      listReceiverProfiles: async () => receiverProfiles,
    });
    renderTab(<StreamsTab />, { api, tab: 'streams' });
    expect(await screen.findByText('Enabled')).toBeInTheDocument();
    status = 'paused';
    await new Promise(r => setTimeout(r, 400));
    expect(api.listStreams).toHaveBeenCalledTimes(1);
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Paused')).toBeInTheDocument();
  });

  it('reloads received events for the filtered provider, not for another', async () => {
    let jti = 'jti-41';
    const api = mockSsfApi({
      listProviders: async () => [
        provider(),
        provider({ id: 'sse2', name: 'Other' }),
      ],
      listReceivedEvents: async () => ({ items: [receivedEvent({ jti })] }),
    });
    const signals = new MockSignalApi();
    renderTab(<ReceivedEventsTab />, { api, signals });
    expect(await screen.findByText('jti-41')).toBeInTheDocument();

    jti = 'jti-42';
    signals.publish('ssf:received-events', {
      kind: 'received',
      providerId: 'sse2',
    });
    // No provider filter: any provider's SET may belong in the list.
    expect(await screen.findByText('jti-42')).toBeInTheDocument();
    expect(api.listReceivedEvents).toHaveBeenCalledTimes(2);

    // Filtered on Okta: a SET from the other provider is not read for.
    const filters = within(
      screen.getByRole('form', { name: 'Filter received events' }),
    );
    await userEvent.click(filters.getByRole('button', { name: /Provider/ }));
    await userEvent.click(await screen.findByRole('option', { name: 'Okta' }));
    await userEvent.click(
      filters.getByRole('button', { name: 'Apply filters' }),
    );
    await waitFor(() =>
      expect(api.listReceivedEvents).toHaveBeenLastCalledWith(
        expect.objectContaining({ provider_id: 'sse1abc' }),
      ),
    );
    const reads = api.listReceivedEvents.mock.calls.length;
    jti = 'jti-43';
    signals.publish('ssf:received-events', {
      kind: 'received',
      providerId: 'sse2',
    });
    await new Promise(r => setTimeout(r, 400));
    expect(api.listReceivedEvents).toHaveBeenCalledTimes(reads);
    signals.publish('ssf:received-events', {
      kind: 'received',
      providerId: 'sse1abc',
    });
    expect(await screen.findByText('jti-43')).toBeInTheDocument();
  });

  it('reloads the firings on a firing and the status on a reconciliation', async () => {
    let identity = 'user:default/jdoe';
    let users = 42;
    const api = mockSsfApi({
      listHooks: async () => [hook()],
      listHookFirings: async () => ({ items: [hookFiring({ identity })] }),
      getLifecycleStatus: async () => {
        const status = lifecycleStatus();
        status.catalog.last_run!.users = users;
        return status;
      },
    });
    const signals = new MockSignalApi();
    renderTab(<HooksTab />, { api, signals });
    expect(await screen.findByText('user:default/jdoe')).toBeInTheDocument();
    expect(await screen.findByText(/42 users/)).toBeInTheDocument();

    identity = 'user:default/asmith';
    signals.publish('ssf:hooks', { kind: 'firing', hookId: 'hook_1' });
    expect(await screen.findByText('user:default/asmith')).toBeInTheDocument();
    expect(api.getLifecycleStatus).toHaveBeenCalledTimes(1);

    users = 43;
    signals.publish('ssf:hooks', { kind: 'reconcile' });
    expect(await screen.findByText(/43 users/)).toBeInTheDocument();
    expect(api.listHookFirings).toHaveBeenCalledTimes(2);
  });

  it('unsubscribes when the page goes away', async () => {
    const api = mockSsfApi({
      listStreams: async () => [adminStream()],
      listReceiverProfiles: async () => receiverProfiles,
    });
    const signals = new MockSignalApi();
    const { unmount } = await renderTab(<StreamsTab />, {
      api,
      signals,
      tab: 'streams',
    });
    await waitFor(() => expect(signals.listeners('ssf:streams')).toBe(1));
    unmount();
    expect(signals.listeners('ssf:streams')).toBe(0);
  });
});
