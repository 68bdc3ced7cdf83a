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
import { CustomErrorBase } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import { ssfStreamManagePermission } from '@shared-signals/plugin-ssf-common';
import { Request } from 'express';
import { authorizeUser } from '../http/userCallers';
import { ReceiverAccessConfig } from './auth/receiverAccess';
import { StreamCaller } from './streams/StreamService';

/**
 * The receiver's token lacks the scope a route needs (RFC 6750 §3.1):
 * rendered as 403 with a `WWW-Authenticate: Bearer error="insufficient_scope"`
 * challenge naming the scope.
 *
 * @internal
 */
export class InsufficientScopeError extends CustomErrorBase {
  name = 'InsufficientScopeError' as const;
  statusCode = 403;
  readonly scope: string;

  constructor(scope: string) {
    super(
      `insufficient_scope: this access token does not grant the scope '${scope}' that this request needs`,
    );
    this.scope = scope;
  }
}

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
  receiverAccess: ReceiverAccessConfig;
}): CallerResolver {
  const { httpAuth, permissions, receiverAccess } = options;
  return async (req, permission) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'service') {
      // A token restricted to named permissions (the scopes of an ssf-oauth
      // token, or accessRestrictions in config) may do only those.
      const allowed = credentials.principal.accessRestrictions?.permissionNames;
      if (allowed && !allowed.includes(permission.name)) {
        throw new InsufficientScopeError(
          permission.name === ssfStreamManagePermission.name
            ? receiverAccess.scopes.manage
            : receiverAccess.scopes.read,
        );
      }
      const subject = credentials.principal.subject;
      return {
        type: 'client',
        clientId: subject,
        audience: receiverAccess.clientIdOf(subject),
      };
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
