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
import { Flex, Text } from '@backstage/ui';
import { useId } from 'react';
import { ssfTranslationRef } from '../../translation';
import {
  HISTORY_HOURS,
  HistoryChartCard,
  HourlyBarChart,
  useHistory,
} from '../common';

/**
 * The rejected SETs by the `err` code the receiver answered with, most
 * frequent first, as a list with proportional bars and exact counts.
 */
export function RejectedByErr(props: { counts: Record<string, number> }) {
  const { t } = useTranslationRef(ssfTranslationRef);
  const rows = Object.entries(props.counts)
    .filter(([, n]) => n > 0)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b));
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const headingId = useId();
  return (
    <Flex direction="column" gap="2">
      <Text as="h4" variant="title-x-small" weight="bold" id={headingId}>
        {t('providerChart.rejectedByErr')}
      </Text>
      {rows.length === 0 ? (
        <Text color="secondary">{t('providerChart.rejectedNone')}</Text>
      ) : (
        <dl
          aria-labelledby={headingId}
          style={{
            display: 'grid',
            gridTemplateColumns: 'max-content 1fr',
            gap: 'var(--bui-space-1) var(--bui-space-3)',
            margin: 0,
          }}
        >
          {rows.map(([err, n]) => (
            <div key={err} style={{ display: 'contents' }}>
              <dt>
                <Text
                  variant="body-small"
                  style={{ fontFamily: 'var(--bui-font-monospace)' }}
                >
                  {err}
                </Text>
              </dt>
              <dd
                style={{
                  margin: 0,
                  display: 'flex',
                  alignItems: 'center',
                  gap: 'var(--bui-space-2)',
                }}
              >
                <span
                  aria-hidden
                  style={{
                    display: 'inline-block',
                    height: '0.75em',
                    width: `${(n / max) * 70}%`,
                    minWidth: 2,
                    background: 'var(--bui-fg-negative)',
                  }}
                />
                <Text variant="body-small">{n}</Text>
              </dd>
            </div>
          ))}
        </dl>
      )}
    </Flex>
  );
}

/**
 * The SETs a provider sent, accepted and rejected, per hour over the last
 * 24 hours, and the rejected ones by error. Reloads when the backend
 * signals a SET from this provider.
 */
export function ProviderIngestionChart(props: { providerId: string }) {
  const { providerId } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const history = useHistory({
    read: api => api.getProviderHistory(providerId, HISTORY_HOURS),
    deps: [providerId],
    channel: 'ssf:received-events',
    isAbout: m => m.providerId === providerId,
  });

  return (
    <HistoryChartCard title={t('providerChart.title')} history={history}>
      {value => (
        <Flex direction="column" gap="4">
          <HourlyBarChart
            title={t('providerChart.title')}
            bucketSeconds={value.bucket_seconds}
            buckets={value.buckets}
            series={[
              {
                key: 'accepted',
                label: t('providerChart.accepted'),
                color: 'var(--bui-fg-positive)',
                fill: 'solid',
              },
              {
                key: 'rejected',
                label: t('providerChart.rejected'),
                color: 'var(--bui-fg-negative)',
                fill: 'stripes',
              },
            ]}
            emptyText={t('providerChart.empty')}
          />
          {value.buckets.some(b => b.accepted + b.rejected > 0) && (
            <RejectedByErr counts={value.rejected_by_err ?? {}} />
          )}
        </Flex>
      )}
    </HistoryChartCard>
  );
}
