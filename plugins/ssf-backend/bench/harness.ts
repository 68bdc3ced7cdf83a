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

// What the benchmarks share: options, a quiet logger, databases on SQLite or
// a fresh PostgreSQL database, receivers in their own processes, and the
// transmitter's pieces built directly as the plugin builds them.

import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
import { readTransmitterConfig } from '../src/transmitter/config';
import { createDelivery } from '../src/transmitter/delivery/createDelivery';

export type Db = 'sqlite' | 'pg';

/** `--name value` from the command line, else `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** `--pg URL`, else the test database's, else the local default. */
export function pgUrlOption(): string {
  return arg(
    'pg',
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
      'postgresql://postgres@127.0.0.1:5432',
  );
}

/** Only warnings and errors reach the console. */
export const quietLogger: LoggerService = {
  info() {},
  debug() {},
  warn: (m: string) => console.warn(`  warn: ${m}`),
  error: (m: string, e?: unknown) => console.error(`  error: ${m}`, e ?? ''),
  child() {
    return quietLogger;
  },
};

export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 20));
  }
}

/** The value at percentile `p` (0–100) of sorted values. */
export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/**
 * A database with the plugin's migrations: SQLite in memory (the portal's
 * embedded default) or, with `sqliteFile`, on a file; or a fresh PostgreSQL
 * database, dropped afterwards.
 */
export async function openDatabase(
  db: Db,
  options: {
    pgUrl: string;
    sqliteFile?: boolean;
    /** Write-ahead logging, as a file-backed production SQLite would use. */
    sqliteWal?: boolean;
  },
): Promise<{ knex: Knex; drop: () => Promise<void> }> {
  let opened: { knex: Knex; drop: () => Promise<void> };
  if (db === 'sqlite') {
    const dir = options.sqliteFile
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'ssf-bench-'))
      : undefined;
    // One connection, as the portal's embedded SQLite has.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: dir ? path.join(dir, 'ssf.sqlite') : ':memory:' },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    if (options.sqliteWal) await knex.raw('PRAGMA journal_mode = WAL');
    opened = {
      knex,
      drop: async () => {
        await knex.destroy();
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    const name = `ssf_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = knexFactory({ client: 'pg', connection: options.pgUrl });
    await admin.raw(`CREATE DATABASE ${name}`);
    const url = new URL(options.pgUrl);
    url.pathname = `/${name}`;
    const knex = knexFactory({
      client: 'pg',
      connection: url.toString(),
      pool: { min: 2, max: 10 },
    });
    opened = {
      knex,
      drop: async () => {
        await knex.destroy();
        await admin.raw(`DROP DATABASE ${name}`);
        await admin.destroy();
      },
    };
  }
  await opened.knex.migrate.latest({
    directory: path.resolve(__dirname, '../migrations'),
  });
  return opened;
}

/**
 * Forks a receiver script of this folder (see pushReceiverProcess.ts) and
 * talks to it: each command resolves with the receiver's answer, `Count`
 * and `Report` being those of `count` and `report`.
 */
export async function forkReceiver<Count, Report>(file: string) {
  const child: ChildProcess = fork(path.join(__dirname, file), [], {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
  });
  // The TypeScript loader also talks over IPC ({type: 'watch'}); only the
  // receiver's own messages, which never carry a type, are answers.
  const next = <T>() =>
    new Promise<T>(resolve => {
      const onMessage = (m: any) => {
        if (m && m.type === undefined) {
          child.off('message', onMessage);
          resolve(m as T);
        }
      };
      child.on('message', onMessage);
    });
  const ask = <T>(type: string) => {
    const answer = next<T>();
    child.send({ type });
    return answer;
  };
  const { port } = await next<{ port: number }>();
  return {
    url: `http://127.0.0.1:${port}/events`,
    count: () => ask<Count>('count'),
    report: () => ask<Report>('report'),
    reset: async () => {
      await ask('reset');
    },
    stop: () => child.send({ type: 'exit' }),
  };
}

/** The transmitter's settings in a benchmark: local receivers allowed. */
export function benchTransmitterConfig(algorithm?: 'RS256' | 'ES256') {
  return readTransmitterConfig(
    new ConfigReader({
      backend: { baseUrl: 'http://localhost:7007' },
      ssf: {
        transmitter: {
          ...(algorithm && { signing: { algorithm } }),
          delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
        },
      },
    }),
  );
}

/** The transmitter's pieces, assembled as the plugin assembles them. */
export async function buildTransmitter(
  knex: Knex,
  options: { algorithm?: 'RS256' | 'ES256' } = {},
) {
  const config = benchTransmitterConfig(options.algorithm);
  const { emitter, signer, worker, poll, outbox, streams } =
    await createDelivery({ config, knex, logger: quietLogger, owner: 'bench' });
  /** An enabled stream taking `events`, delivered by `method`. */
  const addStream = async (stream: {
    method: 'urn:ietf:rfc:8935' | 'urn:ietf:rfc:8936';
    endpointUrl: string;
    events: string[];
  }) => {
    const now = new Date();
    const streamId = randomUUID();
    await streams.insert({
      streamId,
      clientId: `bench-${streamId}`,
      iss: config.issuer,
      aud: 'bench',
      eventsRequested: stream.events,
      delivery: { method: stream.method, endpointUrl: stream.endpointUrl },
      receiverProfile: 'ssf',
      status: 'enabled',
      minVerificationInterval: 30,
      createdAt: now,
      updatedAt: now,
    });
    return streamId;
  };
  const close = async () => {
    await worker.stop();
  };
  return {
    config,
    emitter,
    signer,
    worker,
    poll,
    outbox,
    streams,
    addStream,
    close,
  };
}

/** The transmitter's pieces, as buildTransmitter assembles them. */
export type BenchTransmitter = Awaited<ReturnType<typeof buildTransmitter>>;

/**
 * Runs `run` on a fresh `db` database (dropped afterwards) with the
 * transmitter's pieces, signing with `algorithm`, one enabled stream pushing
 * `events` to `endpointUrl`, and the delivery worker started. `prepare`
 * runs on the pieces before the stream is added and the worker started.
 */
export async function withPushTransmitter<T>(
  db: Db,
  database: Parameters<typeof openDatabase>[1],
  stream: {
    endpointUrl: string;
    events: string[];
    algorithm?: 'RS256' | 'ES256';
    prepare?: (t: BenchTransmitter) => Promise<unknown>;
  },
  run: (t: BenchTransmitter, knex: Knex) => Promise<T>,
): Promise<T> {
  const { knex, drop } = await openDatabase(db, database);
  try {
    const t = await buildTransmitter(knex, { algorithm: stream.algorithm });
    await stream.prepare?.(t);
    await t.addStream({
      method: 'urn:ietf:rfc:8935',
      endpointUrl: stream.endpointUrl,
      events: stream.events,
    });
    t.worker.start();
    return await run(t, knex);
  } finally {
    await drop();
  }
}
