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

// `yarn bench:lifecycle`: how the identity lifecycle hooks cope with a large
// catalog. For each database and user count, on a fresh migrated database
// with the default hooks and one enabled push stream (session-revoked and
// account-disabled) pointing at a local receiver (its own process), with the
// delivery worker running:
//
// - First run: the catalog reconciliation records every user's baseline
//   snapshot and emits nothing.
// - No changes: a full reconciliation that finds nothing to do; seconds,
//   users per second and the extra RSS while it runs.
// - Changed: a full reconciliation after a fraction of the users had their
//   ssf.io/lifecycle annotation set to terminated (each fires the two default
//   hooks); seconds, events, extra RSS, and how long until every resulting
//   SET arrived at the receiver.
// - Latency: single users changed one at a time at ~20/s through
//   reconcileOne (the catalog-event path); p50/p99 from the change being
//   observed to each SET's arrival at the receiver, matched by the subject's
//   email.
//
// The catalog is an in-memory fake whose User entities are built before
// anything is measured, so they are not part of the extra RSS (the peak RSS,
// sampled every 50 ms from a worker thread, minus the RSS just after a GC
// before the run). Each database and user count runs in a process of its
// own; within it the later phases reuse heap the first run grew, as a
// long-running backend would. Figures are printed, never asserted; the last
// line compares them with the target of 100,000 users reconciled in < 60 s
// with < 300 MB extra RSS.
//
// Options: --users 10000,100000, --db sqlite,pg, --changed 0.01 (fraction of
// users changed), --latency-changes 200, --rate 20 (latency changes per
// second), --page-size 500, --pg URL (default
// $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or
// postgresql://postgres@127.0.0.1:5432), --cpu-prof-dir DIR (a CPU profile
// of each run's process), --sql-stats (time per SQL statement per phase).
// SQLite is a better-sqlite3 file in
// a temporary directory; PostgreSQL gets a fresh database per run, dropped
// after it.

