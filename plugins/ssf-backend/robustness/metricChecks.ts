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

/* eslint-disable no-console */

// The load run's bookkeeping check: at the end of the mixed load, the
// totals of the plugin's metrics (read through an OpenTelemetry
// MeterProvider, as an exporter would) must equal what the suite itself
// counted: SETs its requests emitted, answers its receivers got, SETs it
// ingested, 429s it was answered. A mismatch fails the run.

import { printTable } from './report';

/** What a load part found: whether it passed, and its metric checks. */
export interface LoadResult {
  ok: boolean;
  metrics: MetricCheck[];
}

export interface MetricCheck {
  /** The process the metric was read in. */
  where: string;
  /** The instrument and the attributes summed over, e.g. `ssf.transmitter.sets.pushed{outcome=delivered}`. */
  metric: string;
  value: number;
  /** What the suite counted, in words. */
  counted: string;
  expected: number;
}

/** `name{k=v,…}`, the way the report names a metric total. */
export function metricLabel(
  name: string,
  attributes: Record<string, string> = {},
): string {
  const labels = Object.entries(attributes)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return labels ? `${name}{${labels}}` : name;
}

/** Prints the checks as a table; true when every total matched. */
export function printMetricChecks(checks: MetricCheck[]): boolean {
  printTable(
    ['process', 'metric total', 'value', 'the suite counted', 'count', 'match'],
    checks.map(c => [
      c.where,
      c.metric,
      String(c.value),
      c.counted,
      String(c.expected),
      c.value === c.expected ? 'yes' : 'MISMATCH',
    ]),
  );
  return checks.every(c => c.value === c.expected);
}
