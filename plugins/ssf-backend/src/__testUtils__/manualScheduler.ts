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
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';

/**
 * Backend features under which the SSF plugin's scheduled tasks run only
 * when the test says: none runs at start-up, and `trigger` runs one (the
 * mock scheduler runs it to its end before the promise resolves).
 */
export function manualScheduler() {
  let scheduler: SchedulerService | undefined;
  return {
    features: [
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      createBackendModule({
        pluginId: 'ssf',
        moduleId: 'test-scheduler-handle',
        register(reg) {
          reg.registerInit({
            deps: { s: coreServices.scheduler },
            async init({ s }) {
              scheduler = s;
            },
          });
        },
      }),
    ],
    /** Runs the plugin's task `taskId` now. */
    trigger(taskId: string): Promise<void> {
      if (!scheduler) throw new Error('The test backend has not started');
      return scheduler.triggerTask(taskId);
    },
  };
}