import { AuthService } from '@backstage/backend-plugin-api';
import {
  CompoundEntityRef,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { Knex } from 'knex';
import { TransmitterEmitter } from '../src/transmitter/delivery/TransmitterEmitter';
import { CatalogReconciler } from '../src/identityHooks/catalog/CatalogReconciler';
import { FiringStore } from '../src/identityHooks/firings/FiringStore';
import { defaultHooks } from '../src/identityHooks/hooks/defaultHooks';
import { HookStore } from '../src/identityHooks/hooks/HookStore';
import { RunResult, RunStore } from '../src/identityHooks/identities/RunStore';
import { SnapshotStore } from '../src/identityHooks/identities/SnapshotStore';
import { IdentityHookEngine } from '../src/identityHooks/IdentityHookEngine';
import {
  arg,
  BenchTransmitter,
  benchTransmitterConfig,
  Db,
  forkReceiver,
  percentile,
  pgUrlOption,
  quietLogger,
  waitUntil,
  withPushTransmitter,
} from './harness';

const LIFECYCLE_ANNOTATION = 'ssf.io/lifecycle';
// The lifecycle config's defaults (ssf.lifecycle.catalog.*).
const MAX_REMOVED_FRACTION = 0.25;
const TARGET = { users: 100_000, seconds: 60, extraRssMb: 300 };

const options = {
  users: arg('users', '10000,100000')
    .split(',')
    .map(n => Number(n.replace(/_/g, ''))),
  dbs: arg('db', 'sqlite,pg').split(',') as Db[],
  changed: Number(arg('changed', '0.01')),
  latencyChanges: Number(arg('latency-changes', '200')),
  rate: Number(arg('rate', '20')),
  pageSize: Number(arg('page-size', '500')),
  cpuProfDir: arg('cpu-prof-dir', ''),
  sqlStats: process.argv.includes('--sql-stats'),
  pgUrl: pgUrlOption(),
};

// ---------------------------------------------------------------- helpers

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const mb = (bytes: number) => bytes / 1024 / 1024;
const fmtMb = (bytes: number) => `${mb(bytes).toFixed(0)} MB`;
const fmtRss = (p: { extraRss: number; peakRss: number; extraHeap: number }) =>
  `${fmtMb(p.extraRss)} (peak ${fmtMb(p.peakRss)}; V8 heap +${fmtMb(
    p.extraHeap,
  )})`;
const fmtInt = (n: number) => n.toLocaleString('en-US');

/**
 * Samples the process RSS every 50 ms from a worker thread, so that a busy
 * main event loop (better-sqlite3 is synchronous) cannot skip the peak.
 */
class RssSampler {
  readonly #worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    let peak = 0;
    let timer;
    const sample = () => { peak = Math.max(peak, process.memoryUsage.rss()); };
    parentPort.on('message', m => {
      clearInterval(timer);
      if (m === 'start') {
        peak = 0;
        sample();
        timer = setInterval(sample, 50);
      } else {
        sample();
      }
      parentPort.postMessage(peak);
    });
    `,
    { eval: true },
  );

  #ask(message: 'start' | 'stop') {
    return new Promise<number>(resolve => {
      this.#worker.once('message', resolve);
      this.#worker.postMessage(message);
    });
  }

  start() {
    return this.#ask('start');
  }

  /** The peak RSS since start. */
  stop() {
    return this.#ask('stop');
  }

  close() {
    return this.#worker.terminate();
  }
}

// Started first in each run's process, so its own memory is in every
// baseline.
let sampler: RssSampler;

function collectGarbage() {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `fn`, timing it and sampling the RSS it adds. */
async function measured<T>(fn: () => Promise<T>) {
  collectGarbage();
  await sleep(100);
  const before = process.memoryUsage.rss();
  // The V8 heap can only be read on this thread: a coarser sample of it
  // tells the JavaScript heap from native memory in the RSS.
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const heapTimer = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 50);
  await sampler.start();
  const startedAt = now();
  const value = await fn();
  const endedAt = now();
  const peak = await sampler.stop();
  clearInterval(heapTimer);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  return {
    value,
    startedAt,
    endedAt,
    seconds: (endedAt - startedAt) / 1000,
    extraRss: Math.max(0, peak - before),
    peakRss: peak,
    extraHeap: heapPeak - heapBefore,
  };
}

/**
 * With --sql-stats: how many times each statement ran and the time it took
 * (from the query being sent on a connection to its answer; concurrent
 * queries on PostgreSQL overlap), printed per phase.
 */
class SqlStats {
  readonly #started = new Map<string, number>();
  #totals = new Map<string, { count: number; ms: number }>();

  constructor(knex: Knex) {
    knex.on('query', (q: { __knexQueryUid: string }) => {
      this.#started.set(q.__knexQueryUid, performance.now());
    });
    const done = (q: { __knexQueryUid: string; sql: string }) => {
      const at = this.#started.get(q.__knexQueryUid);
      if (at === undefined) return;
      this.#started.delete(q.__knexQueryUid);
      const sql = q.sql
        .replace(/\$\d+/g, '?')
        .replace(/\(\?(, \?)*\)(, \(\?(, \?)*\))+/g, '(?…)…')
        .replace(/\s+/g, ' ')
        .slice(0, 120);
      const total = this.#totals.get(sql) ?? { count: 0, ms: 0 };
      total.count += 1;
      total.ms += performance.now() - at;
      this.#totals.set(sql, total);
    };
    knex.on('query-response', (_r: unknown, q: any) => done(q));
    knex.on('query-error', (_e: unknown, q: any) => done(q));
  }

  /** Prints the statements that took longest since the last call. */
  print(label: string) {
    const rows = [...this.#totals].sort((a, b) => b[1].ms - a[1].ms);
    this.#totals = new Map();
    const all = rows.reduce((n, [, t]) => n + t.ms, 0);
    console.log(`  SQL during ${label}: ${(all / 1000).toFixed(2)} s in all`);
    for (const [sql, t] of rows.slice(0, 10)) {
      console.log(
        `    ${(t.ms / 1000).toFixed(2).padStart(6)} s ${String(
          t.count,
        ).padStart(7)}x ${(t.ms / t.count).toFixed(2).padStart(7)} ms  ${sql}`,
      );
    }
  }
}

interface Arrival {
  jti: string;
  email: string;
  eventType: string;
  at: number;
}

/** The push receiver, in a process of its own (lifecycleReceiver.ts). */
const startReceiver = () =>
  forkReceiver<
    { count: number; duplicates: number; lastAt: number },
    { arrivals: Arrival[]; duplicates: number }
  >('lifecycleReceiver.ts');

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Starts the transmitter's signing threads, loads jose and fetches the key
 * before anything is measured, as in a backend that has been up a while.
 */
async function warm(t: BenchTransmitter) {
  await Promise.all(
    Array.from({ length: 4 * os.availableParallelism() }, () =>
      t.signer.sign({
        iss: t.config.issuer,
        aud: 'bench',
        txn: 'warm-up',
        subject: { format: 'opaque', id: 'warm-up' },
        eventType: CAEP_EVENT_TYPES.sessionRevoked,
        payload: {},
      }),
    ),
  );
}

// ---------------------------------------------------------------- catalog

function userEntity(i: number): Entity {
  const team = `group:default/team-${i % 250}`;
  const department = `group:default/department-${i % 12}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: {
      name: `user-${i}`,
      namespace: 'default',
      uid: randomUUID(),
      etag: randomUUID(),
      title: `User ${i}`,
      annotations: {
        'backstage.io/managed-by-location': 'ldap://ldap.example.com',
        'backstage.io/managed-by-origin-location': 'ldap://ldap.example.com',
        'backstage.io/ldap-dn': `uid=user-${i},ou=people,dc=example,dc=com`,
        [LIFECYCLE_ANNOTATION]: 'active',
      },
      labels: { location: `site-${i % 7}` },
    },
    spec: {
      profile: {
        email: `user-${i}@example.com`,
        displayName: `User Number ${i}`,
        picture: `https://avatars.example.com/user-${i}.png`,
      },
      memberOf: [team],
    },
    relations: [
      { type: 'memberOf', targetRef: team },
      { type: 'memberOf', targetRef: department },
    ],
  };
}

