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

import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert, Card, CardBody, Flex, Text } from '@backstage/ui';
import { ssfHookManagePermission } from '@shared-signals/plugin-ssf-common';
import { RiLoopRightLine } from '@remixicon/react';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LifecycleStatus, ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ErrorPanel,
  LoadingState,
  PermissionButton,
  formatTime,
} from '../common';

/** The catalog reconciliation state in one or two sentences. */
export function reconcileStatusText(catalog: LifecycleStatus['catalog']): {
  summary: string;
  lastRun: string;
} {
  if (!catalog.enabled) {
    return {
      summary:
        'Catalog reconciliation is off: hooks fire only for identity changes submitted to the API.',
      lastRun: '',
    };
  }
  const summary = `Catalog reconciliation compares users with ${
    catalog.snapshots
  } ${
    catalog.snapshots === 1 ? 'snapshot' : 'snapshots'
  } (lifecycle annotation ${catalog.lifecycle_annotation}).`;
  const run = catalog.last_run;
  if (!run) {
    return { summary, lastRun: 'It has not run yet.' };
  }
  const counts = `${run.users} users, ${run.added} added, ${run.removed} removed, ${run.changed} changed, ${run.events} events`;
  return {
    summary,
    lastRun: `Last run ${formatTime(run.finished_at)}: ${counts}${
      run.first_run ? ' (first run: nothing earlier to compare with)' : ''
    }.`,
  };
}

/**
 * One line on the catalog reconciliation that feeds identity changes to the
 * hooks, with a button to run it now. A new `refreshKey` reloads it.
 */
export function ReconcileStatus(props: { refreshKey?: number }) {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const status = useAsyncRetry(
    () => ssfApi.getLifecycleStatus(),
    [ssfApi, props.refreshKey],
  );
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();
  const [started, setStarted] = useState(false);

  const reconcile = async () => {
    setPending(true);
    setError(undefined);
    setStarted(false);
    try {
      await ssfApi.reconcileLifecycle();
      // The run happens in the background (202), so reloading now would
      // most likely show the previous run; the notice says to refresh.
      setStarted(true);
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  const catalog = status.value?.catalog;
  const text = catalog && reconcileStatusText(catalog);
  return (
    <Card role="region" aria-label="Catalog reconciliation">
      <CardBody>
        <Flex direction="column" gap="3">
          <Flex justify="between" align="center" gap="3">
            <Flex direction="column" gap="1">
              {status.loading && !catalog && (
                <LoadingState label={t('hooks.reconcileLoading')} lines={1} />
              )}
              {text && (
                <>
                  <Text as="p">{text.summary}</Text>
                  {text.lastRun && (
                    <Text as="p" color="secondary">
                      {text.lastRun}
                    </Text>
                  )}
                </>
              )}
            </Flex>
            <PermissionButton
              permission={ssfHookManagePermission}
              purpose="to run the catalog reconciliation"
              variant="secondary"
              iconStart={<RiLoopRightLine />}
              isPending={pending}
              disabledReason={
                catalog && !catalog.enabled
                  ? 'Catalog reconciliation is turned off in app-config.'
                  : undefined
              }
              onPress={reconcile}
            >
              Reconcile now
            </PermissionButton>
          </Flex>
          {status.error && (
            <ErrorPanel
              title="Could not load the catalog reconciliation status"
              error={status.error}
              onRetry={status.retry}
            />
          )}
          {error && (
            <ErrorPanel
              title="The reconciliation could not be started"
              error={error}
            />
          )}
          {started && (
            <Alert
              status="success"
              icon
              role="status"
              title="Reconciliation started. It runs in the background; refresh in a moment to see its result."
            />
          )}
        </Flex>
      </CardBody>
    </Card>
  );
}
