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

// `yarn robustness` (part of `yarn test:robustness`): does the transmitter's
// push delivery keep its promise — every SET either delivered or
// dead-lettered, none lost, none pushed twice at once — when things break,
// and does it hold up under sustained load?
//
// The unit tests (push.test.ts, replicas.test.ts) check each behaviour once,
// in one process, with a fake clock where needed. This runs the real pieces
// (outbox, worker, signer) against real databases, with the receiver and the
// transmitter instances in separate processes, so faults are real ones: a
// closed port, a timed-out socket, terminated PostgreSQL backends, a
// SIGKILLed process, two replicas racing for the same rows.
//
// Fault scenarios (robustness/faults/*): each emits --sets SETs to two push
// streams, injects its fault, lifts it, and waits (bounded) until every SET
// is delivered or dead-lettered, then counts per jti at the receiver, and
// counts the notifications the plugin sent (each scenario names the kinds
// it must send, and no others). Receiver faults run on SQLite and
// PostgreSQL, the rest on PostgreSQL only. Then the load run
// (robustness/load.ts and httpLoad.ts) for --duration seconds, whose
// metric totals must equal what it counted.
//
// Options: --duration SECONDS (load, default 60), --sets N (per fault
// scenario, default 300), --rate N (load events/s, default 100),
// --ingest-rate N (load SETs ingested/s, default 50), --pg URL (default
// $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or
// postgresql://postgres@127.0.0.1:5432), --db sqlite,pg, --only name,name
// (receiver-down, receiver-slow, receiver-flap, receiver-400,
// receiver-inactive, provider-keys, db-drop, kill, replicas, load).
//
// Exits non-zero when any SET was lost or pushed concurrently twice, a
// scenario timed out, failed a check or missed a notification, the load
// run had errors, or a metric total differed from the suite's count.

import os from 'node:os';
import { databaseDrop } from './faults/databaseDrop';
import { processKill } from './faults/processKill';
import { providerKeysDown } from './faults/providerKeysDown';
import { receiver400 } from './faults/receiver400';
import { receiverDown } from './faults/receiverDown';
import { receiverFlapping } from './faults/receiverFlapping';
import { receiverInactive } from './faults/receiverInactive';
import { receiverSlow } from './faults/receiverSlow';
import { replicas } from './faults/replicas';
import { Scenario } from './faults/scenario';
import { runHttpLoad } from './httpLoad';
import { runLoad } from './load';
import { printMetricChecks } from './metricChecks';
import { checkNotifications } from './notifications';
import { startReceiver } from './receiverControl';
import { faultPassed, FaultRow, printFaults } from './report';
import { Db } from './setup';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const options = {
  duration: Number(arg('duration', '60')),
  sets: Number(arg('sets', '300')),
  rate: Number(arg('rate', '100')),
  dbs: arg('db', 'sqlite,pg').split(',') as Db[],
  only: arg('only', '').split(',').filter(Boolean),
  pgUrl: arg(
    'pg',
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  ),
};

const SCENARIOS: Scenario[] = [
  receiverDown,
  receiverSlow,
  receiverFlapping,
  receiver400,
  receiverInactive,
  providerKeysDown,
  databaseDrop,
  processKill,
  replicas,
];

const wanted = (name: string) =>
  options.only.length === 0 || options.only.includes(name);

async function runFaults(): Promise<FaultRow[]> {
  const rows: FaultRow[] = [];
  const receiver = await startReceiver();
  try {
    for (const scenario of SCENARIOS.filter(s => wanted(s.name))) {
      for (const db of scenario.dbs.filter(d => options.dbs.includes(d))) {
        const row: FaultRow = {
          fault: `${scenario.title} (${db})`,
          seconds: 0,
          problems: [],
          notes: [],
        };
        const start = Date.now();
        process.stdout.write(`${row.fault} … `);
        try {
          await scenario.run(
            {
              db,
              pgUrl: options.pgUrl,
              sets: options.sets,
              receiver,
              // Generous: a healthy run settles in a few seconds; a stuck
              // worker is what this catches, not a slow one.
              settleTimeoutMs: 90_000,
            },
            row,
          );
          checkNotifications(row, scenario.notifies);
        } catch (error) {
          row.problems.push(`crashed: ${(error as Error).stack ?? error}`);
        }
        row.seconds = (Date.now() - start) / 1000;
        console.log(
          `${faultPassed(row) ? 'ok' : 'FAIL'} in ${row.seconds.toFixed(1)} s`,
        );
        rows.push(row);
        // Leave the receiver up and healthy for the next scenario.
        await receiver.up();
        await receiver.reset();
      }
    }
  } finally {
    await receiver.stop();
  }
  return rows;
}

async function main() {
  const start = Date.now();
  console.log(
    `SSF delivery robustness on ${os.cpus().length} cores, Node ${
      process.version
    }: ${options.sets} SETs per fault scenario, ${options.duration} s load\n`,
  );
  // A stray rejection in the code under test is a finding, not a crash of
  // the harness: count it and fail the run at the end.
  const stray: string[] = [];
  process.on('unhandledRejection', reason => {
    stray.push(String((reason as Error)?.stack ?? reason));
  });

  let failed = false;
  const faultRows = await runFaults();
  if (faultRows.length) {
    console.log('\nFault scenarios\n');
    printFaults(faultRows);
    failed ||= faultRows.some(r => !faultPassed(r));
  }

  if (wanted('load') && options.duration > 0) {
    console.log(`\nLoad (${options.duration} s)\n`);
    // Both at once: delivery in this process, the HTTP surface (ingestion,
    // management, lifecycle, poll) in the backend's own process.
    const [delivery, surface] = await Promise.all([
      runLoad({
        pgUrl: options.pgUrl,
        durationSeconds: options.duration,
        rate: options.rate,
      }),
      runHttpLoad({
        pgUrl: options.pgUrl,
        durationSeconds: options.duration,
        ingestRate: Number(arg('ingest-rate', '50')),
      }),
    ]);
    failed ||= !delivery.ok || !surface.ok;
    console.log(
      '\nMetric totals at the end of the load, against the counts of the load itself\n',
    );
    failed ||= !printMetricChecks([...delivery.metrics, ...surface.metrics]);
  }

  if (stray.length) {
    failed = true;
    console.log(`\n${stray.length} unhandled rejections, e.g.:\n${stray[0]}`);
  }
  console.log(
    `\n${failed ? 'FAILED' : 'PASSED'} in ${(
      (Date.now() - start) /
      1000
    ).toFixed(0)} s`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
