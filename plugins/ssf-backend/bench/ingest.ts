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

// `yarn bench:ingest`: SETs per second the receiver accepts (verify + dedupe
// + store, 202) through the full backend HTTP stack, on SQLite and
// PostgreSQL, RS256 and ES256, at concurrency 16 and 64, with p50/p99
// latency and the backend's RSS; a fixed-rate run at 1,000 SETs/s for the
// latency target (after 2 s at that rate, unmeasured, to warm up); and, in the same run, the raw jose verify rate (one core
// and all cores) as the ceiling each figure is compared with.
//
// Options (all optional): --sets N (SETs signed per algorithm, default
// 20000), --db sqlite,pg, --alg RS256,ES256, --concurrency 16,64,
// --rate 1000, --rate-seconds 5, --verify-seconds 3, --pg URL (default
// $SSF_BENCH_PG_URL or postgresql://postgres@127.0.0.1:5432).

import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { exportJWK, generateKeyPair, JWK, KeyLike } from 'jose';

type Alg = 'RS256' | 'ES256';
type Db = 'sqlite' | 'pg';

const AUDIENCE = 'https://receiver.bench.example/api/ssf';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const WARMUP = 500;
const RATE_WARMUP_SECONDS = 2;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const options = {
  sets: Number(arg('sets', '20000')),
  dbs: arg('db', 'sqlite,pg').split(',') as Db[],
  algs: arg('alg', 'RS256,ES256').split(',') as Alg[],
  concurrency: arg('concurrency', '16,64').split(',').map(Number),
  rate: Number(arg('rate', '1000')),
  rateSeconds: Number(arg('rate-seconds', '5')),
  verifySeconds: Number(arg('verify-seconds', '3')),
  pgUrl: arg(
    'pg',
    process.env.SSF_BENCH_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432',
  ),
};

// ---------------------------------------------------------------- workers

// Plain JS so worker threads need no TypeScript transform.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const jose = require(workerData.jose);
(async () => {
  const { task, alg } = workerData;
  if (task === 'sign') {
    const key = await jose.importJWK(workerData.privateJwk, alg);
    const out = [];
    for (const claims of workerData.claims) {
      out.push(await new jose.SignJWT(claims)
        .setProtectedHeader({ alg, kid: workerData.kid, typ: 'secevent+jwt' })
        .sign(key));
    }
    parentPort.postMessage(out);
  } else {
    const key = await jose.importJWK(workerData.publicJwk, alg);
    const sets = workerData.sets;
    const end = Date.now() + workerData.ms;
    let n = 0;
    while (Date.now() < end) {
      for (let i = 0; i < 50; i++) {
        const { payload } = await jose.compactVerify(sets[n % sets.length], key, { algorithms: [alg] });
        JSON.parse(new TextDecoder().decode(payload));
        n++;
      }
    }
    parentPort.postMessage(n);
  }
})().catch(e => { console.error(e); process.exit(1); });
`;

function runWorker<T>(data: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { ...data, jose: require.resolve('jose') },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

interface KeySet {
  alg: Alg;
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

async function makeKey(alg: Alg): Promise<KeySet> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
  });
  const kid = randomUUID();
  return {
    alg,
    kid,
    privateJwk: await exportJWK(privateKey as KeyLike),
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

async function signSets(
  key: KeySet,
  issuer: string,
  n: number,
): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const claims = Array.from({ length: n }, (_, i) => ({
    iss: issuer,
    jti: randomUUID(),
    iat: now,
    aud: AUDIENCE,
    txn: randomUUID(),
    sub_id: { format: 'email', email: `user${i % 1000}@example.com` },
    events: {
      [SESSION_REVOKED]: { event_timestamp: now, initiating_entity: 'policy' },
    },
  }));
  const workers = os.availableParallelism();
  const chunk = Math.ceil(n / workers);
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, w) =>
      runWorker<string[]>({
        task: 'sign',
        alg: key.alg,
        kid: key.kid,
        privateJwk: key.privateJwk,
        claims: claims.slice(w * chunk, (w + 1) * chunk),
      }),
    ),
  );
  return parts.flat();
}

async function verifyRate(
  key: KeySet,
  sets: string[],
  threads: number,
): Promise<number> {
  const ms = options.verifySeconds * 1000;
  const counts = await Promise.all(
    Array.from({ length: threads }, () =>
      runWorker<number>({
        task: 'verify',
        alg: key.alg,
        publicJwk: key.publicJwk,
        sets: sets.slice(0, 2000),
        ms,
      }),
    ),
  );
  return counts.reduce((a, b) => a + b, 0) / options.verifySeconds;
}

// ----------------------------------------------------------------- server

interface Server {
  child: ChildProcess;
  port: number;
  request<T>(type: string): Promise<T>;
}

interface ServerStats {
  rss: number;
  stored: number;
  cpuMainMicros: number;
  cpuAllMicros: number;
}

function startServer(db: Db, issuer: string, jwksUrl: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = fork(
      path.join(__dirname, 'ingestServer.ts'),
      [
        JSON.stringify({
          db,
          pgUrl: options.pgUrl,
          issuer,
          jwksUrl,
          audience: AUDIENCE,
        }),
      ],
      {
        execArgv: [
          '--require',
          '@backstage/cli/config/nodeTransform.cjs',
          // SSF_BENCH_PROFILE=<dir> writes a CPU profile of each backend.
          ...(process.env.SSF_BENCH_PROFILE
            ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SSF_BENCH_PROFILE}`]
            : []),
        ],
        stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      },
    );
    const waiters = new Map<string, (m: any) => void>();
    child.on('message', (m: any) => {
      if (m?.type === 'ready') {
        resolve({
          child,
          port: m.port,
          request: type =>
            new Promise(res => {
              waiters.set(
                { stop: 'stopped', mark: 'marked' }[type] ?? type,
                res,
              );
              child.send({ type });
            }),
        });
      } else if (m?.type && waiters.has(m.type)) {
        waiters.get(m.type)!(m);
        waiters.delete(m.type);
      }
    });
    child.once('exit', code => {
      if (code) reject(new Error(`bench server exited with ${code}`));
    });
  });
}

