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

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * The SSF entity provider: every stream and provider of the portal's
       * SSF plugin as a `Resource` entity.
       */
      ssf?: {
        /**
         * How often the catalog reads the SSF plugin's streams and providers.
         * Default: every minute, with a one-minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /**
         * The owner of a stream or provider entity that names none (an
         * entity ref). Default `group:default/ssf-admins`, the SSF plugin's
         * default admin group.
         */
        defaultOwner?: string;
        /** The system the entities belong to (an entity ref), if any. */
        system?: string;
      };
    };
  };
}
