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

import { LoggerService } from '@backstage/backend-plugin-api';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import { OutboundUrlPolicy } from '../../http/outboundUrlPolicy';
import { DeliveryConfig } from '../config';
import { StreamRecord, StreamStore } from '../streams/StreamStore';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { LocalDelivery } from './LocalDelivery';
import { ClaimedSet, OutboxStore } from './OutboxStore';
import { pushSet } from './pushSet';
import { TransmitterMetrics } from '../metrics';
import { SsfAlerts } from '../../notifications';

const IDLE_INTERVAL_MS = 1000;
const ERROR_PAUSE_MS = 2000;
// SETs handed over by the local emitter that one lane may hold (about 1 KB
// each); more wait in the outbox to be claimed.
const HANDOVER_LIMIT = 1000;
// A push starts only while the lease has at least one timeout and this much
// left, so it always ends before another replica could claim the SET.
const LEASE_MARGIN_MS = 1000;

interface StreamLane {
  stream: StreamRecord;
  queue: ClaimedSet[];
  active: number;
  /** Room promised to SETs being emitted (see LocalDelivery). */
  reserved: number;
  /** Whether due SETs may be waiting in the outbox beyond those claimed. */
  backlog: boolean;
}

/** The SETs a lane holds: queued, being pushed, or promised to an emit. */
function held(lane: StreamLane): number {
  return lane.queue.length + lane.active + lane.reserved;
}

/**
 * Pushes SETs from the outbox to push receivers. Each backend instance runs
 * one worker; they share the outbox through leases (see OutboxStore), so any
 * number of replicas can run side by side.
 *
 * Fairness: every stream has its own lane with at most
 * `perStreamConcurrency` pushes in flight, and all lanes together at most
 * `maxConcurrency`, so a slow receiver occupies only its own lane. A lane
 * claims a few rounds of work ahead, bounded so that a claimed SET is always
 * pushed well before its lease runs out.
 *
 * SETs emitted on this instance are usually handed over directly, already
 * leased (LocalDelivery), and leave within milliseconds without a claim.
 * For the rest the worker is a loop rather than a scheduled task: an emit it
 * did not take wakes it, and it looks for due work (retries, other replicas'
 * emits, what it had no room for) every second while idle.
 *
 * @internal
 */
export class DeliveryWorker implements LocalDelivery {
  readonly #outbox: OutboxStore;
  readonly #streams: StreamStore;
  readonly #config: DeliveryConfig;
  readonly #policy: OutboundUrlPolicy;
  readonly #logger: LoggerService;
  readonly #owner: string;
  readonly #resolve?: HostResolver;
  readonly #metrics?: TransmitterMetrics;
  readonly #alerts?: SsfAlerts;
  readonly #now: () => Date;
  readonly #lanes = new Map<string, StreamLane>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #claimAhead: number;
  #active = 0;
  #delivered: string[] = [];
  /** The batch of delivered marks being written, and the one gathering. */
  #deliveredFlush?: Promise<void>;
  #nextFlush?: Promise<void>;
  #running = false;
  #wakeRequested = false;
  #wakeUp?: () => void;
  #loop?: Promise<void>;

  constructor(options: {
    outbox: OutboxStore;
    streams: StreamStore;
    config: DeliveryConfig;
    policy: OutboundUrlPolicy;
    logger: LoggerService;
    /** Identifies this instance in leases. */
    owner: string;
    resolve?: HostResolver;
    metrics?: TransmitterMetrics;
    /** Told of dead letters and deliveries, to alert admins. */
    alerts?: SsfAlerts;
    now?: () => Date;
  }) {
    this.#outbox = options.outbox;
    this.#streams = options.streams;
    this.#config = options.config;
    this.#policy = options.policy;
    this.#logger = options.logger;
    this.#owner = options.owner;
    this.#resolve = options.resolve;
    this.#metrics = options.metrics;
    this.#alerts = options.alerts;
    this.#now = options.now ?? (() => new Date());
    // Rounds of pushes a lane may hold claimed; each round takes at most one
    // timeout, and all of them must finish within the lease.
    this.#claimAhead = Math.max(
      1,
      Math.floor(this.#config.leaseDurationMs / this.#config.timeoutMs) - 1,
    );
  }

  get owner() {
    return this.#owner;
  }

  get leaseDurationMs() {
    return this.#config.leaseDurationMs;
  }

  reserve(stream: StreamRecord, count: number): number {
    if (
      !this.#running ||
      stream.status !== 'enabled' ||
      stream.delivery.method !== DELIVERY_METHODS.push
    ) {
      return 0;
    }
    const lane = this.#lane(stream);
    const taken = Math.max(0, Math.min(count, HANDOVER_LIMIT - held(lane)));
    lane.reserved += taken;
    // What it cannot take waits in the outbox to be claimed.
    if (taken < count) lane.backlog = true;
    return taken;
  }

