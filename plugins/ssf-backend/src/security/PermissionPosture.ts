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
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthorizeResult,
  BasicPermission,
} from '@backstage/plugin-permission-common';
import {
  DEFAULT_SSF_ADMIN_GROUPS,
  normaliseSsfGroups,
  ssfHookManagePermission,
  ssfProviderManagePermission,
  ssfStreamManagePermission,
} from '@shared-signals/plugin-ssf-common';
import express from 'express';
import Router from 'express-promise-router';

const MANAGE = new Set([
  ssfStreamManagePermission.name,
  ssfProviderManagePermission.name,
  ssfHookManagePermission.name,
]);

/** A warning the admin page shows as a banner. @internal */
export interface PostureWarning {
  id: 'permissions-disabled' | 'non-admin-can-manage';
  message: string;
}

/**
 * Watches whether the portal's permission setup keeps SSF administration to
 * the SSF admin groups (`ssf.permissions.adminGroups`). create-app's
 * allow-all policy, which many portals keep, makes every signed-in employee
 * an SSF admin who can re-point any receiver's stream; this says so, in the
 * log and on the admin page, instead of staying silent.
 *
 * @internal
 */
export class PermissionPosture {
  readonly permissionsEnabled: boolean;
  readonly adminGroups: string[];
  readonly #userInfo: UserInfoService;
  readonly #logger: LoggerService;
  readonly #warned = new Set<string>();

  constructor(options: {
    config: Config;
    userInfo: UserInfoService;
    logger: LoggerService;
  }) {
    this.permissionsEnabled =
      options.config.getOptionalBoolean('permission.enabled') === true;
    this.adminGroups = normaliseSsfGroups(
      options.config.getOptionalStringArray('ssf.permissions.adminGroups'),
      DEFAULT_SSF_ADMIN_GROUPS,
    );
    this.#userInfo = options.userInfo;
    this.#logger = options.logger;
  }

  /** Logs, once at startup, what is unsafe whatever the users do. */
  logStartupWarnings() {
    if (!this.permissionsEnabled) {
      this.#logger.warn(`SSF: ${this.#disabledMessage()}`);
    }
  }

  /**
   * The permissions service, watched: a manage permission granted to a user
   * outside the admin groups is logged (once per user).
   */
  watch(permissions: PermissionsService): PermissionsService {
    return {
      authorize: async (requests, options) => {
        const decisions = await permissions.authorize(requests, options);
        const granted = requests.some(
          (r, i) =>
            MANAGE.has(r.permission.name) &&
            decisions[i]?.result === AuthorizeResult.ALLOW,
        );
        if (granted) await this.#noteManager(options.credentials);
        return decisions;
      },
      authorizeConditional: (requests, options) =>
        permissions.authorizeConditional(requests, options),
    };
  }

  /** What the admin page shows the caller. */
  async forCaller(
    credentials: BackstageCredentials,
    permissions: PermissionsService,
  ) {
    const inAdminGroups = await this.#inAdminGroups(credentials);
    const [manage] = await permissions.authorize(
      [{ permission: ssfStreamManagePermission as BasicPermission }],
      { credentials },
    );
    const mayManage = manage.result === AuthorizeResult.ALLOW;
    const warnings: PostureWarning[] = [];
    if (!this.permissionsEnabled) {
      warnings.push({
        id: 'permissions-disabled',
        message: this.#disabledMessage(),
      });
    }
    if (mayManage && !inAdminGroups) {
      warnings.push({
        id: 'non-admin-can-manage',
        message: this.#nonAdminMessage('You are'),
      });
    }
    return {
      permissions_enabled: this.permissionsEnabled,
      admin_groups: this.adminGroups,
      caller: { in_admin_groups: inAdminGroups, may_manage: mayManage },
      warnings,
    };
  }

  async #inAdminGroups(credentials: BackstageCredentials): Promise<boolean> {
    const { ownershipEntityRefs } = await this.#userInfo.getUserInfo(
      credentials,
    );
    return ownershipEntityRefs.some(r =>
      this.adminGroups.includes(r.toLowerCase()),
    );
  }

  async #noteManager(credentials: BackstageCredentials) {
    const principal = credentials.principal as {
      type: string;
      userEntityRef?: string;
    };
    if (principal.type !== 'user' || !principal.userEntityRef) return;
    const user = principal.userEntityRef;
    if (this.#warned.has(user)) return;
    // A warning check never fails the request it watches.
    const inAdminGroups = await this.#inAdminGroups(credentials).catch(
      () => true,
    );
    if (inAdminGroups) return;
    this.#warned.add(user);
    this.#logger.warn(`SSF: ${this.#nonAdminMessage(`${user} is`)}`);
  }

  #disabledMessage() {
    return 'the permission framework is disabled (permission.enabled is not true): every signed-in user can manage every SSF stream, provider and lifecycle hook. Enable it and install a policy that grants ssf.* to the SSF admin groups (see "Securing the plugin" in the plugin README).';
  }

  #nonAdminMessage(subject: string) {
    return `${subject} not in the SSF admin groups (${this.adminGroups.join(
      ', ',
    )}) yet the permission policy grants SSF management: anyone it treats alike can re-point receivers' streams and emit lifecycle events. Grant ssf.* by group (@shared-signals/plugin-permission-backend-module-ssf-policy does) or set ssf.permissions.adminGroups.`;
  }
}

/**
 * `GET /admin/security-posture`: the warnings the admin page shows as a
 * banner, for the signed-in user.
 *
 * @internal
 */
export function createPostureRouter(options: {
  posture: PermissionPosture;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const router = Router();
  router.get('/admin/security-posture', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    res.json(await options.posture.forCaller(credentials, options.permissions));
  });
  return router;
}
