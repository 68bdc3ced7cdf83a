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

// The load part of `yarn test:robustness`: for --duration seconds, on a fresh
// PostgreSQL database, at the same time
//   (a) events emitted at a steady rate through TransmitterEmitter to three
//       push streams whose receiver (its own process) is healthy, and
//   (b) the management views' database reads (StreamStore.list and
//       OutboxStore.stats, what the streams admin page asks for) in a loop,
// with the production delivery settings (10 s timeout, 1 min lease). It
// reports throughput and errors per kind (errors must be 0), whether every
// SET emitted was delivered within a bounded drain time, the notifications
// sent (must be 0: nothing failed), and the RSS over the run, which should
// level off rather than climb. The transmitter records its metrics into an
// in-memory OpenTelemetry reader; their totals are returned as checks
// against what the load counted.
//
// Left out: SET ingestion on the receiver side (IngestionService needs the
// provider store, lookup, key cache and dispatcher that createReceiver
// wires together); the ingest benchmark covers its throughput.

import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  installTestMeterProvider,
  SSF_METER_SCOPE,
} from '../src/__testUtils__/metrics';
import { TransmitterMetrics } from '../src/transmitter/metrics';
import { LoadResult, MetricCheck, metricLabel } from './metricChecks';
import { notificationsCell, recordingAlerts } from './notifications';
import { mb, OUTCOME_HEADERS, outcomeCells, printTable } from './report';
import { startReceiver } from './receiverControl';
import {
  addPushStream,
  buildTransmitter,
  openDatabase,
  outboxStates,
  SESSION_REVOKED,
  sleep,
} from './setup';
import { settle } from './verify';

const STREAMS = 3;
const DRAIN_TIMEOUT_MS = 60_000;

