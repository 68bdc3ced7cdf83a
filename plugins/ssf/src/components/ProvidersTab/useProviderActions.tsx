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
import { Alert } from '@backstage/ui';
import {
  SecurityEventsProvider,
  ssfProviderManagePermission,
} from '@shared-signals/plugin-ssf-common';
import { ReactNode, useState } from 'react';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { ConfirmDialog, ErrorPanel, PermissionButton } from '../common';
import { ProviderFormDialog } from './ProviderFormDialog';

type Editing = { provider?: SecurityEventsProvider } | undefined;

/** What {@link useProviderActions} gives a view to place. */
export interface ProviderActions {
  /** Edit, activate or deactivate, and delete, for one provider. */
  buttons: (provider: SecurityEventsProvider) => ReactNode;
  /** The outcome of the last action: a notice or an error. */
  feedback: ReactNode;
  /** The edit (or add) form and the delete confirmation, when open. */
  dialogs: ReactNode;
  /** Opens the form for a new provider. */
  add: () => void;
}

/**
 * The management actions on providers, shared by the list (a row's buttons)
 * and one provider's detail, so that both act and report alike.
 */
export function useProviderActions(options: {
  /** After any change, so that what shows the providers reloads. */
  onChanged: () => void;
  /** After a provider was deleted. */
  onDeleted?: (provider: SecurityEventsProvider) => void;
}): ProviderActions {
  const { onChanged, onDeleted } = options;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<SecurityEventsProvider>();
  const [actionError, setActionError] = useState<Error>();
  const [notice, setNotice] = useState<string>();

  const toggle = async (p: SecurityEventsProvider) => {
    setActionError(undefined);
    try {
      await ssfApi.setProviderActive(p.id, p.status !== 'ACTIVE');
      setNotice(
        p.status === 'ACTIVE'
          ? t('providers.nowInactive', { name: p.name })
          : t('providers.nowActive', { name: p.name }),
      );
      onChanged();
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const manage = {
    permission: ssfProviderManagePermission,
    size: 'small',
    variant: 'secondary',
  } as const;
  const buttons = (p: SecurityEventsProvider) => {
    const active = p.status === 'ACTIVE';
    return (
      <>
        <PermissionButton
          {...manage}
          purpose="to edit providers"
          aria-label={t('providers.editLabel', { name: p.name })}
          onPress={() => setEditing({ provider: p })}
        >
          {t('providers.edit')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          purpose="to activate or deactivate providers"
          aria-label={
            active
              ? t('providers.deactivateLabel', { name: p.name })
              : t('providers.activateLabel', { name: p.name })
          }
          onPress={() => toggle(p)}
        >
          {active ? t('providers.deactivate') : t('providers.activate')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          destructive
          purpose="to delete providers"
          aria-label={t('providers.deleteLabel', { name: p.name })}
          onPress={() => setDeleting(p)}
        >
          {t('providers.delete')}
        </PermissionButton>
      </>
    );
  };

  const feedback = (
    <>
      {notice && <Alert status="success" icon title={notice} role="status" />}
      {actionError && (
        <ErrorPanel title={t('providers.changeError')} error={actionError} />
      )}
    </>
  );

  const dialogs = (
    <>
      {editing && (
        <ProviderFormDialog
          provider={editing.provider}
          onClose={() => setEditing(undefined)}
          onSaved={onChanged}
        />
      )}
      <ConfirmDialog
        isOpen={!!deleting}
        title={t('providers.deleteTitle')}
        description={t('providers.deleteDescription', {
          name: deleting?.name ?? '',
        })}
        confirmLabel={t('providers.delete')}
        destructive
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await ssfApi.deleteProvider(deleting!.id);
          onChanged();
          onDeleted?.(deleting!);
        }}
      />
    </>
  );

  return { buttons, feedback, dialogs, add: () => setEditing({}) };
}
