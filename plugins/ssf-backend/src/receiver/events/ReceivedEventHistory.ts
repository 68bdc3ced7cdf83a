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
  hourOfTimestamp,
  hourWindow,
} from '../../database/timeBuckets';

const EVENTS = 'ssf_received_events';
const REJECTIONS = 'ssf_received_rejections';

/** One provider's received-SETs chart. @internal */
export interface ReceivedHistoryResult {
  bucket_seconds: number;
  buckets: Array<{ start: string; accepted: number; rejected: number }>;
  /** Refused SETs over the whole window, by the error code answered. */
  rejected_by_err: Record<string, number>;
}

/**
 * What a provider's SETs did over time, for the admin page's chart.
 * Accepted SETs are the stored ones, counted by `received_at` (a redelivery
 * of a stored SET is not counted again). Refused SETs are stored nowhere,
 * so ingestion counts them here per provider, error code and minute; a SET
 * whose issuer names no provider has no provider to count it under.
 *
 * @internal
 */
export class ReceivedEventHistory {
  readonly #knex: Knex;
  readonly #pruner = new CounterPruner(REJECTIONS);

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async recordRejected(providerId: string, err: string, now: Date) {
    await addToCounters(
      this.#knex,
      REJECTIONS,
      [
        {
          provider_id: providerId,
          minute: epochMinute(now),
          err: err.slice(0, 64),
          count: 1,
        },
      ],
      ['provider_id', 'minute', 'err'],
      ['count'],
    );
    await this.#pruner.pruneNowAndThen(this.#knex, now);
  }

  /** The last `hours` hours of one provider, hour by hour, oldest first. */
  async history(
    providerId: string,
    hours: number,
    now = new Date(),
  ): Promise<ReceivedHistoryResult> {
    const window = hourWindow(now, hours);
    const knex = this.#knex;
    // One query for the chart: accepted by hour of received_at
    // (floor(epoch / 3600) in SQL), and refusals by hour and error code
    // from the minute counters (minute / 60 is integer division).
    const accepted = knex(EVENTS)
      .where('provider_id', providerId)
      .andWhere('received_at', '>=', window.startDate)
      .andWhere('received_at', '<', window.endDate)
      .groupBy('hour_n')
      .select(
        hourOfTimestamp(knex, 'received_at').wrap('(', ') as hour_n'),
        knex.raw("'' as err"),
        knex.raw('count(*) as n'),
      );
    const rejected = knex(REJECTIONS)
      .where('provider_id', providerId)
      .andWhere('minute', '>=', window.first * 60)
      .andWhere('minute', '<', window.end * 60)
      .groupByRaw('minute / 60, err')
      .select(
        knex.raw('minute / 60 as hour_n'),
        'err',
        knex.raw('sum(count) as n'),
      );
    // Each side as a derived table: its GROUP BY stays its own, and SQLite
    // takes no parenthesised UNION members.
    const rows: Array<{ hour_n: unknown; err: string; n: unknown }> = await knex
      .select('*')
      .from(accepted.as('accepted'))
      .unionAll(knex.select('*').from(rejected.as('rejected')));

    const byHour = new Map<
      number,
      { hour: number; accepted: number; rejected: number }
    >();
    const byErr: Record<string, number> = {};
    for (const row of rows) {
      const hour = Number(row.hour_n);
      const n = Number(row.n);
      const bucket = byHour.get(hour) ?? { hour, accepted: 0, rejected: 0 };
      if (row.err === '') {
        bucket.accepted += n;
      } else {
        bucket.rejected += n;
        byErr[row.err] = (byErr[row.err] ?? 0) + n;
      }
      byHour.set(hour, bucket);
    }
    return {
      bucket_seconds: BUCKET_SECONDS,
      buckets: fillHours(window, [...byHour.values()], [
        'accepted',
        'rejected',
      ] as const),
      rejected_by_err: byErr,
    };
  }
}
