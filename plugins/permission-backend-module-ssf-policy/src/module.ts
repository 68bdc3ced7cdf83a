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
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  readSsfPermissionGroups,
  SsfPermissionPolicy,
} from './SsfPermissionPolicy';

/**
 * The portal's permission policy: `ssf.*` permissions for the groups in
 * `ssf.permissions`, every other permission allowed (or denied, with
 * `ssf.permissions.otherPermissions: deny`). Install it instead of
 * create-app's allow-all policy module.
 *
 * @public
 */
export const permissionModuleSsfPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'ssf-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
      },
      async init({ policy, config, userInfo, logger }) {
        const groups = readSsfPermissionGroups(config);
        const others =
          config.getOptionalString('ssf.permissions.otherPermissions') ??
          'allow';
        if (others !== 'allow' && others !== 'deny') {
          throw new Error(
            "ssf.permissions.otherPermissions must be 'allow' or 'deny'",
          );
        }
        const result =
          others === 'allow' ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
        policy.setPolicy(
          new SsfPermissionPolicy({
            groups,
            userInfo,
            delegate: { handle: async () => ({ result }) },
          }),
        );
        logger.info(
          `SSF permission policy: ssf.* for ${groups.adminGroups.join(', ')}${
            groups.readerGroups.length
              ? `, read for ${groups.readerGroups.join(', ')}`
              : ''
          }; other permissions: ${others}`,
        );
      },
    });
  },
});