  accept(streamId: string, sets: ClaimedSet[]) {
    const lane = this.#lanes.get(streamId);
    if (lane) lane.reserved -= sets.length;
    if (!lane || !this.#running) {
      // Stopped meanwhile: let another replica (or a restart) have them now
      // rather than when the lease runs out.
      this.#outbox
        .release(
          sets.map(set => set.jti),
          this.#owner,
        )
        .catch(error =>
          this.#logger.warn(
            `SSF delivery could not release SETs: ${(error as Error).message}`,
          ),
        );
      return;
    }
    lane.queue.push(...sets);
    this.#pump(lane);
  }

  cancel(streamId: string, count: number) {
    const lane = this.#lanes.get(streamId);
    if (lane) lane.reserved -= count;
  }

  start() {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Stops claiming, gives back claimed SETs not yet pushed, and waits for pushes in flight. */
  async stop() {
    this.#running = false;
    this.wake();
    await this.#loop;
    const unstarted = [...this.#lanes.values()].flatMap(l => l.queue.splice(0));
    await this.#outbox.release(
      unstarted.map(s => s.jti),
      this.#owner,
    );
    await Promise.allSettled([...this.#inFlight]);
    await Promise.allSettled([this.#deliveredFlush, this.#nextFlush]);
  }

  /** Asks the worker to look for work now (after an emit, say). */
  wake() {
    this.#wakeRequested = true;
    this.#wakeUp?.();
  }

  async #run() {
    while (this.#running) {
      this.#wakeRequested = false;
      let claimed = 0;
      try {
        claimed = await this.#claimRound();
      } catch (error) {
        this.#logger.warn(
          `SSF delivery could not claim SETs: ${(error as Error).message}`,
        );
        await this.#sleep(ERROR_PAUSE_MS);
        continue;
      }
      if (!this.#running) break;
      if (claimed > 0 || this.#wakeRequested) continue;
      await this.#sleep(IDLE_INTERVAL_MS);
    }
  }

  #sleep(ms: number) {
    return new Promise<void>(resolve => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = done;
    }).finally(() => {
      this.#wakeUp = undefined;
    });
  }

  async #claimRound(): Promise<number> {
    const streams = (await this.#streams.list()).filter(
      s => s.delivery.method === DELIVERY_METHODS.push,
    );
    const live = new Set(streams.map(s => s.streamId));
    for (const id of this.#lanes.keys()) {
      const lane = this.#lanes.get(id)!;
      if (!live.has(id) && held(lane) === 0) {
        this.#lanes.delete(id);
      }
    }

    let claimed = 0;
    for (const stream of streams) {
      const lane = this.#lane(stream);
      const budget = this.#budget(lane);
      if (budget <= 0) continue;
      const now = this.#now();
      const sets = await this.#outbox.claim({
        streamId: stream.streamId,
        owner: this.#owner,
        now,
        leaseUntil: new Date(now.getTime() + this.#config.leaseDurationMs),
        limit: budget,
        controlOnly: stream.status !== 'enabled',
        countAttempt: true,
      });
      lane.backlog = sets.length === budget;
      lane.queue.push(...sets);
      claimed += sets.length;
      this.#pump(lane);
    }
    return claimed;
  }

  /** The stream's lane, made on first use, holding its latest record. */
  #lane(stream: StreamRecord): StreamLane {
    let lane = this.#lanes.get(stream.streamId);
    if (!lane) {
      lane = { stream, queue: [], active: 0, reserved: 0, backlog: true };
      this.#lanes.set(stream.streamId, lane);
    }
    lane.stream = stream;
    return lane;
  }

  /** How many more SETs a lane may claim. */
  #budget(lane: StreamLane): number {
    return this.#config.perStreamConcurrency * this.#claimAhead - held(lane);
  }

  #pump(lane: StreamLane) {
    const expired: ClaimedSet[] = [];
    while (
      lane.queue.length > 0 &&
      lane.active < this.#config.perStreamConcurrency &&
      this.#active < this.#config.maxConcurrency
    ) {
      const set = lane.queue.shift()!;
      if (!this.#leaseCovers(set)) {
        expired.push(set);
        continue;
      }
      lane.active += 1;
      this.#active += 1;
      const push = this.#push(lane.stream, set)
        .catch(error =>
          this.#logger.error(
            `SSF delivery of SET ${set.jti} to stream ${
              set.streamId
            } failed unexpectedly: ${(error as Error).message}`,
          ),
        )
        .finally(() => {
          lane.active -= 1;
          this.#active -= 1;
          this.#inFlight.delete(push);
          for (const l of this.#lanes.values()) this.#pump(l);
          // Claim more only when there may be more, and only once the lane
          // is down to its last round: claiming after every push would cost
          // two queries per SET and, on SQLite, block the event loop.
          if (
            lane.backlog &&
            lane.queue.length <= this.#config.perStreamConcurrency
          ) {
            this.wake();
          }
        });
      this.#inFlight.add(push);
    }
    if (expired.length > 0) this.#giveBack(lane, expired);
  }

  /** Whether a push started now would end before the SET's lease does. */
  #leaseCovers(set: ClaimedSet): boolean {
    return (
      set.leaseUntil.getTime() - this.#now().getTime() >=
      this.#config.timeoutMs + LEASE_MARGIN_MS
    );
  }

  /**
   * Releases SETs that waited too long in the lane for their lease (a
   * receiver slowed down behind them), so they are claimed afresh instead
   * of pushed on a lease another replica might take over.
   */
  #giveBack(lane: StreamLane, sets: ClaimedSet[]) {
    lane.backlog = true;
    this.#outbox
      .release(
        sets.map(set => set.jti),
        this.#owner,
      )
      .then(() => this.wake())
      .catch(error =>
        this.#logger.warn(
          `SSF delivery could not release SETs: ${(error as Error).message}`,
        ),
      );
  }

  async #push(stream: StreamRecord, set: ClaimedSet) {
    const result = await pushSet({
      endpointUrl: stream.delivery.endpointUrl,
      authorizationHeader: stream.delivery.authorizationHeader,
      setJws: set.setJws,
      timeoutMs: this.#config.timeoutMs,
      policy: this.#policy,
      resolve: this.#resolve,
    });
    const now = this.#now();
    const count = (outcome: 'delivered' | 'retried' | 'dead_lettered') =>
      this.#metrics?.pushed(set.streamId, outcome, set.createdAt, now);
    if (result.outcome === 'delivered') {
      count('delivered');
      this.#alerts?.delivered(set.streamId);
      // Not awaited: the lane's slot is free for the next push as soon as
      // the receiver has answered; the mark follows in the next batch.
      this.#recordDelivered(set.jti);
      return;
    }
    if (result.outcome === 'dead') {
      this.#logger.warn(
        `SSF SET ${set.jti} to stream ${set.streamId} dead-lettered: ${result.error}`,
      );
      count('dead_lettered');
      this.#alerts?.deadLettered(set.streamId, result.error);
      await this.#outbox.markDead([set.jti], result.error, now);
      return;
    }
    if (set.attempts >= this.#config.maxAttempts) {
      const error = `gave up after ${set.attempts} attempts; last: ${result.error}`;
      this.#logger.warn(
        `SSF SET ${set.jti} to stream ${set.streamId} dead-lettered: ${error}`,
      );
      count('dead_lettered');
      this.#alerts?.deadLettered(set.streamId, error);
      await this.#outbox.markDead([set.jti], error, now);
      return;
    }
    const delay = Math.min(
      Math.max(this.backoff(set.attempts), result.retryAfterMs ?? 0),
      this.#config.maxBackoffMs,
    );
    count('retried');
    await this.#outbox.markRetry(
      set.jti,
      result.error,
      now,
      new Date(now.getTime() + delay),
    );
    // Come back when the retry is due rather than at the next idle check.
    if (delay < IDLE_INTERVAL_MS) {
      setTimeout(() => this.wake(), delay).unref();
    }
  }

  /**
   * Marks SETs delivered in batches: at high rates one UPDATE (one commit)
   * per SET would cap throughput at the database's commit rate. One batch is
   * written at a time and the next gathers while it is, so batches grow with
   * the load by themselves. A SET whose mark is lost (to a crash or a
   * database error) stays leased until its lease runs out and is then pushed
   * again, which RFC 8935 receivers handle as a redelivery.
   */
  #recordDelivered(jti: string) {
    this.#delivered.push(jti);
    this.#nextFlush ??= this.#flushAfter(this.#deliveredFlush);
  }

  async #flushAfter(previous: Promise<void> | undefined): Promise<void> {
    await previous;
    // Let the pushes that finish in this turn of the event loop join.
    await new Promise<void>(resolve => setImmediate(resolve));
    const jtis = this.#delivered.splice(0);
    this.#nextFlush = undefined;
    const flush = this.#outbox.markDelivered(jtis, this.#now()).then(
      () => undefined,
      error =>
        this.#logger.warn(
          `SSF delivery could not mark ${
            jtis.length
          } delivered SETs; they will be pushed again after their lease: ${
            (error as Error).message
          }`,
        ),
    );
    this.#deliveredFlush = flush;
    await flush;
    if (this.#deliveredFlush === flush) this.#deliveredFlush = undefined;
  }

  /** Exponential backoff with jitter: half fixed, half random. */
  backoff(attempts: number): number {
    const ceiling = Math.min(
      this.#config.maxBackoffMs,
      this.#config.initialBackoffMs * 2 ** Math.max(0, attempts - 1),
    );
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}
