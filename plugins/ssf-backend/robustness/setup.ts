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

// Shared plumbing for `yarn test:robustness`: a fresh database per scenario,
// and the transmitter's delivery pieces built straight from a knex, the way
// createTransmitter wires them but without the HTTP surface or a backend, so
// that a scenario (or a child process) can own and break each piece.

import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  readTransmitterConfig,
  TransmitterConfig,
} from '../src/transmitter/config';
import { StreamStore } from '../src/transmitter/streams/StreamStore';
import { createDelivery } from '../src/transmitter/delivery/createDelivery';
import { DeliveryWorker } from '../src/transmitter/delivery/DeliveryWorker';
import { OutboxStore } from '../src/transmitter/delivery/OutboxStore';
import { TransmitterEmitter } from '../src/transmitter/delivery/TransmitterEmitter';
import { TransmitterMetrics } from '../src/transmitter/metrics';
import { SsfAlerts } from '../src/notifications';

export type Db = 'sqlite' | 'pg';

export const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
/** RFC 8935 push delivery, as streams name it. */
export const PUSH = 'urn:ietf:rfc:8935';

/**
 * Delivery settings for the fault runs: short timeout, backoff and lease so
 * that a fault and the recovery from it fit in seconds, and enough attempts
 * that a receiver down for a few seconds never exhausts them (exhausting
 * them would dead-letter SETs the scenario expects delivered).
 */
export const FAULT_DELIVERY = {
  allowInsecureUrls: true,
  allowPrivateNetworks: true,
  timeout: { milliseconds: 500 },
  initialBackoff: { milliseconds: 100 },
  maxBackoff: { milliseconds: 1000 },
  maxAttempts: 60,
  leaseDuration: { seconds: 2 },
  perStreamConcurrency: 8,
  maxConcurrency: 32,
};

/** `ssf.transmitter.delivery` as config would give it. */
export type DeliverySettings = JsonObject;

/** Where a database lives, enough for a child process to open it too. */
export interface DbTarget {
  client: 'better-sqlite3' | 'pg';
  connection: string;
}

export interface OpenDatabase {
  db: Db;
  name: string;
  knex: Knex;
  target: DbTarget;
  drop(): Promise<void>;
}

/**
 * What knex itself logs (a pooled connection that died, say). Kept rather
 * than printed, so the table stays readable; the database fault reports it.
 */
export const knexLog: string[] = [];
const knexLogger = {
  warn: (m: unknown) => void knexLog.push(String(m)),
  error: (m: unknown) => void knexLog.push(String(m)),
  deprecate: () => {},
  debug: () => {},
};

export function openKnex(target: DbTarget): Knex {
  if (target.client === 'better-sqlite3') {
    // The portal's embedded default: in-memory SQLite, one connection.
    return knexFactory({
      client: 'better-sqlite3',
      connection: { filename: target.connection },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      log: knexLogger,
    });
  }
  return knexFactory({
    client: 'pg',
    connection: target.connection,
    pool: { min: 2, max: 10 },
    log: knexLogger,
  });
}

/**
 * A fresh, empty database; PostgreSQL ones are created here and dropped by
 * `drop()`. For a backend whose plugins run their own migrations.
 */
