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
import { DeliveryConfig, OutboundUrlPolicy } from '../config';
import { StreamRecord, StreamStore } from '../database/StreamStore';
import { HostResolver } from '../http/outboundUrlPolicy';
import { ClaimedSet, OutboxStore } from './OutboxStore';
import { pushSet } from './pushSet';

const IDLE_INTERVAL_MS = 1000;
const ERROR_PAUSE_MS = 2000;

interface StreamLane {
  stream: StreamRecord;
  queue: ClaimedSet[];
  active: number;
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
 * The worker is a loop rather than a scheduled task: emitting a SET wakes it,
 * so a SET usually leaves within milliseconds; it also looks for due work
 * (retries, other replicas' emits) every second while idle.
 *
 * @internal
 */
export class DeliveryWorker {
  readonly #outbox: OutboxStore;
  readonly #streams: StreamStore;
  readonly #config: DeliveryConfig;
  readonly #policy: OutboundUrlPolicy;
  readonly #logger: LoggerService;
  readonly #owner: string;
  readonly #resolve?: HostResolver;
  readonly #now: () => Date;
  readonly #lanes = new Map<string, StreamLane>();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #claimAhead: number;
  #active = 0;
  #delivered: string[] = [];
  #deliveredFlush?: Promise<void>;
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
    now?: () => Date;
  }) {
    this.#outbox = options.outbox;
    this.#streams = options.streams;
    this.#config = options.config;
    this.#policy = options.policy;
    this.#logger = options.logger;
    this.#owner = options.owner;
    this.#resolve = options.resolve;
    this.#now = options.now ?? (() => new Date());
    // Rounds of pushes a lane may hold claimed; each round takes at most one
    // timeout, and all of them must finish within the lease.
    this.#claimAhead = Math.max(
      1,
      Math.floor(this.#config.leaseDurationMs / this.#config.timeoutMs) - 1,
    );
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
    await this.#outbox.release(unstarted.map(s => s.jti));
    await Promise.allSettled([...this.#inFlight]);
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
      if (!live.has(id) && lane.active === 0 && lane.queue.length === 0) {
        this.#lanes.delete(id);
      }
    }

    let claimed = 0;
    for (const stream of streams) {
      const lane = this.#lanes.get(stream.streamId) ?? {
        stream,
        queue: [],
        active: 0,
      };
      lane.stream = stream;
      this.#lanes.set(stream.streamId, lane);

      const budget =
        this.#config.perStreamConcurrency * this.#claimAhead -
        lane.queue.length -
        lane.active;
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
      lane.queue.push(...sets);
      claimed += sets.length;
      this.#pump(lane);
    }
    return claimed;
  }

  #pump(lane: StreamLane) {
    while (
      lane.queue.length > 0 &&
      lane.active < this.#config.perStreamConcurrency &&
      this.#active < this.#config.maxConcurrency
    ) {
      const set = lane.queue.shift()!;
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
          this.wake();
        });
      this.#inFlight.add(push);
    }
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
    if (result.outcome === 'delivered') {
      await this.#recordDelivered(set.jti);
      return;
    }
    if (result.outcome === 'dead') {
      this.#logger.warn(
        `SSF SET ${set.jti} to stream ${set.streamId} dead-lettered: ${result.error}`,
      );
      await this.#outbox.markDead([set.jti], result.error, now);
      return;
    }
    if (set.attempts >= this.#config.maxAttempts) {
      const error = `gave up after ${set.attempts} attempts; last: ${result.error}`;
      this.#logger.warn(
        `SSF SET ${set.jti} to stream ${set.streamId} dead-lettered: ${error}`,
      );
      await this.#outbox.markDead([set.jti], error, now);
      return;
    }
    const delay = Math.min(
      Math.max(this.backoff(set.attempts), result.retryAfterMs ?? 0),
      this.#config.maxBackoffMs,
    );
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
   * per SET would cap throughput at the database's commit rate. A SET whose
   * mark is lost to a crash is pushed again after its lease, which RFC 8935
   * receivers handle as a redelivery.
   */
  #recordDelivered(jti: string): Promise<void> {
    this.#delivered.push(jti);
    if (!this.#deliveredFlush) {
      this.#deliveredFlush = new Promise<void>(resolve =>
        setImmediate(resolve),
      ).then(async () => {
        const jtis = this.#delivered.splice(0);
        this.#deliveredFlush = undefined;
        await this.#outbox.markDelivered(jtis, this.#now());
      });
    }
    return this.#deliveredFlush;
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
