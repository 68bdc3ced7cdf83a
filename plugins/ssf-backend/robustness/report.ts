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

// Prints the results of `yarn test:robustness` as Markdown tables, so they
// can be pasted into a pull request as they are.

import { notificationsCell, NotificationTally } from './notifications';
import { Outcome } from './verify';

/** One fault scenario's row. */
export interface FaultRow {
  fault: string;
  outcome?: Outcome;
  seconds: number;
  /** Why the scenario failed beyond the counts (a check, a crash); empty when it passed. */
  problems: string[];
  /** Extra facts worth a glance (leases held at the kill, backends terminated). */
  notes: string[];
  /** The notifications the plugin sent during the scenario. */
  notifications?: NotificationTally;
}

export function faultPassed(row: FaultRow): boolean {
  const o = row.outcome;
  return (
    !!o &&
    !o.timedOut &&
    o.lost === 0 &&
    o.concurrentDuplicates === 0 &&
    row.problems.length === 0
  );
}

export function printTable(headers: string[], rows: string[][]) {
  const widths = headers.map((h, i) =>
    Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(headers));
  console.log(`| ${widths.map(w => '-'.repeat(w)).join(' | ')} |`);
  for (const row of rows) console.log(line(row));
}

/** The columns every table of SET outcomes starts with. */
export const OUTCOME_HEADERS = [
  'SETs emitted',
  'delivered',
  'dead-lettered',
  'lost',
  'concurrent duplicates',
  'redelivered',
];

/** The OUTCOME_HEADERS cells of one outcome ('-' for what is unknown). */
export function outcomeCells(o: Outcome | undefined): string[] {
  const n = (v: number | undefined) => (v === undefined ? '-' : String(v));
  return [
    n(o?.emitted),
    n(o?.delivered),
    n(o?.dead),
    n(o?.lost),
    n(o?.concurrentDuplicates),
    n(o?.redelivered),
  ];
}

export function printFaults(rows: FaultRow[]) {
  printTable(
    ['fault', ...OUTCOME_HEADERS, 'notifications', 'time', 'result'],
    rows.map(r => {
      let result = faultPassed(r) ? 'ok' : 'FAIL';
      if (r.outcome?.timedOut) result += ' (timed out)';
      return [
        r.fault,
        ...outcomeCells(r.outcome),
        notificationsCell(r.notifications),
        `${r.seconds.toFixed(1)} s`,
        result,
      ];
    }),
  );
  for (const r of rows) {
    for (const p of r.problems) console.log(`  ${r.fault}: PROBLEM: ${p}`);
  }
  for (const r of rows) {
    for (const note of r.notes) console.log(`  ${r.fault}: ${note}`);
  }
}

export const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
