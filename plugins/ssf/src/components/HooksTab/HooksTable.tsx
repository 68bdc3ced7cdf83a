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
import { Table } from '@backstage/ui';
import { ssfHookManagePermission } from '@shared-signals/plugin-ssf-common';
import { LifecycleHook } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { PermissionButton } from '../common';
import { hookColumns } from './hookColumns';

/** The hooks with their edit, enable/disable and delete buttons. */
export function HooksTable(props: {
  hooks: LifecycleHook[];
  stale: boolean;
  onEdit: (hook: LifecycleHook) => void;
  onToggle: (hook: LifecycleHook) => void;
  onDelete: (hook: LifecycleHook) => void;
}) {
  const { hooks, stale, onEdit, onToggle, onDelete } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const manage = {
    permission: ssfHookManagePermission,
    size: 'small',
    variant: 'secondary',
  } as const;
  const columns = hookColumns(h => {
    // The backend refuses changes to these with 409; saying so up front
    // beats letting the user find out from an error.
    const disabledReason =
      h.source === 'config' ? t('hooks.readOnly') : undefined;
    return (
      <>
        <PermissionButton
          {...manage}
          purpose="to edit hooks"
          disabledReason={disabledReason}
          aria-label={t('hooks.editLabel', { name: h.name })}
          onPress={() => onEdit(h)}
        >
          {t('common.edit')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          purpose="to enable or disable hooks"
          disabledReason={disabledReason}
          aria-label={
            h.enabled
              ? t('hooks.disableLabel', { name: h.name })
              : t('hooks.enableLabel', { name: h.name })
          }
          onPress={() => onToggle(h)}
        >
          {h.enabled ? t('hooks.disable') : t('hooks.enable')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          destructive
          purpose="to delete hooks"
          disabledReason={disabledReason}
          aria-label={t('hooks.deleteLabel', { name: h.name })}
          onPress={() => onDelete(h)}
        >
          {t('common.delete')}
        </PermissionButton>
      </>
    );
  });
  return (
    <Table
      columnConfig={columns}
      data={hooks}
      isStale={stale}
      pagination={{ type: 'none' }}
    />
  );
}