function withLifecycle(entity: Entity, state: string): Entity {
  return {
    ...entity,
    metadata: {
      ...entity.metadata,
      etag: randomUUID(),
      annotations: {
        ...entity.metadata.annotations,
        [LIFECYCLE_ANNOTATION]: state,
      },
    },
  };
}

/**
 * A catalog holding `users` User entities in memory: streamEntities yields
 * them page by page, getEntityByRef finds one; `terminate` changes one.
 */
class FakeCatalog {
  readonly entities: Entity[];
  readonly #index = new Map<string, number>();

  constructor(users: number) {
    this.entities = Array.from({ length: users }, (_, i) => userEntity(i));
    this.entities.forEach((e, i) => this.#index.set(stringifyEntityRef(e), i));
  }

  async *streamEntities(request?: {
    pageSize?: number;
  }): AsyncIterable<Entity[]> {
    const pageSize = request?.pageSize ?? 500;
    for (let i = 0; i < this.entities.length; i += pageSize) {
      yield this.entities.slice(i, i + pageSize);
    }
  }

  async getEntityByRef(
    ref: string | CompoundEntityRef,
  ): Promise<Entity | undefined> {
    const key = typeof ref === 'string' ? ref : stringifyEntityRef(ref);
    const i = this.#index.get(key);
    return i === undefined ? undefined : this.entities[i];
  }

  terminate(i: number): { ref: string; email: string } {
    this.entities[i] = withLifecycle(this.entities[i], 'terminated');
    return {
      ref: stringifyEntityRef(this.entities[i]),
      email: `user-${i}@example.com`,
    };
  }
}

const auth = {
  async getOwnServiceCredentials() {
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:ssf' },
    };
  },
} as unknown as AuthService;

/** The lifecycle pieces, built directly as createIdentityHooks does. */
async function buildLifecycle(
  knex: Knex,
  emitter: TransmitterEmitter,
  issuer: string,
  catalog: FakeCatalog,
) {
  const hooks = new HookStore(knex);
  await hooks.installFromConfig(
    defaultHooks({
      lifecycleAnnotation: LIFECYCLE_ANNOTATION,
      subjectFormat: 'email',
    }),
  );
  const snapshots = new SnapshotStore(knex);
  const engine = new IdentityHookEngine({
    knex,
    hooks,
    snapshots,
    firings: new FiringStore(knex),
    emitter,
    subjectIssuer: issuer,
    logger: quietLogger,
  });
  return new CatalogReconciler({
    catalog: catalog as unknown as CatalogService,
    auth,
    engine,
    snapshots,
    runs: new RunStore(knex),
    logger: quietLogger,
    pageSize: options.pageSize,
    maxRemovedFraction: MAX_REMOVED_FRACTION,
  });
}

