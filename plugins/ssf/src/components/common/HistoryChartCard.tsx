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
import { ReactNode } from 'react';
import { ssfTranslationRef } from '../../translation';
import { ErrorPanel } from './ErrorPanel';
import { LoadingState } from './LoadingState';
import { SectionCard } from './SectionCard';
import { HistoryState } from './useHistory';

/**
 * The card a detail page's history chart sits in: a region named `title`,
 * the load's error (with retry) or placeholder, and `children` once the
 * history has loaded. Kept apart from the charts so that every history
 * card loads, fails and retries the same way.
 */
export function HistoryChartCard<T>(props: {
  title: string;
  history: HistoryState<T>;
  children: (value: T) => ReactNode;
}) {
  const { title, history, children } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <SectionCard title={title} heading="h3" regionLabel={title}>
      {history.error && (
        <ErrorPanel
          title={t('charts.loadError')}
          error={history.error}
          onRetry={history.reload}
        />
      )}
      {!history.error && !history.value && history.loading && (
        <LoadingState label={t('charts.loading')} lines={3} />
      )}
      {!history.error && history.value && children(history.value)}
    </SectionCard>
  );
}