// ------------------------------------------------------------------- load

function pushSet(
  agent: http.Agent,
  port: number,
  set: string,
): Promise<{ status: number; ms: number }> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/ssf/security-events',
        agent,
        headers: {
          'Content-Type': 'application/secevent+jwt',
          Accept: 'application/json',
          'Content-Length': Buffer.byteLength(set),
        },
      },
      res => {
        res.resume();
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            ms: Number(process.hrtime.bigint() - started) / 1e6,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(set);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

interface RunResult {
  sent: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  failures: number;
}

function summarise(latencies: number[], seconds: number, failures: number) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    sent: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    failures,
  };
}

/** Closed loop: `concurrency` senders, each sending its next SET on an answer. */
async function closedLoop(
  port: number,
  sets: string[],
  concurrency: number,
): Promise<RunResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < sets.length) {
        const { status, ms } = await pushSet(agent, port, sets[next++]);
        latencies.push(ms);
        if (status !== 202) failures++;
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return summarise(latencies, seconds, failures);
}

/** Open loop: SETs sent at a fixed rate whatever the answers do. */
async function openLoop(
  agent: http.Agent,
  port: number,
  sets: string[],
  rate: number,
): Promise<RunResult> {
  const latencies: number[] = [];
  const failed: number[] = [];
  const pending: Promise<void>[] = [];
  const started = Date.now();
  for (let i = 0; i < sets.length; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await new Promise(r => setTimeout(r, wait));
    pending.push(
      pushSet(agent, port, sets[i]).then(({ status, ms }) => {
        latencies.push(ms);
        if (status !== 202) failed.push(status);
      }),
    );
  }
  await Promise.all(pending);
  const seconds = (Date.now() - started) / 1000;
  return summarise(latencies, seconds, failed.length);
}

// ------------------------------------------------------------------- main

