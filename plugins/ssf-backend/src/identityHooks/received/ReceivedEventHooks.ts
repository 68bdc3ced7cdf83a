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
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { ReceivedEventConsumer, StoredReceivedEvent } from '../../receiver';
import { TransmitterEmitter } from '../../transmitter';
import { FiringStore, HookFiring } from '../firings/FiringStore';
import { HookStore } from '../hooks/HookStore';
import { subjectIdentity } from '../identities/identityChanges';
import {
  PlannedReceivedEvent,
  planReceived,
  toReceivedSet,
} from './receivedHooks';

const toEmitRequest = (event: PlannedReceivedEvent) => ({
  type: event.eventType,
  subject: event.subject,
  payload: event.payload,
  txn: event.txn,
});

/** The firings' `source` for a received SET: `received`, and the provider's id. @internal */
export function receivedSource(providerId?: string): string {
  return providerId === undefined ? 'received' : `received:${providerId}`;
}

/**
 * Fires the `event_received` hooks on newly stored SETs, in the transaction
 * that stores them: each hook's event goes to the outbox and its firing is
 * recorded exactly when the received SET is committed. A redelivery is never
 * given to consumers, and a SET we issued ourselves (one of ours relayed
 * back, or a loop between portals) fires nothing. A hook whose event would
 * be invalid for this SET (the transmitter does not send the type, or the
 * template made a bad payload) is skipped with a warning rather than thrown:
 * throwing would refuse the push, and the provider would push it forever.
 *
 * @internal
 */
export class ReceivedEventHooks implements ReceivedEventConsumer {
  readonly name = 'identity-hooks';
  readonly #hooks: HookStore;
  readonly #firings: FiringStore;
  readonly #emitter: TransmitterEmitter;
  readonly #ownIssuer: string;
  readonly #logger: LoggerService;

  constructor(options: {
    hooks: HookStore;
    firings: FiringStore;
    emitter: TransmitterEmitter;
    /** Our transmitter's `iss`: SETs with it never fire hooks. */
    ownIssuer: string;
    logger: LoggerService;
  }) {
    this.#hooks = options.hooks;
    this.#firings = options.firings;
    this.#emitter = options.emitter;
    this.#ownIssuer = options.ownIssuer;
    this.#logger = options.logger;
  }

  async onStored(
    events: StoredReceivedEvent[],
    tx: Knex.Transaction,
  ): Promise<void> {
    const theirs = events.filter(e => e.event.iss !== this.#ownIssuer);
    if (!theirs.length) return;
    const hooks = (await this.#hooks.list({ enabled: true }, tx)).filter(
      h => h.trigger.on === 'event_received',
    );
    if (!hooks.length) return;
    for (const stored of theirs) {
      const set = toReceivedSet(stored);
      if (!set) continue;
      const planned = planReceived(set, hooks).filter(event => {
        try {
          this.#emitter.validate(toEmitRequest(event));
          return true;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          this.#logger.warn(
            `Lifecycle: hook ${event.hook.name} did not fire on the received SET ${set.jti} from ${set.iss}: ${error.message}`,
          );
          return false;
        }
      });
      if (!planned.length) continue;
      const now = new Date();
      const identity = subjectIdentity(set.subject);
      const source = receivedSource(set.providerId);
      // One received SET is one cause: claimed once, by its (iss, jti).
      const key = createHash('sha256')
        .update(['received', set.iss, set.jti].join('\n'))
        .digest('hex');
      const claimed = await this.#firings.claim(
        {
          key,
          identity,
          source,
          changes: planned.map(p => p.cause),
          events: planned.length,
          observedAt: set.receivedAt,
        },
        now,
        tx,
      );
      if (!claimed) continue;
      const firings: Array<Omit<HookFiring, 'id'>> = [];
      for (const event of planned) {
        const result = await this.#emitter.emit(toEmitRequest(event), {
          tx,
        });
        firings.push({
          ...(event.hook.id && { hookId: event.hook.id }),
          hookName: event.hook.name,
          identity,
          subject: event.subject,
          change: event.cause,
          eventType: event.eventType,
          txn: event.txn,
          sets: result.sets,
          source,
          observedAt: set.receivedAt,
          firedAt: now,
        });
      }
      await this.#firings.record(key, firings, tx);
      this.#logger.info(
        `Lifecycle: the received SET ${set.jti} from ${set.iss} fired ${planned.length} hook(s) in txn ${planned[0].txn}`,
      );
    }
  }
}
