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

import { InputError } from '@backstage/errors';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { DeliveryConfig } from '../config';
import { StreamRecord } from '../streams/StreamStore';
import { OutboxStore } from './OutboxStore';
import { TransmitterMetrics } from '../metrics';

const MAX_EVENTS_LIMIT = 1000;
const DEFAULT_MAX_EVENTS = 100;
// While a long poll waits, other replicas may store SETs for the stream; the
// database is looked at this often in case no local notification comes.
const LONG_POLL_RECHECK_MS = 1000;

const rfc8935Error = z
  .object({
    err: z.string().min(1).max(256),
    description: z.string().max(4096).optional(),
  })
  .loose();

/**
 * The body of a poll request (RFC 8936 §2.4).
 *
 * @internal
 */
export const pollRequestSchema = z
  .object({
    maxEvents: z.number().int().min(0).optional(),
    returnImmediately: z.boolean().optional(),
    ack: z.array(z.string().min(1).max(128)).max(MAX_EVENTS_LIMIT).optional(),
    setErrs: z.record(z.string().min(1).max(128), rfc8935Error).optional(),
  })
  .strict();

/** @internal */
export type PollRequest = z.infer<typeof pollRequestSchema>;

/** @internal */
export interface PollResponse {
  sets: Record<string, string>;
  moreAvailable: boolean;
}

/**
 * RFC 8936 poll delivery. A poll first settles what the receiver reports:
 * `ack`ed SETs are delivered, `setErrs` are dead-lettered with the
 * receiver's `err` and `description`. It then hands out up to
 * `maxEvents` SETs (at most 1000; default 100), each leased to the receiver
 * for `pollRedeliveryAfter`: a SET it does not acknowledge in that time is
 * offered again. With `returnImmediately: false` (the default) an empty poll
 * waits up to `longPollTimeout` and answers as soon as a SET arrives.
 *
 * @internal
 */
export class PollService {
  readonly #outbox: OutboxStore;
  readonly #config: DeliveryConfig;
  readonly #metrics?: TransmitterMetrics;
  readonly #now: () => Date;
  readonly #arrivals = new EventEmitter();

  constructor(options: {
    outbox: OutboxStore;
    config: DeliveryConfig;
    metrics?: TransmitterMetrics;
    now?: () => Date;
  }) {
    this.#outbox = options.outbox;
    this.#config = options.config;
    this.#metrics = options.metrics;
    this.#now = options.now ?? (() => new Date());
    this.#arrivals.setMaxListeners(0);
  }

  /** Tells waiting long polls that SETs were stored for these streams. */
  notify(streamIds: string[]) {
    for (const id of streamIds) this.#arrivals.emit(id);
  }

  async poll(
    stream: StreamRecord,
    request: PollRequest,
    signal?: AbortSignal,
  ): Promise<PollResponse> {
    if (stream.delivery.method !== DELIVERY_METHODS.poll) {
      throw new InputError(
        `Stream ${stream.streamId} uses push delivery; it cannot be polled`,
      );
    }
    const now = this.#now();
    const acked = await this.#outbox.markDelivered(
      request.ack ?? [],
      now,
      stream.streamId,
    );
    const errors = request.setErrs ?? {};
    const rejected = await this.#outbox.markDead(
      Object.keys(errors),
      jti => {
        const { err, description } = errors[jti];
        return `rejected by the receiver: ${err}${
          description ? `: ${description}` : ''
        }`;
      },
      now,
      stream.streamId,
    );
    // Only SETs still pending count: a repeated ack moves nothing.
    this.#metrics?.acknowledged(stream.streamId, acked, rejected);

    const maxEvents = Math.min(
      request.maxEvents ?? DEFAULT_MAX_EVENTS,
      MAX_EVENTS_LIMIT,
    );
    if (maxEvents === 0) {
      return { sets: {}, moreAvailable: await this.#hasMore(stream) };
    }

    const deadline = Date.now() + this.#config.longPollTimeoutMs;
    for (;;) {
      const claimed = await this.#claim(stream, maxEvents);
      if (claimed.length > 0 || request.returnImmediately || signal?.aborted) {
        this.#metrics?.polled(stream.streamId, claimed.length);
        return {
          sets: Object.fromEntries(claimed.map(s => [s.jti, s.setJws])),
          moreAvailable: await this.#hasMore(stream),
        };
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        return { sets: {}, moreAvailable: false };
      }
      await this.#waitForArrival(
        stream.streamId,
        Math.min(left, LONG_POLL_RECHECK_MS),
        signal,
      );
    }
  }

  #claim(stream: StreamRecord, limit: number) {
    const now = this.#now();
    return this.#outbox.claim({
      streamId: stream.streamId,
      owner: 'poll',
      now,
      leaseUntil: new Date(now.getTime() + this.#config.pollRedeliveryAfterMs),
      limit,
      controlOnly: stream.status !== 'enabled',
      countAttempt: true,
    });
  }

  #hasMore(stream: StreamRecord) {
    return this.#outbox.hasDue(
      stream.streamId,
      this.#now(),
      stream.status !== 'enabled',
    );
  }

  #waitForArrival(streamId: string, ms: number, signal?: AbortSignal) {
    return new Promise<void>(resolve => {
      let timer: NodeJS.Timeout | undefined = undefined;
      const done = () => {
        clearTimeout(timer);
        this.#arrivals.off(streamId, done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      timer = setTimeout(done, ms);
      this.#arrivals.on(streamId, done);
      signal?.addEventListener('abort', done);
    });
  }
}
