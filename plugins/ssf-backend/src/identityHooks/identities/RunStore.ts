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

import { Knex } from 'knex';
import { toDate } from '../../database/dates';

const TABLE = 'ssf_lifecycle_runs';

/** What a reconciliation found. @internal */
export interface RunResult {
  users: number;
  added: number;
  removed: number;
  changed: number;
  events: number;
  firstRun: boolean;
  /** Set when removals were held back because too many users vanished at once. */
  removalsHeldBack?: number;
}

/** A reconciliation's last run. @internal */
export interface Run {
  startedAt: Date;
  finishedAt: Date;
  result: RunResult;
}

/** Reads and writes `ssf_lifecycle_runs`: each source's last run. @internal */
export class RunStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async get(source: string): Promise<Run | undefined> {
    const row = await this.#knex(TABLE).where({ source }).first();
    return row
      ? {
          startedAt: toDate(row.started_at),
          finishedAt: toDate(row.finished_at),
          result: JSON.parse(row.result_json),
        }
      : undefined;
  }

  async put(source: string, run: Run): Promise<void> {
    await this.#knex(TABLE)
      .insert({
        source,
        started_at: run.startedAt,
        finished_at: run.finishedAt,
        result_json: JSON.stringify(run.result),
      })
      .onConflict('source')
      .merge();
  }
}
