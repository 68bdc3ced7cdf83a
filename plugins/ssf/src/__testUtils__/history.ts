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

/** An hour in seconds: the buckets' width in the history tests. */
export const HOUR = 3600;

/**
 * A day of hourly history buckets, from 2026-11-22T00:00Z: `zero` in every
 * hour but the last ones, which hold `last` (oldest first). `counts` turns
 * one hour's counts into the bucket's fields, so that each chart's test
 * writes its counts as a short tuple.
 */
export function hourlyDay<C, B extends object>(
  last: C[],
  zero: C,
  counts: (hour: C) => B,
): Array<{ start: string } & B> {
  const start = Date.parse('2026-11-22T00:00:00.000Z');
  const hours = [
    ...Array.from({ length: 24 - last.length }, () => zero),
    ...last,
  ];
  return hours.map((hour, i) => ({
    start: new Date(start + i * HOUR * 1000).toISOString(),
    ...counts(hour),
  }));
}
