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
import { BasicPermission } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { authorizeUser } from '../http/userCallers';
import { StreamCaller } from './StreamService';

/**
 * Resolves and authorises the caller of a stream route.
 *
 * @internal
 */
export type CallerResolver = (
  req: Request,
  permission: BasicPermission,
) => Promise<StreamCaller>;

/**
 * Works out who is calling a stream route. Service principals are receivers:
 * an external access token (static, JWKS or a custom OAuth 2.0 handler) whose
 * subject is the receiver's client ID, scoped to its own stream. Users are
 * portal admins and must hold the route's permission.
 *
 * @internal
 */
export function createCallerResolver(options: {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): CallerResolver {
  const { httpAuth, permissions } = options;
  return async (req, permission) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'service') {
      return { type: 'client', clientId: credentials.principal.subject };
    }
    return {
      type: 'admin',
      userEntityRef: await authorizeUser(
        permissions,
        // A service principal returned above: this is a user.
        credentials as BackstageCredentials<BackstageUserPrincipal>,
        permission,
      ),
    };
  };
}

/** How a caller is named in audit events. @internal */
export function describeCaller(caller: StreamCaller): string {
  return caller.type === 'client'
    ? `client:${caller.clientId}`
    : caller.userEntityRef;
}
