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
import { Alert, Flex } from '@backstage/ui';
import { ssfHookManagePermission } from '@shared-signals/plugin-ssf-common';
import { RiAddLine, RiFlaskLine } from '@remixicon/react';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { LifecycleHook, ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ConfirmDialog,
  ErrorPanel,
  PermissionButton,
  TabList,
  TabToolbar,
  useSsfSignal,
} from '../common';
import { DryRunDialog } from './DryRunDialog';
import { FiringsCard } from './FiringsCard';
import { HookFormDialog } from './HookFormDialog';
import { HooksTable } from './HooksTable';
import { ReconcileStatus } from './ReconcileStatus';

type Editing = { hook?: LifecycleHook } | undefined;

/** The path the dry run starts with: the one an enabled hook watches. */
function watchedPath(hooks: LifecycleHook[] | undefined): string | undefined {
  const watching = hooks
    ?.filter(h => h.enabled)
    .find(h => h.trigger.on === 'attribute_changed');
  return watching?.trigger.on === 'attribute_changed'
    ? watching.trigger.path
    : undefined;
}

/** The received event type the first enabled hook on received events watches. */
function watchedReceivedEventType(
  hooks: LifecycleHook[] | undefined,
): string | undefined {
  const watching = hooks
    ?.filter(h => h.enabled)
    .find(h => h.trigger.on === 'event_received');
  return watching?.trigger.on === 'event_received'
    ? watching.trigger.event_type
    : undefined;
}

/**
 * The Lifecycle hooks tab: the hooks that turn identity changes into
 * security events, a dry run, recent firings and the catalog
 * reconciliation that observes the changes.
 */
export function HooksTab() {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const hooks = useAsyncRetry(() => ssfApi.listHooks(), [ssfApi]);
  const [refreshKey, setRefreshKey] = useState(0);
  // Bumped by signals, so that a firing reloads only the firings and a
  // finished reconciliation only its status.
  const [firingsKey, setFiringsKey] = useState(0);
  const [reconcileKey, setReconcileKey] = useState(0);
  useSsfSignal('ssf:hooks', messages => {
    if (messages.some(m => m.kind === 'firing')) {
      setFiringsKey(k => k + 1);
    }
    if (messages.some(m => m.kind === 'reconcile')) {
      setReconcileKey(k => k + 1);
    }
  });
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<LifecycleHook>();
  const [dryRunning, setDryRunning] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const [notice, setNotice] = useState<string>();

  const refresh = () => {
    hooks.retry();
    setRefreshKey(k => k + 1);
  };

  const toggle = async (hook: LifecycleHook) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      await ssfApi.setHookEnabled(hook.id, !hook.enabled);
      setNotice(
        hook.enabled
          ? t('hooks.nowDisabled', { name: hook.name })
          : t('hooks.nowEnabled', { name: hook.name }),
      );
      hooks.retry();
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const createButton = (
    <PermissionButton
      permission={ssfHookManagePermission}
      purpose="to create hooks"
      iconStart={<RiAddLine />}
      onPress={() => setEditing({})}
    >
      {t('hooks.create')}
    </PermissionButton>
  );

  return (
    <Flex direction="column" gap="4">
      <TabToolbar intro={t('hooks.intro')} onRefresh={refresh}>
        <PermissionButton
          permission={ssfHookManagePermission}
          purpose="to dry-run hooks"
          variant="secondary"
          iconStart={<RiFlaskLine />}
          onPress={() => setDryRunning(true)}
        >
          {t('hooks.dryRun')}
        </PermissionButton>
        {createButton}
      </TabToolbar>
      <ReconcileStatus refreshKey={refreshKey + reconcileKey} />
      {notice && <Alert status="success" icon title={notice} role="status" />}
      {actionError && (
        <ErrorPanel title={t('hooks.changeError')} error={actionError} />
      )}
      <TabList messages="hooks" load={hooks} createAction={createButton}>
        {items => (
          <HooksTable
            hooks={items}
            stale={hooks.loading}
            onEdit={hook => setEditing({ hook })}
            onToggle={toggle}
            onDelete={setDeleting}
          />
        )}
      </TabList>
      <FiringsCard refreshKey={refreshKey + firingsKey} />
      {editing && (
        <HookFormDialog
          hook={editing.hook}
          onClose={() => setEditing(undefined)}
          onSaved={saved => {
            setNotice(
              editing.hook
                ? t('hooks.saved', { name: saved.name })
                : t('hooks.created', { name: saved.name }),
            );
            hooks.retry();
          }}
        />
      )}
      {dryRunning && (
        <DryRunDialog
          defaultPath={watchedPath(hooks.value)}
          defaultReceivedEventType={watchedReceivedEventType(hooks.value)}
          onClose={() => setDryRunning(false)}
        />
      )}
      <ConfirmDialog
        isOpen={!!deleting}
        title={t('hooks.deleteTitle')}
        description={t('hooks.deleteDescription', {
          name: deleting?.name ?? '',
        })}
        confirmLabel={t('common.delete')}
        destructive
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await ssfApi.deleteHook(deleting!.id);
          setNotice(t('hooks.deleted', { name: deleting!.name }));
          hooks.retry();
        }}
      />
    </Flex>
  );
}
