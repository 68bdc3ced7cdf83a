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
import { ProviderIngestionChart } from './ProviderIngestionChart';

jest.setTimeout(30_000);

/** A day of a provider's buckets, all zero but the given last hours. */
function day(last: Array<[number, number]>) {
  return hourlyDay(last, [0, 0], ([accepted, rejected]) => ({
    accepted,
    rejected,
  }));
}

describe('ProviderIngestionChart', () => {
  it('draws accepted and rejected SETs per hour and the rejections by error', async () => {
    const api = mockSsfApi({
      getProviderHistory: async () => ({
        bucket_seconds: HOUR,
        buckets: day([[7, 3]]),
        rejected_by_err: { invalid_key: 1, invalid_issuer: 2 },
      }),
    });
    renderTab(<ProviderIngestionChart providerId="sse1abc" />, { api });
    expect(
      await screen.findByText('Last 24 hours: 7 accepted, 3 rejected'),
    ).toBeInTheDocument();
    expect(api.getProviderHistory).toHaveBeenCalledWith('sse1abc', 24);
    const bars = within(screen.getByRole('img')).getAllByTestId('chart-bar');
    expect(bars[23].querySelector('title')?.textContent).toMatch(
      /: 7 accepted, 3 rejected$/,
    );

    // Most frequent error first, each with its count.
    const list = screen.getAllByRole('term')[0].closest('dl') as HTMLElement;
    expect(list).toHaveAccessibleName('Rejected SETs by error');
    const terms = within(list).getAllByRole('term');
    expect(terms.map(t => t.textContent)).toEqual([
      'invalid_issuer',
      'invalid_key',
    ]);
    expect(
      within(list)
        .getAllByRole('definition')
        .map(d => d.textContent),
    ).toEqual(['2', '1']);
  });

  it('says when nothing was rejected', async () => {
    renderTab(<ProviderIngestionChart providerId="sse1abc" />, {
      api: mockSsfApi({
        getProviderHistory: async () => ({
          bucket_seconds: HOUR,
          buckets: day([[4, 0]]),
          rejected_by_err: {},
        }),
      }),
    });
    expect(
      await screen.findByText('None of its SETs was rejected.'),
    ).toBeInTheDocument();
  });

  it('has an empty state for a quiet provider', async () => {
    renderTab(<ProviderIngestionChart providerId="sse1abc" />, {
      api: mockSsfApi({
        getProviderHistory: async () => ({
          bucket_seconds: HOUR,
          buckets: day([]),
          rejected_by_err: {},
        }),
      }),
    });
    expect(
      await screen.findByText(
        'This provider sent no SET in the last 24 hours.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('img')).not.toBeInTheDocument();
    expect(
      screen.queryByText('Rejected SETs by error'),
    ).not.toBeInTheDocument();
  });

  it('reads again on a SET from this provider only', async () => {
    let accepted = 1;
    const api = mockSsfApi({
      getProviderHistory: async () => ({
        bucket_seconds: HOUR,
        buckets: day([[accepted, 0]]),
        rejected_by_err: {},
      }),
    });
    const signals = new MockSignalApi();
    renderTab(<ProviderIngestionChart providerId="sse1abc" />, {
      api,
      signals,
    });
    expect(
      await screen.findByText('Last 24 hours: 1 accepted, 0 rejected'),
    ).toBeInTheDocument();
    accepted = 2;
    signals.publish('ssf:received-events', {
      kind: 'received',
      providerId: 'other',
    });
    await new Promise(r => setTimeout(r, 400));
    expect(api.getProviderHistory).toHaveBeenCalledTimes(1);
    signals.publish('ssf:received-events', {
      kind: 'received',
      providerId: 'sse1abc',
    });
    expect(
      await screen.findByText('Last 24 hours: 2 accepted, 0 rejected'),
    ).toBeInTheDocument();
  });
});
