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
import { StreamService } from './StreamService';
import { StreamStore } from './StreamStore';

// A receiver polling in a loop would otherwise write its stream's row on
// every poll; within this long of the last write, activity is not written
// again (a tenth of the timeout when that is shorter, so the clock stays
// accurate for short timeouts).
const MAX_ACTIVITY_WRITE_INTERVAL_MS = 5_000;
// Clients remembered for that throttling before old entries are pruned.
const MAX_REMEMBERED_CLIENTS = 1_000;

/**
 * Records that a receiver called the transmitter: SSF 1.0 §8.1.1 counts any
 * Event Stream Management call that references its stream, and, for poll
 * streams, every poll, as activity that restarts `inactivity_timeout`. A
 * receiver owns at most one stream, so its client ID names the stream.
 * Cheap: at most one write per client every few seconds per replica, and a
 * failed write is logged, never failing the receiver's request.
 *
 * @internal
 */
export class ReceiverActivity {
  readonly #store: StreamStore;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  readonly #minIntervalMs: number;
  readonly #lastWritten = new Map<string, number>();

  constructor(options: {
    store: StreamStore;
    logger: LoggerService;
    timeoutSeconds: number;
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#minIntervalMs = Math.min(
      MAX_ACTIVITY_WRITE_INTERVAL_MS,
      (options.timeoutSeconds * 1000) / 10,
    );
  }

  /** The receiver with this client ID (a service principal's subject) called. */
  async record(clientId: string): Promise<void> {
    const now = this.#now();
    const last = this.#lastWritten.get(clientId);
    if (last !== undefined && now - last < this.#minIntervalMs) {
      return;
    }
    this.#remember(clientId, now);
    try {
      await this.#store.recordActivity({ clientId }, new Date(now));
    } catch (error) {
      // Written again on the next call; the clock is at worst a little old.
      this.#lastWritten.delete(clientId);
      this.#logger.warn(
        `Could not record receiver activity for client ${clientId}: ${error}`,
      );
    }
  }

  #remember(clientId: string, now: number) {
    if (this.#lastWritten.size >= MAX_REMEMBERED_CLIENTS) {
      for (const [id, at] of this.#lastWritten) {
        if (now - at >= this.#minIntervalMs) this.#lastWritten.delete(id);
      }
    }
    this.#lastWritten.set(clientId, now);
  }
}

/**
 * SSF 1.0 §8.1.1 `inactivity_timeout`: pauses every enabled stream whose
 * receiver has not called for the timeout. The pause goes through the
 * status-change path as the transmitter's own, so the receiver is sent a
 * stream-updated SET (§8.1.5) and its SETs are held, not dropped; admins
 * are told through `onPaused`. Run by a global scheduled task, so one
 * replica checks at a time.
 *
 * @internal
 */
export class InactivityMonitor {
  readonly #streams: StreamService;
  readonly #store: StreamStore;
  readonly #timeoutSeconds: number;
  readonly #logger: LoggerService;
  readonly #onPaused?: (streamId: string, reason: string) => void;
  readonly #now: () => Date;

  constructor(options: {
    streams: StreamService;
    store: StreamStore;
    timeoutSeconds: number;
    logger: LoggerService;
    /** Told of each stream paused (the admins' notification). */
    onPaused?: (streamId: string, reason: string) => void;
    now?: () => Date;
  }) {
    this.#streams = options.streams;
    this.#store = options.store;
    this.#timeoutSeconds = options.timeoutSeconds;
    this.#logger = options.logger;
    this.#onPaused = options.onPaused;
    this.#now = options.now ?? (() => new Date());
  }

  /** How often the check should run: often enough to pause close to on time. */
  static frequencySeconds(timeoutSeconds: number): number {
    return Math.min(60, Math.max(1, Math.floor(timeoutSeconds / 4)));
  }

  /** Pauses the streams that went inactive; returns their IDs. */
  async check(): Promise<string[]> {
    const now = this.#now();
    const idleSince = new Date(now.getTime() - this.#timeoutSeconds * 1000);
    const reason = `inactivity: the receiver made no call to this transmitter for ${
      this.#timeoutSeconds
    } seconds (inactivity_timeout)`;
    const paused: string[] = [];
    for (const stream of await this.#store.list()) {
      if (stream.status !== 'enabled') continue;
      if (!stream.lastReceiverActivityAt) {
        // A stream from before activity was recorded: its clock starts now,
        // rather than it being paused for idleness nobody observed.
        await this.#store.recordActivity({ streamId: stream.streamId }, now);
        continue;
      }
      if (stream.lastReceiverActivityAt.getTime() >= idleSince.getTime()) {
        continue;
      }
      try {
        const result = await this.#streams.pauseIfInactive(
          stream.streamId,
          idleSince,
          reason,
        );
        if (!result) continue;
        paused.push(stream.streamId);
        this.#logger.info(
          `Paused SSF stream ${stream.streamId} (client ${
            stream.clientId
          }): no receiver activity since ${stream.lastReceiverActivityAt.toISOString()}`,
        );
        this.#onPaused?.(stream.streamId, reason);
      } catch (error) {
        // One stream's failure does not keep the others running.
        this.#logger.warn(
          `Could not pause inactive SSF stream ${stream.streamId}: ${error}`,
        );
      }
    }
    return paused;
  }
}
