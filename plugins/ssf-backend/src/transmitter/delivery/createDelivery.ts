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

/*
 * # Delivery
 *
 * How a SET gets from an emit to a receiver, across any number of backend
 * replicas sharing one database. The terms are those of the README glossary.
 *
 * ## The outbox
 *
 * Every SET is signed and written to `ssf_outbox` in the transaction of the
 * change that caused it (TransmitterEmitter; emits arriving together share one
 * transaction). A row is in one of four states:
 *
 *   pending ──2xx / poll ack──▶ delivered
 *      │  ▲
 *      │  └──redeliver (admin)── dead ◀──4xx, maxAttempts, poll setErr──┘
 *      └──disabled, hold limit or age──▶ dropped
 *
 * A paused stream's pending rows are not claimed; the admin view counts them
 * as *held*. `control` rows (stream-updated notices) are delivered whatever
 * the stream's status.
 *
 * ## Leases
 *
 * A pending row is pushed only by the instance that holds its lease
 * (`lease_owner`, `lease_expires_at`). DeliveryWorker claims due rows with one
 * `UPDATE … WHERE jti IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)
 * RETURNING` (OutboxStore.claim; SQLite's single writer makes the same
 * statement safe), so two replicas never push one SET at the same time, and a
 * row whose instance died is claimed again once its lease runs out. A push
 * starts only while its lease has more than the push timeout left; otherwise
 * the row is released and claimed afresh, so no push outlives its lease.
 *
 * ## Lanes
 *
 * Each instance keeps one lane per stream: an in-memory queue of that
 * stream's leased rows with at most `perStreamConcurrency` pushes in flight,
 * so a slow receiver holds up only its own stream.
 *
 * ## Hand-over
 *
 * Rows emitted on an instance skip the claim. Before the insert the emitter
 * reserves room in its own worker's lanes (LocalDelivery.reserve, up to 1,000
 * per stream), stores those rows already leased to itself, and after the
 * commit accepts the reservation, which puts them straight in the lanes; a
 * rolled-back transaction cancels it. Rows without room wait in the outbox
 * to be claimed like any other.
 *
 * ## Poll
 *
 * PollService hands out pending rows of poll streams to their receiver
 * (RFC 8936), long-polling until one arrives; rows handed out and not
 * acknowledged within `pollRedeliveryAfter` are offered again. The emitter's
 * commit wakes the long polls of the streams it wrote to.
 *
 * Delivery is at least once: a crash between a receiver's answer and the
 * outbox update means the SET is pushed again, which receivers treat as a
 * redelivery (same jti).
 */

import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { TransmitterConfig } from '../config';
import { SigningKeyStore } from '../signing/SigningKeyStore';
import { StreamStore } from '../streams/StreamStore';
import { SubjectStore } from '../streams/SubjectStore';
import { SigningKeyManager } from '../signing/SigningKeyManager';
import { ReceiverProfiles } from '../profiles/ReceiverProfiles';
import { DeliveryWorker } from './DeliveryWorker';
import { OutboxStore } from './OutboxStore';
import { PollService } from './PollService';
import { SetSigner } from '../signing/SetSigner';
import { TransmitterEmitter } from './TransmitterEmitter';
import { TransmitterMetrics } from '../metrics';
import { SsfSignals } from '../../signals/SsfSignals';
import { DeliveryHistory, DeliveryOutcome } from './DeliveryHistory';
import { SsfAlerts } from '../../notifications';

/** The wired parts of delivery. @internal */
export interface Delivery {
  keys: SigningKeyManager;
  streams: StreamStore;
  subjects: SubjectStore;
  outbox: OutboxStore;
  signer: SetSigner;
  worker: DeliveryWorker;
  poll: PollService;
  emitter: TransmitterEmitter;
  /** Delivery outcomes per stream per minute (the admin chart). */
  history: DeliveryHistory;
}

/**
 * Wires signing, the outbox, the push worker and poll delivery together the
 * one way they must be: the emitter hands SETs to this instance's worker
 * and wakes it and the long polls after each commit. The worker is not
 * started here. Used by the plugin, and by the benchmarks and robustness
 * runs so that they measure the same assembly.
 *
 * @internal
 */
export async function createDelivery(options: {
  config: TransmitterConfig;
  knex: Knex;
  logger: LoggerService;
  /** Identifies this instance in outbox leases. */
  owner: string;
  /** The receiver profiles streams may have; the built-in ones by default. */
  profiles?: ReceiverProfiles;
  /** Where delivery records what flows; nothing is recorded without. */
  metrics?: TransmitterMetrics;
  /** Told when streams dead-letter; nothing is sent without. */
  alerts?: SsfAlerts;
  /** Tells the admin pages when a stream or its SETs change; silent without. */
  signals?: SsfSignals;
}): Promise<Delivery> {
  const { config, knex, logger, metrics } = options;
  const keys = new SigningKeyManager({
    store: new SigningKeyStore(knex),
    config: config.signing,
    logger,
  });
  // Have a published key before anything can sign with it.
  await keys.refresh();
  const streams = new StreamStore(knex, {
    onChange: (streamId, tx) => options.signals?.streamChanged(streamId, tx),
  });
  const subjects = new SubjectStore(knex);
  const history = new DeliveryHistory(knex);
  const outbox = new OutboxStore(knex, {
    observer: async (changes, now, tx) => {
      const counted: DeliveryOutcome[] = [];
      for (const { streamId, change, count } of changes) {
        if (
          change === 'delivered' ||
          change === 'failed' ||
          change === 'dead'
        ) {
          counted.push({ streamId, outcome: change, count });
        }
      }
      try {
        await history.record(counted, now, tx);
      } catch (error) {
        // In a transaction the failure is the transaction's (PostgreSQL has
        // aborted it); outside one the outcome is stored, only the chart
        // misses it.
        if (tx) throw error;
        logger.warn(`SSF: could not count delivery outcomes: ${error}`);
      }
      for (const c of changes) options.signals?.streamChanged(c.streamId, tx);
    },
  });
  const signer = new SetSigner(keys);
  const worker = new DeliveryWorker({
    outbox,
    streams,
    config: config.delivery,
    policy: config.urlPolicy,
    logger,
    owner: options.owner,
    metrics,
    alerts: options.alerts,
  });
  const poll = new PollService({ outbox, config: config.delivery, metrics });
  const emitter = new TransmitterEmitter({
    knex,
    streams,
    subjects,
    outbox,
    signer,
    config,
    profiles: options.profiles ?? new ReceiverProfiles(),
    localDelivery: worker,
    metrics,
    onCommitted: streamIds => {
      worker.wake();
      poll.notify(streamIds);
    },
  });
  return {
    keys,
    streams,
    subjects,
    outbox,
    signer,
    worker,
    poll,
    emitter,
    history,
  };
}
