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

import { Knex } from 'knex';
import { NewReceivedEvent } from './ReceivedEventStore';

/** A received SET just stored, with the id the database gave it. @internal */
export interface StoredReceivedEvent {
  id: string;
  event: NewReceivedEvent;
}

/**
 * Acts on received SETs inside the transaction that stores them: what it
 * writes is committed exactly when the SETs are, and if it throws nothing
 * is stored and the transmitter is answered 5xx (it will push again). Only
 * newly stored SETs are given, never a redelivery, and never the SSF control
 * events (verification, stream-updated), which change the provider instead.
 *
 * The relay (received SETs re-sent to the portal's own streams) and the
 * identity hooks' `event_received` trigger are consumers.
 *
 * @internal
 */
export interface ReceivedEventConsumer {
  /** For logs and errors. */
  name: string;
  onStored(events: StoredReceivedEvent[], tx: Knex.Transaction): Promise<void>;
}

/**
 * The consumers of stored SETs, filled in by the plugin once the concerns
 * they come from are built (the receiver is built first).
 *
 * @internal
 */
export class ReceivedEventConsumers {
  readonly #consumers: ReceivedEventConsumer[] = [];

  add(consumer: ReceivedEventConsumer): void {
    this.#consumers.push(consumer);
  }

  get size(): number {
    return this.#consumers.length;
  }

  /** Runs every consumer, in the order added, in the storing transaction. */
  async onStored(
    events: StoredReceivedEvent[],
    tx: Knex.Transaction,
  ): Promise<void> {
    if (events.length === 0) return;
    for (const consumer of this.#consumers) {
      await consumer.onStored(events, tx);
    }
  }
}
