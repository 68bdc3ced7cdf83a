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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ssfTranslationRef } from '../../translation';
import {
  HISTORY_HOURS,
  HistoryChartCard,
  HourlyBarChart,
  useHistory,
} from '../common';

/**
 * A stream's SETs delivered, failed and dead-lettered per hour over the
 * last 24 hours. Reloads when the backend signals a change to this stream.
 */
export function StreamDeliveryChart(props: { streamId: string }) {
  const { streamId } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const history = useHistory({
    read: api => api.getStreamHistory(streamId, HISTORY_HOURS),
    deps: [streamId],
    channel: 'ssf:streams',
    isAbout: m => m.streamId === streamId,
  });

  return (
    <HistoryChartCard title={t('streamChart.title')} history={history}>
      {value => (
        <HourlyBarChart
          title={t('streamChart.title')}
          bucketSeconds={value.bucket_seconds}
          buckets={value.buckets}
          series={[
            {
              key: 'delivered',
              label: t('streamChart.delivered'),
              color: 'var(--bui-fg-positive)',
              fill: 'solid',
            },
            {
              key: 'failed',
              label: t('streamChart.failed'),
              color: 'var(--bui-fg-warning)',
              fill: 'stripes',
            },
            {
              key: 'dead',
              label: t('streamChart.dead'),
              color: 'var(--bui-fg-negative)',
              fill: 'crosshatch',
            },
          ]}
          emptyText={t('streamChart.empty')}
        />
      )}
    </HistoryChartCard>
  );
}
