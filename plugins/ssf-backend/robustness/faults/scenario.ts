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

// What every fault scenario shares: its shape, and the harnesses they run
// in: a fresh database with two enabled push streams to the receiver, and
// on it one transmitter instance in this process (the receiver-side faults,
// the database fault), or instances in processes of their own (a kill,
// replicas); or the whole plugin in its own backend (the faults that need a
// scheduled task or the receiver's key fetching). Each harness counts the
// notifications sent into the row.

import { JsonObject } from '@backstage/types';
import { PluginBackend, startPluginBackend } from '../backendControl';
import {
  addTallies,
  AlertKind,
  RECIPIENT,
  recordingAlerts,
} from '../notifications';
import { Receiver } from '../receiverControl';
import { FaultRow } from '../report';
import {
  addPushStream,
  buildTransmitter,
  Db,
  openDatabase,
  OpenDatabase,
  outboxStates,
  TransmitterParts,
} from '../setup';
import {
  startTransmitterProcess,
  TransmitterInstance,
} from '../transmitterControl';
import { OutboxReader, settle } from '../verify';

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
  /**
   * The kinds of notification the fault must make the plugin send (see
   * AlertKind); the row fails when one is missing or another kind is sent.
   */
  notifies: AlertKind[];
  /** Runs the scenario; must set `row.outcome` and `row.notifications`. */
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
 * running and its alerts counted into the row; its warnings and errors end
 * up in the row's notes.
 */
export async function withTransmitter(
  ctx: ScenarioContext,
  row: FaultRow,
  body: (t: TransmitterParts, db: OpenDatabase) => Promise<void>,
) {
  await withDatabase(ctx, async db => {
    const notifications = recordingAlerts();
    const t = await buildTransmitter(db.knex, {
      owner: 'robustness',
      alerts: notifications.alerts,
    });
    t.worker.start();
    try {
      await body(t, db);
    } finally {
      await t.worker.stop().catch(e => row.problems.push(`stop: ${e}`));
      row.notifications = await notifications.tally();
      summariseLogs(row, t.logger);
    }
  });
}

/**
 * `withDatabase` for transmitter instances in processes of their own, which
 * `body` starts with `start` and may kill. Afterwards the ones still running
 * give their logs to the row's notes and are stopped, and what every one of
 * them sent (a killed one up to its kill) is the row's notifications.
 */
export async function withTransmitterProcesses(
  ctx: ScenarioContext,
  row: FaultRow,
  body: (
    db: OpenDatabase,
    start: (owner: string) => Promise<TransmitterInstance>,
  ) => Promise<void>,
) {
  await withDatabase(ctx, async db => {
    const instances: TransmitterInstance[] = [];
    try {
      await body(db, async owner => {
        const t = await startTransmitterProcess(db.target, owner);
        instances.push(t);
        return t;
      });
    } finally {
      for (const t of instances) {
        if (t.running) {
          await t.logs().then(
            logs => summariseLogs(row, logs),
            e => row.problems.push(`logs of ${t.owner}: ${e}`),
          );
        }
        await t.stop();
      }
      row.notifications = addTallies(...instances.map(t => t.notifications()));
    }
  });
}

/**
 * Runs `body` against the whole plugin in a process of its own
 * (backendProcess.ts) on fresh databases of the scenario's kind, with `ssf`
 * as its config. The row's notifications are the plugin's sends that the
 * real notifications backend accepted.
 */
export async function withPluginBackend(
  ctx: ScenarioContext,
  row: FaultRow,
  ssf: JsonObject,
  body: (backend: PluginBackend) => Promise<void>,
) {
  await ctx.receiver.reset();
  const backend = await startPluginBackend({
    db: ctx.db,
    pgUrl: ctx.pgUrl,
    ssf,
  });
  try {
    await body(backend);
  } finally {
    try {
      const { accepted, stored } = await backend.notifications();
      row.notifications = accepted;
      row.notes.push(
        `the notifications backend holds ${stored} notifications for ${RECIPIENT} (repeats of one scope update one)`,
      );
      if (accepted.sent > 0 && stored === 0) {
        row.problems.push('notifications were accepted but none is stored');
      }
    } finally {
      await backend.stop();
    }
  }
}

/**
 * Waits until every one of `jtis` is delivered or dead-lettered (bounded by
 * the scenario's settle timeout) and puts the count in the row.
 */
export async function settleRow(
  ctx: ScenarioContext,
  row: FaultRow,
  outbox: OpenDatabase | OutboxReader,
  jtis: string[],
) {
  const outcome = await settle({
    outbox:
      typeof outbox === 'function' ? outbox : () => outboxStates(outbox.knex),
    receiver: ctx.receiver,
    jtis,
    timeoutMs: ctx.settleTimeoutMs,
  });
  row.outcome = outcome;
  return outcome;
}

/** Fails the row for any dead letter: the fault was one to recover from. */
export function expectNoDeadLetters(row: FaultRow, why = '') {
  const dead = row.outcome?.dead ?? 0;
  if (dead > 0) row.problems.push(`${dead} SETs dead-lettered${why}`);
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
