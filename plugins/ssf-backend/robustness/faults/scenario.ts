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

// What every fault scenario shares: its shape, and the in-process harness
// (fresh database, two enabled push streams to the receiver, one transmitter
// instance) that the receiver-side faults and the database fault run in.

import { Receiver } from '../receiverControl';
import { FaultRow } from '../report';
import {
  addPushStream,
  buildTransmitter,
  Db,
  openDatabase,
  OpenDatabase,
  TransmitterParts,
} from '../setup';

export interface ScenarioContext {
  db: Db;
  pgUrl: string;
  /** SETs to emit in total (spread over the scenario's streams). */
  sets: number;
  receiver: Receiver;
  /** How long the scenario may take to settle after the fault is lifted. */
  settleTimeoutMs: number;
}

export interface Scenario {
  /** For --only. */
  name: string;
  title: string;
  /** The databases the scenario makes sense on. */
  dbs: Db[];
  run(ctx: ScenarioContext, row: FaultRow): Promise<void>;
}

/** Streams per scenario: more than one, so per-stream lanes are exercised. */
export const STREAMS = 2;

/** Events to emit for `sets` SETs over STREAMS streams. */
export const eventsFor = (sets: number) => Math.ceil(sets / STREAMS);

/**
 * Runs `body` against a fresh database with STREAMS push streams to the
 * receiver; the database is dropped afterwards whatever happens.
 */
export async function withDatabase(
  ctx: ScenarioContext,
  body: (db: OpenDatabase) => Promise<void>,
) {
  const db = await openDatabase(ctx.db, ctx.pgUrl);
  try {
    await ctx.receiver.reset();
    for (let i = 0; i < STREAMS; i++) {
      await addPushStream(db.knex, ctx.receiver.url);
    }
    await body(db);
  } finally {
    await db.drop();
  }
}

/**
 * `withDatabase` plus one transmitter instance in this process, its worker
 * running; its warnings and errors end up in the row's notes.
 */
export async function withTransmitter(
  ctx: ScenarioContext,
  row: FaultRow,
  body: (t: TransmitterParts, db: OpenDatabase) => Promise<void>,
) {
  await withDatabase(ctx, async db => {
    const t = await buildTransmitter(db.knex, { owner: 'robustness' });
    t.worker.start();
    try {
      await body(t, db);
    } finally {
      await t.worker.stop().catch(e => row.problems.push(`stop: ${e}`));
      summariseLogs(row, t.logger);
    }
  });
}

export function summariseLogs(
  row: FaultRow,
  logger: { warnings: string[]; errors: string[] },
) {
  if (logger.warnings.length) {
    row.notes.push(
      `${logger.warnings.length} worker warnings, e.g. "${firstLine(
        logger.warnings[logger.warnings.length - 1],
      )}"`,
    );
  }
  // The worker logs an error only for a push that failed in an unexpected
  // way (recording its outcome threw): worth seeing, not a failure by itself.
  if (logger.errors.length) {
    row.notes.push(
      `${logger.errors.length} worker errors, e.g. "${firstLine(
        logger.errors[logger.errors.length - 1],
      )}"`,
    );
  }
}

function firstLine(text: string) {
  const line = text.split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 160)}…` : line;
}
