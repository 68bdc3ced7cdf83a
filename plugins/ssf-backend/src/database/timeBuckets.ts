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

/** The charts' bucket: one hour. @internal */
export const BUCKET_SECONDS = 3600;

/** Whole minutes since the Unix epoch: the counter tables' `minute`. @internal */
export function epochMinute(at: Date): number {
  return Math.floor(at.getTime() / 60_000);
}

/**
 * The last `hours` whole hours up to and including the one `now` is in, as
 * hours since the Unix epoch: `[first, first + hours)`.
 *
 * @internal
 */
export function hourWindow(now: Date, hours: number) {
  const current = Math.floor(now.getTime() / (BUCKET_SECONDS * 1000));
  const first = current - hours + 1;
  return {
    first,
    end: first + hours,
    startDate: new Date(first * BUCKET_SECONDS * 1000),
    endDate: new Date((first + hours) * BUCKET_SECONDS * 1000),
  };
}

/**
 * SQL for the hour since the Unix epoch of a timestamp column, i.e.
 * floor(epoch / 3600), on PostgreSQL (`extract(epoch)`) and SQLite. On
 * SQLite knex stores a `Date` as milliseconds; a value written as text
 * (e.g. by hand) goes through `strftime('%s')`.
 *
 * @internal
 */
export function hourOfTimestamp(knex: Knex, column: string): Knex.Raw {
  if (knex.client.config.client === 'pg') {
    return knex.raw('CAST(FLOOR(EXTRACT(EPOCH FROM ??) / 3600) AS BIGINT)', [
      column,
    ]);
  }
  return knex.raw(
    `(CASE WHEN typeof(??) IN ('integer', 'real') THEN CAST(?? / 1000 AS INTEGER)
      ELSE CAST(strftime('%s', ??) AS INTEGER) END) / 3600`,
    [column, column, column],
  );
}

/**
 * One bucket per hour of the window, oldest first, empty ones included:
 * `rows` holds the hours that had something (an `hour` since the epoch and
 * the counts), everything else is zero.
 *
 * @internal
 */
export function fillHours<K extends string>(
  window: { first: number; end: number },
  rows: Array<{ hour: unknown } & { [key in K]?: unknown }>,
  keys: readonly K[],
): Array<{ start: string } & Record<K, number>> {
  const byHour = new Map(rows.map(r => [Number(r.hour), r]));
  const buckets: Array<{ start: string } & Record<K, number>> = [];
  for (let hour = window.first; hour < window.end; hour++) {
    const row = byHour.get(hour);
    const bucket = {
      start: new Date(hour * BUCKET_SECONDS * 1000).toISOString(),
    } as { start: string } & Record<K, number>;
    for (const key of keys) {
      (bucket as Record<K, number>)[key] = Number(row?.[key] ?? 0);
    }
    buckets.push(bucket);
  }
  return buckets;
}

/**
 * Adds `counts` to a per-minute counter row, creating it if needed, in one
 * statement (`INSERT … ON CONFLICT DO UPDATE`, which both databases have).
 *
 * @internal
 */
export async function addToCounters(
  db: Knex | Knex.Transaction,
  table: string,
  rows: Array<Record<string, string | number>>,
  keyColumns: string[],
  countColumns: string[],
): Promise<void> {
  if (rows.length === 0) return;
  const merge: Record<string, Knex.Raw> = {};
  for (const column of countColumns) {
    merge[column] = db.raw('??.?? + excluded.??', [table, column, column]);
  }
  await db(table).insert(rows).onConflict(keyColumns).merge(merge);
}

/** Counters older than the longest chart window (168 h) and a margin go. */
const COUNTER_KEEP_MS = 8 * 24 * 3600 * 1000;
const COUNTER_PRUNE_EVERY_MS = 3600 * 1000;

/**
 * Deletes a per-minute counter table's rows that no chart shows any more:
 * called on every write, it deletes at most once an hour per instance.
 *
 * @internal
 */
export class CounterPruner {
  readonly #table: string;
  #prunedAt = 0;

  constructor(table: string) {
    this.#table = table;
  }

  async pruneNowAndThen(db: Knex | Knex.Transaction, now: Date) {
    if (now.getTime() - this.#prunedAt < COUNTER_PRUNE_EVERY_MS) return;
    this.#prunedAt = now.getTime();
    await db(this.#table)
      .where(
        'minute',
        '<',
        epochMinute(new Date(now.getTime() - COUNTER_KEEP_MS)),
      )
      .delete();
  }
}
