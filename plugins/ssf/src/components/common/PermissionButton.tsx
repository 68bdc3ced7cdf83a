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

import { Permission } from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { Button, ButtonProps, VisuallyHidden } from '@backstage/ui';
import { useId } from 'react';

/**
 * A button that is enabled only when the user holds `permission`. When the
 * user lacks it, the button stays visible but disabled, and the reason is
 * given as its description (read by screen readers and shown on hover).
 */
export function PermissionButton(
  props: ButtonProps & {
    permission: Permission;
    /** Why the permission is needed, e.g. "to create streams". */
    purpose: string;
    /** Why the action is unavailable for another reason than permissions. */
    disabledReason?: string;
  },
) {
  const { permission, purpose, disabledReason, isDisabled, ...rest } = props;
  const { allowed, loading } = usePermission({
    permission: permission as Exclude<Permission, { type: 'resource' }>,
  });
  const reasonId = useId();
  let reason: string | undefined;
  if (!loading && !allowed) {
    reason = `You need the ${permission.name} permission ${purpose}.`;
  } else if (disabledReason) {
    reason = disabledReason;
  }
  return (
    <span title={reason} style={{ display: 'inline-flex' }}>
      <Button
        {...rest}
        isDisabled={isDisabled || loading || !allowed || !!disabledReason}
        aria-describedby={reason ? reasonId : undefined}
      />
      {reason && <VisuallyHidden id={reasonId}>{reason}</VisuallyHidden>}
    </span>
  );
}
