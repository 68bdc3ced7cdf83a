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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import { Request } from 'express';

/**
 * Checks that a portal user holds `permission` and returns their entity ref;
 * otherwise a 403 that names the permission. Every route that portal users
 * call authorises through here.
 *
 * @internal
 */
export async function authorizeUser(
  permissions: PermissionsService,
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  permission: BasicPermission,
): Promise<string> {
  const [decision] = await permissions.authorize([{ permission }], {
    credentials,
  });
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You are not allowed to do this: it requires the ${permission.name} permission`,
    );
  }
  return credentials.principal.userEntityRef;
}

/**
 * Authorises a portal user for an admin route and returns their entity ref.
 * Only users: service principals here are mostly receivers of our own
 * transmitter (external access tokens), and the permission framework lets
 * every service principal through, so allowing them would let any receiver
 * manage providers or hooks.
 *
 * @internal
 */
export function createAdminResolver(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}) {
  const { httpAuth, permissions } = options;
  return async (req: Request, permission: BasicPermission): Promise<string> =>
    authorizeUser(
      permissions,
      await httpAuth.credentials(req, { allow: ['user'] }),
      permission,
    );
}