export async function createDatabase(
  db: Db,
  pgUrl: string,
): Promise<OpenDatabase> {
  if (db === 'sqlite') {
    const target: DbTarget = {
      client: 'better-sqlite3',
      connection: ':memory:',
    };
    const knex = openKnex(target);
    return { db, name: ':memory:', knex, target, drop: () => knex.destroy() };
  }
  const name = `ssf_robust_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = knexFactory({ client: 'pg', connection: pgUrl });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const target: DbTarget = { client: 'pg', connection: url.toString() };
  const knex = openKnex(target);
  return {
    db,
    name,
    knex,
    target,
    drop: async () => {
      await knex.destroy().catch(() => {});
      // Child processes killed with SIGKILL may leave backends behind for a
      // moment; WITH (FORCE) does not wait for them.
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/** A fresh database with the SSF plugin's migrations applied. */
export async function openDatabase(
  db: Db,
  pgUrl: string,
): Promise<OpenDatabase> {
  const database = await createDatabase(db, pgUrl);
  try {
    await database.knex.migrate.latest({
      directory: path.resolve(__dirname, '../migrations'),
    });
  } catch (error) {
    await database.drop();
    throw error;
  }
  return database;
}

/** A logger that keeps warnings and errors for the report instead of printing them. */
export function recordingLogger(): LoggerService & {
  warnings: string[];
  errors: string[];
} {
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger: any = {
    warnings,
    errors,
    info() {},
    debug() {},
    warn: (m: string) => warnings.push(m),
    error: (m: string) => errors.push(m),
    child: () => logger,
  };
  return logger;
}

export function transmitterConfig(
  delivery: DeliverySettings = FAULT_DELIVERY,
): TransmitterConfig {
  return readTransmitterConfig(
    new ConfigReader({
      backend: { baseUrl: 'http://localhost:7007' },
      ssf: {
        transmitter: {
          // ES256 signs several times faster than RS256; what is under test
          // here is delivery, not signing.
          signing: { algorithm: 'ES256' },
          delivery,
        },
      },
    }),
  );
}

export interface TransmitterParts {
  emitter: TransmitterEmitter;
  worker: DeliveryWorker;
  streams: StreamStore;
  outbox: OutboxStore;
  logger: ReturnType<typeof recordingLogger>;
}

/**
 * Builds one transmitter instance (emitter and push worker) on a knex, with
 * the plugin's alerts and metrics when given, as createTransmitter passes
 * them.
 */
export async function buildTransmitter(
  knex: Knex,
  options: {
    owner: string;
    delivery?: DeliverySettings;
    alerts?: SsfAlerts;
    metrics?: TransmitterMetrics;
  },
): Promise<TransmitterParts> {
  const config = transmitterConfig(options.delivery);
  const logger = recordingLogger();
  const { emitter, worker, streams, outbox } = await createDelivery({
    config,
    knex,
    logger,
    owner: options.owner,
    alerts: options.alerts,
    metrics: options.metrics,
  });
  return { emitter, worker, streams, outbox, logger };
}

/** Adds an enabled push stream to the given endpoint; returns its ID. */
export async function addPushStream(
  knex: Knex,
  endpointUrl: string,
): Promise<string> {
  const config = transmitterConfig();
  const now = new Date();
  const streamId = randomUUID();
  await new StreamStore(knex).insert({
    streamId,
    clientId: `robustness-${streamId}`,
    iss: config.issuer,
    aud: 'robustness',
    eventsRequested: [SESSION_REVOKED],
    delivery: { method: PUSH, endpointUrl },
    receiverProfile: 'ssf',
    status: 'enabled',
    minVerificationInterval: 30,
    createdAt: now,
    updatedAt: now,
  });
  return streamId;
}

/** Subject IDs starting with this are refused by a receiver told `answer-400`. */
export const REJECT_PREFIX = 'reject-';

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * Emits `count` events, `parallel` emit() calls in flight at a time (the
 * emitter commits concurrent calls together); returns every SET's jti, and
 * apart those whose subject `reject(i)` marked for the controllable
 * receiver to refuse.
 */
export async function emitMany(
  emitter: TransmitterEmitter,
  count: number,
  options: {
    prefix?: string;
    parallel?: number;
    reject?: (i: number) => boolean;
  } = {},
): Promise<{ jtis: string[]; rejected: string[] }> {
  const { prefix = 'user', parallel = 50, reject = () => false } = options;
  const jtis: string[] = [];
  const rejected: string[] = [];
  let next = 0;
  const run = async () => {
    while (next < count) {
      const i = next++;
      const refused = reject(i);
      const result = await emitter.emit({
        type: SESSION_REVOKED,
        subject: {
          format: 'opaque',
          id: `${refused ? REJECT_PREFIX : ''}${prefix}-${i}`,
        },
        payload: { initiating_entity: 'policy' },
      });
      for (const { jti } of result.sets) {
        jtis.push(jti);
        if (refused) rejected.push(jti);
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, run));
  return { jtis, rejected };
}

/** Polls `check` until it holds; false if `timeoutMs` passed first. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return true;
    } catch {
      // A check that reads a database being faulted just tries again.
    }
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/** Every outbox row's state and last error, by jti. */
export interface OutboxStates {
  state: Map<string, string>;
  lastError: Map<string, string>;
}

/** An outbox row as outboxRows reads it (and sends it over IPC). */
export interface OutboxRow {
  jti: string;
  state: string;
  last_error: string | null;
}

export function outboxRows(knex: Knex): Promise<OutboxRow[]> {
  return knex('ssf_outbox').select('jti', 'state', 'last_error');
}

export function toOutboxStates(rows: OutboxRow[]): OutboxStates {
  return {
    state: new Map(rows.map(r => [r.jti, r.state])),
    lastError: new Map(rows.map(r => [r.jti, r.last_error ?? ''])),
  };
}

/** The outbox of a database this process holds open. */
export async function outboxStates(knex: Knex): Promise<OutboxStates> {
  return toOutboxStates(await outboxRows(knex));
}

export function log(message: string) {
  console.log(`  ${message}`);
}