async function main() {
  const keys = new Map<Alg, KeySet>();
  for (const alg of options.algs) keys.set(alg, await makeKey(alg));
  const jwks = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [...keys.values()].map(k => k.publicJwk) }));
  });
  await new Promise<void>(r => jwks.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}`;
  const issuer = `${origin}/bench`;
  const jwksUrl = `${origin}/jwks`;

  console.log(
    `# bench:ingest — ${os.cpus().length} CPUs (${os.cpus()[0].model}), Node ${
      process.version
    }, ${options.sets} SETs per algorithm`,
  );
  const rows: string[] = [];
  const rateRows: string[] = [];
  const ceilings: string[] = [];
  for (const alg of options.algs) {
    const key = keys.get(alg)!;
    process.stderr.write(`signing ${options.sets} ${alg} SETs…\n`);
    const sets = await signSets(key, issuer, options.sets);
    const one = await verifyRate(key, sets, 1);
    const all = await verifyRate(key, sets, os.availableParallelism());
    ceilings.push(
      `| ${alg} | ${one.toFixed(0)} | ${all.toFixed(
        0,
      )} (${os.availableParallelism()} threads) |`,
    );

    for (const db of options.dbs) {
      for (const concurrency of options.concurrency) {
        process.stderr.write(`${alg} ${db} c=${concurrency}…\n`);
        const server = await startServer(db, issuer, jwksUrl);
        await closedLoop(server.port, sets.slice(0, WARMUP), 16);
        await server.request('mark');
        const r = await closedLoop(
          server.port,
          sets.slice(WARMUP),
          concurrency,
        );
        const stats = await server.request<ServerStats>('stats');
        const measured = sets.length - WARMUP;
        await server.request('stop');
        const expected = sets.length;
        rows.push(
          `| ${
            db === 'pg' ? 'PostgreSQL' : 'SQLite'
          } | ${alg} | ${concurrency} | ${r.rate.toFixed(0)} | ${(
            r.rate / all
          ).toFixed(2)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(
            stats.rss /
            2 ** 20
          ).toFixed(0)} | ${(stats.cpuMainMicros / measured).toFixed(0)} / ${(
            stats.cpuAllMicros / measured
          ).toFixed(0)} | ${
            r.failures === 0 && stats.stored === expected
              ? 'yes'
              : `NO (${r.failures} failed, ${stats.stored}/${expected} stored)`
          } |`,
        );
      }

      process.stderr.write(`${alg} ${db} fixed ${options.rate}/s…\n`);
      const server = await startServer(db, issuer, jwksUrl);
      // Warm up at the fixed rate itself (JIT, connections, pools) for
      // RATE_WARMUP_SECONDS, unmeasured: the target is the steady state.
      const warmup = Math.min(
        options.rate * RATE_WARMUP_SECONDS,
        sets.length - options.rate,
      );
      const count = Math.min(
        sets.length - warmup,
        options.rate * options.rateSeconds,
      );
      const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
      await openLoop(agent, server.port, sets.slice(0, warmup), options.rate);
      const r = await openLoop(
        agent,
        server.port,
        sets.slice(warmup, warmup + count),
        options.rate,
      );
      agent.destroy();
      const stats = await server.request<{ rss: number; stored: number }>(
        'stats',
      );
      await server.request('stop');
      rateRows.push(
        `| ${db === 'pg' ? 'PostgreSQL' : 'SQLite'} | ${alg} | ${r.rate.toFixed(
          0,
        )} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${(
          stats.rss /
          2 ** 20
        ).toFixed(0)} | ${r.failures === 0 ? 'yes' : `NO (${r.failures})`} |`,
      );
    }
  }
  jwks.close();

  console.log(
    '\nRaw jose verify (compactVerify + JSON.parse, key imported once): the ceiling\n',
  );
  console.log('| alg | SETs/s, 1 thread | SETs/s, all cores |');
  console.log('| --- | ---: | ---: |');
  ceilings.forEach(r => console.log(r));
  console.log(
    '\nAccepted through the backend (closed loop; verify + dedupe + store → 202)\n',
  );
  console.log(
    '| database | alg | concurrency | SETs/s | ratio to all-core verify | p50 ms | p99 ms | RSS MiB | backend CPU µs per SET (event loop / all threads) | all 202 and stored once |',
  );
  console.log(
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  );
  rows.forEach(r => console.log(r));
  console.log(
    `\nFixed rate (open loop, ${options.rate} SETs/s for ${options.rateSeconds} s, after ${RATE_WARMUP_SECONDS} s of warm-up at that rate)\n`,
  );
  console.log(
    '| database | alg | achieved SETs/s | p50 ms | p99 ms | RSS MiB | all 202 |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | --- |');
  rateRows.forEach(r => console.log(r));
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
