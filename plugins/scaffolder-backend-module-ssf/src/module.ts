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
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createSsfProviderCreateAction,
  createSsfStreamCreateAction,
  createSsfStreamUpdateStatusAction,
  createSsfStreamVerifyAction,
} from './actions';
import { SsfClient } from './client';

/**
 * Adds the `ssf:*` actions to the scaffolder.
 *
 * @public
 */
export const scaffolderModuleSsf = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'ssf',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolderActions, discovery, auth }) {
        const client = new SsfClient({ discovery, auth });
        scaffolderActions.addActions(
          createSsfStreamCreateAction({ client }),
          createSsfStreamVerifyAction({ client }),
          createSsfStreamUpdateStatusAction({ client }),
          createSsfProviderCreateAction({ client }),
        );
      },
    });
  },
});