// ---------------------------------------------------------------- runs

interface Phase {
  seconds: number;
  extraRss: number;
  peakRss: number;
  extraHeap: number;
  result: RunResult;
}

interface RunFigures {
  db: Db;
  users: number;
  first: Phase;
  unchanged: Phase;
  changed: Phase & {
    users: number;
    sets: number;
    deliveredAfterStart: number;
    deliveredAfterEnd: number;
    duplicates: number;
  };
  latency: {
    changes: number;
    sets: number;
    p50: number;
    p99: number;
    max: number;
    applyP50: number;
    applyP99: number;
    achievedRate: number;
  };
}

function log(db: Db, users: number, message: string) {
  console.log(`[${db} ${fmtInt(users)}] ${message}`);
}

async function lifecycleRun(
  db: Db,
  users: number,
  receiver: Receiver,
): Promise<RunFigures> {
  const stream = {
    endpointUrl: receiver.url,
    events: [CAEP_EVENT_TYPES.sessionRevoked, RISC_EVENT_TYPES.accountDisabled],
    prepare: warm,
  };
  const database = { pgUrl: options.pgUrl, sqliteFile: true };
  return withPushTransmitter(db, database, stream, async (t, knex) => {
    const sql = options.sqlStats ? new SqlStats(knex) : undefined;
    // Built before anything is measured: the catalog's memory, not ours.
    const catalog = new FakeCatalog(users);
    const reconciler = await buildLifecycle(
      knex,
      t.emitter,
      t.config.issuer,
      catalog,
    );

    /** A phase's log line: its label, how long it took, the RSS it added. */
    const phaseLine = (
      label: string,
      p: { seconds: number; extraRss: number },
    ) => `${label} ${p.seconds.toFixed(2)} s, +${fmtMb(p.extraRss)} RSS`;

    // 1. First run: baseline snapshots, no events.
    const first = await measured(() => reconciler.reconcile());
    log(
      db,
      users,
      `${phaseLine('first run', first)}, ${first.value.added} added, ${
        first.value.events
      } events`,
    );

    sql?.print('the first run');

    // 2. Nothing changed.
    const unchanged = await measured(() => reconciler.reconcile());
    log(
      db,
      users,
      `${phaseLine('no changes', unchanged)}, ${
        unchanged.value.changed
      } changed, ${unchanged.value.events} events`,
    );

    sql?.print('the run with no changes');

    // 3. A fraction of the users terminated, spread over the catalog.
    const changedCount = Math.max(1, Math.round(users * options.changed));
    const step = Math.floor(users / changedCount);
    const changedIndexes = new Set<number>();
    for (let k = 0; k < changedCount; k++) {
      changedIndexes.add(k * step);
      catalog.terminate(k * step);
    }
    await receiver.reset();
    const changed = await measured(() => reconciler.reconcile());
    const expectedSets = changed.value.events;
    await waitUntil(
      async () => (await receiver.count()).count >= expectedSets,
      600_000,
    );
    const delivery = await receiver.count();
    sql?.print('the run with changes and their delivery');
    log(
      db,
      users,
      `${phaseLine(`${fmtInt(changedCount)} changed`, changed)}, ${
        changed.value.changed
      } changed, ${changed.value.events} events, all ${
        delivery.count
      } SETs arrived ${((delivery.lastAt - changed.startedAt) / 1000).toFixed(
        2,
      )} s after the start`,
    );

    // 4. Latency: one user at a time through reconcileOne, ~rate/s.
    await receiver.reset();
    const picks: number[] = [];
    const stride = Math.max(1, Math.floor(users / options.latencyChanges));
    for (let j = 0; picks.length < options.latencyChanges && j < users; j++) {
      let i = (j * stride + 1) % users;
      while (changedIndexes.has(i) || picks.includes(i)) i = (i + 1) % users;
      picks.push(i);
    }
    const observedAt = new Map<string, number>();
    const applyMs: number[] = [];
    const interval = 1000 / options.rate;
    const begin = performance.now();
    for (let j = 0; j < picks.length; j++) {
      const wait = begin + j * interval - performance.now();
      if (wait > 0) await sleep(wait);
      const { ref, email } = catalog.terminate(picks[j]);
      const observed = now();
      observedAt.set(email, observed);
      await reconciler.reconcileOne(ref);
      applyMs.push(now() - observed);
    }
    sql?.print('the latency changes');
    const achievedRate = picks.length / ((performance.now() - begin) / 1000);
    const expectedLatencySets = picks.length * 2;
    await waitUntil(
      async () => (await receiver.count()).count >= expectedLatencySets,
      120_000,
    );
    const { arrivals } = await receiver.report();
    const latencies = arrivals
      .map(a => a.at - (observedAt.get(a.email) ?? NaN))
      .filter(n => Number.isFinite(n))
      .sort((a, b) => a - b);
    applyMs.sort((a, b) => a - b);
    const latency = {
      changes: picks.length,
      sets: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
      applyP50: percentile(applyMs, 50),
      applyP99: percentile(applyMs, 99),
      achievedRate,
    };
    log(
      db,
      users,
      `latency p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(
        1,
      )} ms over ${latency.sets} SETs`,
    );

    await t.close();
    return {
      db,
      users,
      first: { ...first, result: first.value },
      unchanged: { ...unchanged, result: unchanged.value },
      changed: {
        ...changed,
        result: changed.value,
        users: changedCount,
        sets: delivery.count,
        deliveredAfterStart: (delivery.lastAt - changed.startedAt) / 1000,
        deliveredAfterEnd: Math.max(
          0,
          (delivery.lastAt - changed.endedAt) / 1000,
        ),
        duplicates: delivery.duplicates,
      },
      latency,
    };
  });
}

