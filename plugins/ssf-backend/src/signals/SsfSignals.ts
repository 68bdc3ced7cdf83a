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
import { SignalsService } from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';

/** The channels the admin pages subscribe to. @internal */
export const SSF_SIGNAL_CHANNELS = {
  streams: 'ssf:streams',
  receivedEvents: 'ssf:received-events',
  hooks: 'ssf:hooks',
} as const;

/** The message on `ssf:streams`. @internal */
export interface StreamSignal extends JsonObject {
  kind: 'stream';
  streamId: string;
}

/** The message on `ssf:received-events`. @internal */
export interface ReceivedSignal extends JsonObject {
  kind: 'received';
  providerId: string;
}

/** The messages on `ssf:hooks`. @internal */
export type HookSignal =
  | { kind: 'firing'; hookId: string }
  | { kind: 'reconcile' };

/** At most one message per key per this many milliseconds. */
const DEFAULT_WINDOW_MS = 500;

/**
 * Tells the admin pages that something they show changed, through
 * Backstage signals. A message names what changed and carries nothing else;
 * the page refetches it through the permission-checked API.
 *
 * That is also why every message is sent to `{ type: 'broadcast' }`: any
 * signed-in user subscribed to the channel receives it, including users
 * who may not read streams or providers. They learn only that an id they
 * cannot look up changed; the data stays behind the API's permission
 * checks. Do not add data to these messages without choosing recipients.
 *
 * Messages are coalesced per key (a stream, a provider, a hook): the first
 * change opens a window of 500 ms, later changes in it fold into it, and one
 * message goes out when it closes (the trailing edge). A stream delivering
 * hundreds of SETs a second thus sends two messages a second, not hundreds.
 * A change made in a transaction is counted once the transaction commits, so
 * the page never refetches before the change is visible; a rolled-back one
 * sends nothing.
 *
 * Without a signals service nothing is sent, and nothing fails: sending is
 * best effort and a failure is only logged.
 *
 * @internal
 */
export class SsfSignals {
  readonly #signals?: SignalsService;
  readonly #logger?: LoggerService;
  readonly #windowMs: number;
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(
    options: {
      signals?: SignalsService;
      logger?: LoggerService;
      /** The coalescing window; 500 ms unless a test shortens it. */
      windowMs?: number;
    } = {},
  ) {
    this.#signals = options.signals;
    this.#logger = options.logger;
    this.#windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  }

  /**
   * A stream was created, changed, deleted, changed status, or its SETs'
   * outcomes changed (delivered, failed, dead-lettered, dropped).
   */
  streamChanged(streamId: string, tx?: Knex.Transaction): void {
    this.#afterCommit(tx, () =>
      this.#coalesced(`stream:${streamId}`, SSF_SIGNAL_CHANNELS.streams, {
        kind: 'stream',
        streamId,
      } satisfies StreamSignal),
    );
  }

  /** SETs from a provider were stored. */
  receivedStored(providerId: string, tx?: Knex.Transaction): void {
    this.#afterCommit(tx, () =>
      this.#coalesced(
        `received:${providerId}`,
        SSF_SIGNAL_CHANNELS.receivedEvents,
        { kind: 'received', providerId } satisfies ReceivedSignal,
      ),
    );
  }

  /** A hook fired (its firing is stored). */
  hookFired(hookId: string, tx?: Knex.Transaction): void {
    this.#afterCommit(tx, () =>
      this.#coalesced(`hook:${hookId}`, SSF_SIGNAL_CHANNELS.hooks, {
        kind: 'firing',
        hookId,
      }),
    );
  }

  /** A catalog reconciliation run ended (with or without errors). */
  reconcileEnded(): void {
    // Runs are minutes apart: nothing to coalesce.
    this.#publish(SSF_SIGNAL_CHANNELS.hooks, { kind: 'reconcile' });
  }

  /** Drops the messages still waiting for their window (on shutdown). */
  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #afterCommit(tx: Knex.Transaction | undefined, fn: () => void) {
    if (!this.#signals || this.#stopped) return;
    if (!tx) {
      fn();
      return;
    }
    // Rejected when the transaction rolls back: then nothing changed.
    tx.executionPromise.then(fn, () => undefined);
  }

  #coalesced(key: string, channel: string, message: JsonObject) {
    if (this.#stopped || this.#timers.has(key)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.#publish(channel, message);
    }, this.#windowMs);
    // A pending message must not keep the process (or a test) alive.
    timer.unref();
    this.#timers.set(key, timer);
  }

  #publish(channel: string, message: JsonObject) {
    if (!this.#signals || this.#stopped) return;
    this.#signals
      .publish({
        // Broadcast: the message carries only an id (see the class comment).
        recipients: { type: 'broadcast' },
        channel,
        message,
      })
      .catch(error =>
        this.#logger?.warn(
          `SSF: could not send the ${channel} signal: ${error}`,
        ),
      );
  }
}
