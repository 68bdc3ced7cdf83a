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

import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Records metrics so that a failing instrument never fails the work it
 * measures: what a recording throws is swallowed, and only the first
 * failure is logged, since a broken exporter would otherwise log on every
 * SET.
 *
 * @internal
 */
export class SafeMetricsRecorder {
  readonly #what: string;
  readonly #logger?: LoggerService;
  #warned = false;

  /** `what` names the instruments in the warning, e.g. `SSF receiver metrics`. */
  constructor(what: string, logger?: LoggerService) {
    this.#what = what;
    this.#logger = logger;
  }

  /** Runs `record`, swallowing what it throws. */
  record(record: () => void): void {
    try {
      record();
    } catch (error) {
      this.failed(error);
    }
  }

  /** An instrument failed, e.g. in an observable gauge's callback. */
  failed(error: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#logger?.warn(
      `${this.#what} could not be recorded: ${
        (error as Error)?.message ?? error
      }`,
    );
  }
}
