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
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { SsfEntityProvider } from './provider/SsfEntityProvider';

/**
 * The catalog module `ssf`: adds the {@link SsfEntityProvider}, which reads
 * the SSF plugin's streams and providers on the scheduler
 * (`catalog.providers.ssf.schedule`) and publishes them as `Resource`
 * entities of type `ssf-stream` and `ssf-provider`.
 *
 * @public
 */
export const catalogModuleSsf = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'ssf',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ catalog, config, logger, scheduler, discovery, auth }) {
        catalog.addEntityProvider(
          SsfEntityProvider.fromConfig(config, {
            logger,
            scheduler,
            discovery,
            auth,
          }),
        );
      },
    });
  },
});