// ---------------------------------------------------------------- output

function printTable(f: RunFigures) {
  const rate = (p: Phase) =>
    `${fmtInt(Math.round(p.result.users / p.seconds))} users/s`;
  const pct = `${+(options.changed * 100).toFixed(2)}%`;
  console.log(`\n### ${f.db}, ${fmtInt(f.users)} users\n`);
  console.log('| phase | time | rate | extra RSS (peak) | notes |');
  console.log('| --- | --- | --- | --- | --- |');
  const rows = [
    [
      'first run (baseline, no events)',
      `${f.first.seconds.toFixed(2)} s`,
      rate(f.first),
      fmtRss(f.first),
      `${fmtInt(f.first.result.added)} snapshots recorded, ${
        f.first.result.events
      } events`,
    ],
    [
      'reconcile, no changes',
      `${f.unchanged.seconds.toFixed(2)} s`,
      rate(f.unchanged),
      fmtRss(f.unchanged),
      `${f.unchanged.result.changed} changed, ${f.unchanged.result.events} events`,
    ],
    [
      `reconcile, ${pct} changed (${fmtInt(f.changed.users)} terminated)`,
      `${f.changed.seconds.toFixed(2)} s`,
      rate(f.changed),
      fmtRss(f.changed),
      `${fmtInt(f.changed.result.changed)} changed, ${fmtInt(
        f.changed.result.events,
      )} events; all ${fmtInt(
        f.changed.sets,
      )} SETs arrived ${f.changed.deliveredAfterStart.toFixed(
        2,
      )} s after the run started (${f.changed.deliveredAfterEnd.toFixed(
        2,
      )} s after it ended), ${f.changed.duplicates} duplicates`,
    ],
    [
      `latency, reconcileOne, ${
        f.latency.changes
      } changes at ${f.latency.achievedRate.toFixed(1)}/s`,
      `p50 ${f.latency.p50.toFixed(1)} ms`,
      `p99 ${f.latency.p99.toFixed(1)} ms`,
      '',
      `change observed to SET received, ${
        f.latency.sets
      } SETs, max ${f.latency.max.toFixed(
        1,
      )} ms; reconcileOne itself p50 ${f.latency.applyP50.toFixed(
        1,
      )} ms, p99 ${f.latency.applyP99.toFixed(1)} ms`,
    ],
  ];
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

function printSummary(all: RunFigures[]) {
  const largest = Math.max(...all.map(f => f.users));
  // Time scales about linearly with users when fewer than the target were
  // measured; memory is shown as measured.
  const scale = TARGET.users / largest;
  const parts = options.dbs.map(db => {
    const f = all.find(r => r.db === db && r.users === largest);
    if (!f) return `${db}: not measured`;
    const runs: Array<[string, Phase]> = [
      ['first run', f.first],
      ['no changes', f.unchanged],
      [`${fmtInt(f.changed.users)} changed`, f.changed],
    ];
    const slowest = runs.reduce((a, b) =>
      b[1].seconds > a[1].seconds ? b : a,
    );
    const hungriest = runs.reduce((a, b) =>
      b[1].extraRss > a[1].extraRss ? b : a,
    );
    const met =
      slowest[1].seconds * scale < TARGET.seconds &&
      mb(hungriest[1].extraRss) < TARGET.extraRssMb;
    return `${db} ${met ? 'MET' : 'NOT MET'}: slowest ${
      slowest[0]
    } ${slowest[1].seconds.toFixed(1)} s, most memory ${hungriest[0]} +${fmtMb(
      hungriest[1].extraRss,
    )} (no changes ${f.unchanged.seconds.toFixed(1)} s / +${fmtMb(
      f.unchanged.extraRss,
    )})`;
  });
  console.log(
    `\ntarget: ${fmtInt(TARGET.users)} users reconciled in < ${
      TARGET.seconds
    } s with < ${TARGET.extraRssMb} MB extra RSS${
      scale !== 1
        ? ` (measured at ${fmtInt(largest)} users, times scaled by ${scale})`
        : ''
    } — ${parts.join('; ')}`,
  );
}

// ---------------------------------------------------------------- main

// Each database and user count runs in a process of its own, so that one
// run's heap (which V8 and malloc keep once grown) is not the next run's
// baseline. The child runs with --expose-gc so each phase starts after a GC.
function forkRun(db: Db, users: number): Promise<RunFigures> {
  const execArgv = [
    '--expose-gc',
    '--require',
    require.resolve('@backstage/cli/config/nodeTransform.cjs'),
  ];
  if (options.cpuProfDir) {
    execArgv.push('--cpu-prof', '--cpu-prof-dir', options.cpuProfDir);
  }
  const child = fork(
    __filename,
    [...process.argv.slice(2), '--child', `${db}:${users}`],
    { execArgv },
  );
  return new Promise((resolve, reject) => {
    let figures: RunFigures | undefined;
    // As with the receiver, the loader's own messages carry a type.
    child.on('message', (m: any) => {
      if (m && m.type === undefined && m.figures) figures = m.figures;
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (figures) resolve(figures);
      else reject(new Error(`the ${db} ${users} run exited with ${code}`));
    });
  });
}

async function runChild(spec: string) {
  const [db, users] = spec.split(':');
  sampler = new RssSampler();
  const receiver = await startReceiver();
  try {
    const figures = await lifecycleRun(db as Db, Number(users), receiver);
    await new Promise<void>(resolve =>
      process.send!({ figures }, () => resolve()),
    );
  } finally {
    receiver.stop();
    await sampler.close();
  }
  process.disconnect?.();
}

async function main() {
  console.log(
    `SSF lifecycle benchmark on ${os.cpus().length} cores, Node ${
      process.version
    }; signing ${benchTransmitterConfig().signing.algorithm}, page size ${
      options.pageSize
    }, ${+(options.changed * 100).toFixed(2)}% changed, ${
      options.latencyChanges
    } latency changes at ${options.rate}/s; one process per run`,
  );
  const all: RunFigures[] = [];
  for (const db of options.dbs) {
    for (const users of options.users) {
      all.push(await forkRun(db, users));
    }
  }
  for (const f of all) printTable(f);
  printSummary(all);
}

const childSpec = arg('child', '');
(childSpec ? runChild(childSpec) : main()).catch(error => {
  console.error(error);
  process.exit(1);
});
