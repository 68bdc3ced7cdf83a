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

import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { audited, AuditedOptions } from '../http/audited';
import { authorizeUser } from '../http/userCallers';

/**
 * The portal user an action runs for, authorised for `permission` exactly as
 * the HTTP routes authorise a portal admin (the permission framework, through
 * `authorizeUser`). Only users: the routes take service principals for
 * receivers of this transmitter, and the permission framework lets every
 * service principal through, so an action invoked without a user behind it
 * is refused rather than run with a receiver's or everyone's rights.
 *
 * @internal
 */
export async function actingUser(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: BasicPermission,
): Promise<string> {
  if (!isUser(credentials)) {
    throw new NotAllowedError(
      'SSF actions run for a portal user; invoke them with a user\u2019s credentials',
    );
  }
  return authorizeUser(permissions, credentials, permission);
}

function isUser(
  credentials: BackstageCredentials,
): credentials is BackstageCredentials<BackstageUserPrincipal> {
  return (credentials.principal as { type?: unknown }).type === 'user';
}

/**
 * Runs a mutation inside an audit event, as the routes' `audited` does, with
 * the same event IDs; there is no HTTP request to attach, so the event says
 * it came through an action.
 *
 * @internal
 */
export function auditedAction<T>(
  options: Omit<AuditedOptions<T>, 'request'> & { action: string },
  fn: () => Promise<T>,
): Promise<T> {
  const { action, ...event } = options;
  return audited(
    { ...event, meta: { ...event.meta, via: `action:${action}` } },
    fn,
  );
}
