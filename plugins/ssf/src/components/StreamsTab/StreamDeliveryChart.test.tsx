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

import { screen, within } from '@testing-library/react';
import { mockSsfApi } from '../../__testUtils__/fixtures';
import { HOUR, hourlyDay } from '../../__testUtils__/history';
import { renderTab } from '../../__testUtils__/render';
import { MockSignalApi } from '../../__testUtils__/signals';
import { StreamDeliveryChart } from './StreamDeliveryChart';

jest.setTimeout(30_000);

/** A day of a stream's buckets, all zero but the given last hours. */
function day(last: Array<[number, number, number]>) {
  return hourlyDay(last, [0, 0, 0], ([delivered, failed, dead]) => ({
    delivered,
    failed,
    dead,
  }));
}

describe('StreamDeliveryChart', () => {
  it('asks for the stream over the last 24 hours and draws its hours', async () => {
    const api = mockSsfApi({
      getStreamHistory: async () => ({
        bucket_seconds: HOUR,
        buckets: day([
          [5, 2, 1],
          [3, 0, 0],
        ]),
      }),
    });
    renderTab(<StreamDeliveryChart streamId="stream-1" />, { api });
    expect(
      await screen.findByText(
        'Last 24 hours: 8 delivered, 2 failed attempts, 1 dead-lettered',
      ),
    ).toBeInTheDocument();
    expect(api.getStreamHistory).toHaveBeenCalledWith('stream-1', 24);

    const chart = screen.getByRole('img', {
      name: /^Deliveries in the last 24 hours\. Last 24 hours: 8 delivered/,
    });
    // One column per hour, each with its exact numbers as its tooltip.
    const bars = within(chart).getAllByTestId('chart-bar');
    expect(bars).toHaveLength(24);
    expect(bars[22].querySelector('title')?.textContent).toMatch(
      /: 5 delivered, 2 failed attempts, 1 dead-lettered$/,
    );
    // Three stacked segments where all three counts are non-zero, one
    // where only deliveries happened, none for an empty hour.
    expect(bars[22].querySelectorAll('rect[stroke]')).toHaveLength(3);
    expect(bars[23].querySelectorAll('rect[stroke]')).toHaveLength(1);
    expect(bars[0].querySelectorAll('rect[stroke]')).toHaveLength(0);
    // The series differ by pattern as well as colour.
    const fills = [...bars[22].querySelectorAll('rect[stroke]')].map(r =>
      r.getAttribute('fill'),
    );
    expect(new Set(fills).size).toBe(3);
    // The axes are labelled.
    expect(within(chart).getByText('SETs per hour')).toBeInTheDocument();
    expect(within(chart).getByText('Hour (local time)')).toBeInTheDocument();
    // The same numbers as a table.
    const table = screen.getByRole('grid');
    expect(within(table).getAllByRole('row')).toHaveLength(25);
  });

  it('says so when nothing happened in the window', async () => {
    renderTab(<StreamDeliveryChart streamId="stream-1" />, {
      api: mockSsfApi({
        getStreamHistory: async () => ({
          bucket_seconds: HOUR,
          buckets: day([]),
        }),
      }),
    });
    expect(
      await screen.findByText(
        'No SET was delivered, failed or dead-lettered for this stream in the last 24 hours.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
  });

  it('shows the error when the history cannot be read', async () => {
    renderTab(<StreamDeliveryChart streamId="stream-1" />, {
      api: mockSsfApi({
        getStreamHistory: async () => {
          throw new Error('not found');
        },
      }),
    });
    expect(
      await screen.findByText('Could not load the history'),
    ).toBeInTheDocument();
  });

  it('reads the history again when its stream is signalled, not for another', async () => {
    let delivered = 4;
    const api = mockSsfApi({
      getStreamHistory: async () => ({
        bucket_seconds: HOUR,
        buckets: day([[delivered, 0, 0]]),
      }),
    });
    const signals = new MockSignalApi();
    renderTab(<StreamDeliveryChart streamId="stream-1" />, { api, signals });
    expect(
      await screen.findByText(/^Last 24 hours: 4 delivered/),
    ).toBeVisible();
    expect(api.getStreamHistory).toHaveBeenCalledTimes(1);

    delivered = 9;
    signals.publish('ssf:streams', { kind: 'stream', streamId: 'stream-2' });
    await new Promise(r => setTimeout(r, 400));
    expect(api.getStreamHistory).toHaveBeenCalledTimes(1);

    // A burst costs one read.
    signals.publish('ssf:streams', { kind: 'stream', streamId: 'stream-1' });
    signals.publish('ssf:streams', { kind: 'stream', streamId: 'stream-1' });
    expect(
      await screen.findByText(/^Last 24 hours: 9 delivered/),
    ).toBeVisible();
    expect(api.getStreamHistory).toHaveBeenCalledTimes(2);
  });
});
