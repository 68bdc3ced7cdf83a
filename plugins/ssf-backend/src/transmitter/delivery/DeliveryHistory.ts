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
import {
  addToCounters,
  BUCKET_SECONDS,
  CounterPruner,
  epochMinute,
  fillHours,
  hourWindow,
} from '../../database/timeBuckets';

const TABLE = 'ssf_delivery_counts';
const COUNTS = ['delivered', 'failed', 'dead'] as const;

/** What one outbox change did to one stream's SETs. @internal */
export interface DeliveryOutcome {
  streamId: string;
  /** `failed`: a push attempt failed and the SET was scheduled again. */
  outcome: 'delivered' | 'failed' | 'dead';
  count: number;
}

/** One stream's delivery chart. @internal */
export interface DeliveryHistoryResult {
  bucket_seconds: number;
  buckets: Array<{
    start: string;
    delivered: number;
    failed: number;
    dead: number;
  }>;
}

/**
 * Delivery outcomes per stream per minute, for the admin page's chart.
 *
 * Counted here rather than read back from the outbox, because the outbox
 * cannot tell them honestly: a row keeps how many attempts it took and when
 * the last one failed, not when each failed; redelivering a dead SET forgets
 * when it died; and finished rows are deleted after the history retention,
 * which may be shorter than the chart's window. Each outcome adds to its
 * minute's row, in the transaction that records it when there is one.
 *
 * @internal
 */
export class DeliveryHistory {
  readonly #knex: Knex;
  readonly #pruner = new CounterPruner(TABLE);

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async record(
    outcomes: DeliveryOutcome[],
    now: Date,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const minute = epochMinute(now);
    const rows = new Map<string, Record<string, string | number>>();
    for (const { streamId, outcome, count } of outcomes) {
      if (count <= 0) continue;
      const row = rows.get(streamId) ?? {
        stream_id: streamId,
        minute,
        delivered: 0,
        failed: 0,
        dead: 0,
      };
      row[outcome] = Number(row[outcome]) + count;
      rows.set(streamId, row);
    }
    await addToCounters(
      tx ?? this.#knex,
      TABLE,
      [...rows.values()],
      ['stream_id', 'minute'],
      [...COUNTS],
    );
    // In the caller's transaction when there is one: on SQLite it holds the
    // only connection.
    await this.#pruner.pruneNowAndThen(tx ?? this.#knex, now);
  }

  /** The last `hours` hours of one stream, hour by hour, oldest first. */
  async history(
    streamId: string,
    hours: number,
    now = new Date(),
  ): Promise<DeliveryHistoryResult> {
    const window = hourWindow(now, hours);
    // One query: the minutes summed by hour (minute / 60 is integer
    // division on both databases, i.e. floor(epoch / 3600)).
    const rows = await this.#knex(TABLE)
      .where('stream_id', streamId)
      .andWhere('minute', '>=', window.first * 60)
      .andWhere('minute', '<', window.end * 60)
      .groupByRaw('minute / 60')
      .select(
        this.#knex.raw('minute / 60 as hour_n'),
        this.#knex.raw('sum(delivered) as delivered'),
        this.#knex.raw('sum(failed) as failed'),
        this.#knex.raw('sum(dead) as dead'),
      );
    return {
      bucket_seconds: BUCKET_SECONDS,
      buckets: fillHours(
        window,
        rows.map(r => ({ ...r, hour: r.hour_n })),
        COUNTS,
      ),
    };
  }
}