export async function runLoad(options: {
  pgUrl: string;
  durationSeconds: number;
  /** Events per second; each becomes one SET per stream. */
  rate: number;
}): Promise<LoadResult> {
  // The real MetricsService is this meter: Backstage's takes the global
  // provider's meter for the plugin's scope.
  const meters = installTestMeterProvider();
  const metricsService: MetricsService =
    meters.provider.getMeter(SSF_METER_SCOPE);
  const notifications = recordingAlerts();
  const receiver = await startReceiver();
  const db = await openDatabase('pg', options.pgUrl);
  const streamIds: string[] = [];
  for (let i = 0; i < STREAMS; i++) {
    streamIds.push(await addPushStream(db.knex, receiver.url));
  }
  const t = await buildTransmitter(db.knex, {
    owner: 'load',
    delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
    alerts: notifications.alerts,
    metrics: new TransmitterMetrics(metricsService),
  });
  t.worker.start();

  const counts = {
    emits: 0,
    emitErrors: 0,
    reads: 0,
    readErrors: 0,
  };
  const firstErrors: string[] = [];
  const noteError = (kind: string, error: unknown) => {
    if (firstErrors.length < 5) {
      firstErrors.push(`${kind}: ${(error as Error)?.stack ?? error}`);
    }
  };
  const jtis: string[] = [];
  const rss = {
    start: process.memoryUsage().rss,
    max: 0,
    samples: [] as number[],
  };
  const durationMs = options.durationSeconds * 1000;
  const start = Date.now();
  const end = start + durationMs;
  let ok = false;
  const metrics: MetricCheck[] = [];

  try {
    // (a) Steady emits: every 100 ms a tenth of the per-second rate, without
    // waiting for the previous tick, as independent callers would.
    const emitting: Promise<void>[] = [];
    const emitLoop = async () => {
      let i = 0;
      for (let tick = 0; Date.now() < end; tick++) {
        const due = start + tick * 100;
        if (due > Date.now()) await sleep(due - Date.now());
        const perTick =
          Math.floor(((tick + 1) * options.rate) / 10) -
          Math.floor((tick * options.rate) / 10);
        for (let k = 0; k < perTick; k++) {
          const n = i++;
          emitting.push(
            t.emitter
              .emit({
                type: SESSION_REVOKED,
                subject: { format: 'opaque', id: `load-${n}` },
                payload: { initiating_entity: 'policy' },
              })
              .then(
                result => {
                  counts.emits += 1;
                  jtis.push(...result.sets.map(s => s.jti));
                },
                error => {
                  counts.emitErrors += 1;
                  noteError('emit', error);
                },
              ),
          );
        }
      }
      await Promise.all(emitting);
    };

    // (b) Management reads, back to back with a short pause, like an admin
    // page refreshing.
    const readLoop = async () => {
      while (Date.now() < end) {
        try {
          const streams = await t.streams.list();
          await t.outbox.stats(streams.map(s => s.streamId));
          counts.reads += 1;
        } catch (error) {
          counts.readErrors += 1;
          noteError('read', error);
        }
        await sleep(20);
      }
    };

    const rssLoop = async () => {
      while (Date.now() < end) {
        const now = process.memoryUsage().rss;
        rss.max = Math.max(rss.max, now);
        rss.samples.push(now);
        await sleep(1000);
      }
    };

    await Promise.all([emitLoop(), readLoop(), rssLoop()]);
    const elapsed = (Date.now() - start) / 1000;
    const deliveredInRun = Object.keys(
      (await receiver.report()).delivered,
    ).length;

    const drainStart = Date.now();
    const outcome = await settle({
      outbox: () => outboxStates(db.knex),
      receiver,
      jtis,
      timeoutMs: DRAIN_TIMEOUT_MS,
    });
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const rssEnd = process.memoryUsage().rss;
    const sent = await notifications.tally();

    printTable(
      ['kind', 'count', 'per second', 'errors'],
      [
        [
          `emit (events, ${STREAMS} SETs each)`,
          String(counts.emits),
          (counts.emits / elapsed).toFixed(1),
          String(counts.emitErrors),
        ],
        [
          'SETs delivered during the run',
          String(deliveredInRun),
          (deliveredInRun / elapsed).toFixed(1),
          // Failed pushes and anything the worker warned about.
          String(
            outcome.receiver.answered5xx +
              outcome.receiver.aborted +
              t.logger.warnings.length +
              t.logger.errors.length,
          ),
        ],
        [
          'management reads (list + stats)',
          String(counts.reads),
          (counts.reads / elapsed).toFixed(1),
          String(counts.readErrors),
        ],
      ],
    );
    console.log();
    printTable(
      [
        ...OUTCOME_HEADERS,
        'notifications',
        'drain after the run',
        'RSS start / max / end',
      ],
      [
        [
          ...outcomeCells(outcome),
          notificationsCell(sent),
          `${drainSeconds.toFixed(1)} s${
            outcome.timedOut ? ' (TIMED OUT)' : ''
          }`,
          `${mb(rss.start)} / ${mb(Math.max(rss.max, rssEnd))} / ${mb(rssEnd)}`,
        ],
      ],
    );
    for (const e of firstErrors) console.log(`  error: ${e}`);
    for (const w of t.logger.warnings.slice(0, 5)) {
      console.log(`  worker warning: ${w}`);
    }

    // What the receiver saw, against what the transmitter's metrics say.
    const check = async (
      name: string,
      attributes: Record<string, string>,
      counted: string,
      expected: number,
    ) =>
      metrics.push({
        where: 'delivery (this process)',
        metric: metricLabel(name, attributes),
        value: await meters.value(name, attributes),
        counted,
        expected,
      });
    const r = outcome.receiver;
    await check(
      'ssf.transmitter.sets.emitted',
      {},
      'SETs its emits returned',
      jtis.length,
    );
    await check(
      'ssf.transmitter.sets.pushed',
      { outcome: 'delivered' },
      'pushes its receiver answered 2xx',
      Object.values(r.delivered).reduce((a, b) => a + b, 0),
    );
    await check(
      'ssf.transmitter.sets.pushed',
      {},
      'pushes its receiver got',
      r.requests,
    );

    ok =
      sent.sent === 0 &&
      counts.emitErrors === 0 &&
      counts.readErrors === 0 &&
      outcome.lost === 0 &&
      outcome.dead === 0 &&
      outcome.concurrentDuplicates === 0 &&
      !outcome.timedOut;
    console.log(`\nload: ${ok ? 'ok' : 'FAIL'}`);
  } catch (error) {
    console.log(`load: FAIL: ${(error as Error).stack ?? error}`);
  } finally {
    await t.worker.stop().catch(() => {});
    await db.drop();
    await receiver.stop();
    await meters.shutdown();
  }
  return { ok, metrics };
}
