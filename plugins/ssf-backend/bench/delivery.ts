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

// `yarn bench:delivery`: how fast the transmitter gets SETs to receivers.
//
// - Push: SETs per second emitted, signed, stored in the outbox, pushed to a
//   local receiver (its own process) and marked delivered, end to end, with
//   the outbox on SQLite and on PostgreSQL, signed RS256 and ES256.
// - Poll: SETs per second drained by a receiver polling with maxEvents 1000
//   and acknowledging each batch in the next poll.
// - Latency: p50/p99 from emit to arrival at the receiver at a steady
//   100 events/s.
// - The backend's RSS, and in the same run the raw jose sign rate on one core
//   as the ceiling, with each push figure's ratio to it.
//
// Options: --sets N (per push run, default 3000), --poll-sets N (default
// 10000), --db sqlite,pg, --alg RS256,ES256, --rate 100, --rate-seconds 10,
// --pg URL (default $BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING or
// postgresql://postgres@127.0.0.1:5432).

import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { generateKeyPair, SignJWT } from 'jose';
import { TransmitterEmitter } from '../src/transmitter/delivery/TransmitterEmitter';
import { Knex } from 'knex';
import {
  arg,
  BenchTransmitter,
  buildTransmitter,
  Db,
  forkReceiver,
  openDatabase,
  percentile,
  pgUrlOption,
  waitUntil,
  withPushTransmitter,
} from './harness';

type Alg = 'RS256' | 'ES256';

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const POLL = 'urn:ietf:rfc:8936';

const options = {
  sets: Number(arg('sets', '3000')),
  pollSets: Number(arg('poll-sets', '10000')),
  dbs: arg('db', 'sqlite,pg').split(',') as Db[],
  algs: arg('alg', 'RS256,ES256').split(',') as Alg[],
  rate: Number(arg('rate', '100')),
  rateSeconds: Number(arg('rate-seconds', '10')),
  pgUrl: pgUrlOption(),
};

// ---------------------------------------------------------------- helpers

async function rawSignRate(alg: Alg, seconds = 3): Promise<number> {
  const { privateKey } = await generateKeyPair(alg, { modulusLength: 2048 });
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await new SignJWT({
      sub_id: { format: 'email', email: 'a@example.com' },
      events: { [SESSION_REVOKED]: {} },
    })
      .setProtectedHeader({ alg, kid: 'k', typ: 'secevent+jwt' })
      .setIssuer('https://portal.example.com/api/ssf')
      .setAudience('bench')
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(privateKey);
    n += 1;
  }
  return n / ((performance.now() - start) / 1000);
}

/**
 * The push receiver, in a process of its own: `count` is how many distinct
 * SETs have arrived (cheap to ask often), `report` when each did.
 */
const startReceiver = () =>
  forkReceiver<
    { count: number },
    { arrivals: Record<string, number>; duplicates: number }
  >('deliveryReceiver.ts');

type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/**
 * Emits `count` events as a burst from many producers: `parallel` emit()
 * calls in flight at a time (the emitter commits concurrent calls together).
 */
async function emitMany(
  emitter: TransmitterEmitter,
  count: number,
  parallel = 200,
) {
  let next = 0;
  const run = async () => {
    while (next < count) {
      const i = next++;
      await emitter.emit({
        type: SESSION_REVOKED,
        subject: { format: 'opaque', id: `user-${i}` },
        payload: { initiating_entity: 'policy' },
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, run));
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

// ---------------------------------------------------------------- runs

/**
 * Runs `run` with a transmitter signing with `alg` on a fresh `db` database,
 * pushing to `receiver` (emptied first).
 */
function withPushStream<T>(
  db: Db,
  alg: Alg,
  receiver: Receiver,
  run: (t: BenchTransmitter, knex: Knex) => Promise<T>,
) {
  return withPushTransmitter(
    db,
    options,
    {
      endpointUrl: receiver.url,
      events: [SESSION_REVOKED],
      algorithm: alg,
      prepare: () => receiver.reset(),
    },
    run,
  );
}

function pushRun(db: Db, alg: Alg, receiver: Receiver) {
  return withPushStream(db, alg, receiver, async (t, knex) => {
    const start = performance.now();
    await emitMany(t.emitter, options.sets);
    const emitted = performance.now();
    // Watch the receiver first: counting outbox rows every few milliseconds
    // would itself load the database being measured.
    await waitUntil(
      async () => (await receiver.count()).count >= options.sets,
      300_000,
    );
    await waitUntil(async () => {
      const [{ n }] = await knex('ssf_outbox')
        .where({ state: 'delivered' })
        .count({ n: '*' });
      return Number(n) === options.sets;
    }, 300_000);
    const seconds = (performance.now() - start) / 1000;
    await t.close();
    const { arrivals, duplicates } = await receiver.report();
    return {
      rate: options.sets / seconds,
      emitRate: options.sets / ((emitted - start) / 1000),
      received: Object.keys(arrivals).length,
      duplicates,
    };
  });
}

async function pollRun(db: Db) {
  const { knex, drop } = await openDatabase(db, options);
  try {
    const t = await buildTransmitter(knex, { algorithm: 'ES256' });
    const streamId = await t.addStream({
      method: POLL,
      endpointUrl: 'http://localhost:7007/api/ssf/poll/x',
      events: [SESSION_REVOKED],
    });
    await emitMany(t.emitter, options.pollSets);
    const stream = (await t.streams.get(streamId))!;
    let ack: string[] = [];
    let drained = 0;
    const start = performance.now();
    for (;;) {
      const res = await t.poll.poll(stream, {
        maxEvents: 1000,
        returnImmediately: true,
        ack,
      });
      ack = Object.keys(res.sets);
      drained += ack.length;
      if (ack.length === 0) break;
    }
    const seconds = (performance.now() - start) / 1000;
    await t.close();
    return { rate: drained / seconds, drained };
  } finally {
    await drop();
  }
}

function latencyRun(db: Db, receiver: Receiver) {
  return withPushStream(db, 'RS256', receiver, async t => {
    const emittedAt = new Map<string, number>();
    const total = options.rate * options.rateSeconds;
    const interval = 1000 / options.rate;
    const begin = performance.now();
    const pending: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = begin + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise(r => setTimeout(r, wait));
      const at = performance.timeOrigin + performance.now();
      pending.push(
        t.emitter
          .emit({
            type: SESSION_REVOKED,
            subject: { format: 'opaque', id: `u-${i}` },
            payload: {},
          })
          .then(r => void emittedAt.set(r.sets[0].jti, at)),
      );
    }
    await Promise.all(pending);
    await waitUntil(
      async () =>
        Object.keys((await receiver.report()).arrivals).length >= total,
      60_000,
    );
    await t.close();
    const { arrivals } = await receiver.report();
    const latencies = [...emittedAt]
      .map(([jti, at]) => arrivals[jti] - at)
      .filter(n => Number.isFinite(n))
      .sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      count: latencies.length,
    };
  });
}

// ---------------------------------------------------------------- main

async function main() {
  console.log(
    `SSF delivery benchmark on ${os.cpus().length} cores, Node ${
      process.version
    }`,
  );
  const ceiling: Record<string, number> = {};
  for (const alg of options.algs) {
    ceiling[alg] = await rawSignRate(alg);
    console.log(
      `raw jose sign rate, one core, ${alg}: ${ceiling[alg].toFixed(
        0,
      )} SETs/s (the ceiling)`,
    );
  }

  const receiver = await startReceiver();
  const rows: string[][] = [];
  try {
    for (const db of options.dbs) {
      for (const alg of options.algs) {
        const r = await pushRun(db, alg, receiver);
        const ratio = r.rate / ceiling[alg];
        rows.push([
          `push ${db} ${alg}`,
          `${r.rate.toFixed(0)} SETs/s`,
          `${ratio.toFixed(2)} of raw sign`,
          `emit ${r.emitRate.toFixed(0)}/s, received ${r.received}/${
            options.sets
          }, duplicates ${r.duplicates}`,
        ]);
        console.log(rows[rows.length - 1].join(' | '));
      }
    }
    for (const db of options.dbs) {
      const r = await pollRun(db);
      rows.push([
        `poll drain ${db} (maxEvents 1000)`,
        `${r.rate.toFixed(0)} SETs/s`,
        '',
        `${r.drained} SETs`,
      ]);
      console.log(rows[rows.length - 1].join(' | '));
    }
    for (const db of options.dbs) {
      const r = await latencyRun(db, receiver);
      rows.push([
        `latency ${db} at ${options.rate}/s`,
        `p50 ${r.p50.toFixed(1)} ms`,
        `p99 ${r.p99.toFixed(1)} ms`,
        `${r.count} SETs`,
      ]);
      console.log(rows[rows.length - 1].join(' | '));
    }
  } finally {
    receiver.stop();
  }
  const rss = process.memoryUsage().rss;
  console.log(`\nbackend RSS after the runs: ${mb(rss)}\n`);
  console.log('| run | figure | ratio / p99 | notes |');
  console.log('| --- | --- | --- | --- |');
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
