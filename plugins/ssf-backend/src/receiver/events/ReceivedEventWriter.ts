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

import {
  dedupeKey,
  NewReceivedEvent,
  ReceivedEventStore,
} from './ReceivedEventStore';
import { ReceivedEventConsumers } from './ReceivedEventConsumers';

/** The outcome of storing a SET. @internal */
export interface WriteResult {
  /** The stored event's id; for a duplicate, the id of the first copy when known. */
  id?: string;
  /** False when the (iss, jti) was already stored: a redelivery. */
  inserted: boolean;
}

interface Waiter {
  event: NewReceivedEvent;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 100;

/**
 * Stores SETs with group commit: while one INSERT is in flight, SETs that
 * arrive queue up and go out together in the next one. With one SET at a time
 * that is one INSERT per SET and no added latency; under load it turns N
 * round trips and commits into one, which is what lets a receiver keep up
 * with a busy transmitter. Every caller still learns, before it answers,
 * whether its SET is now durably stored and whether it was new.
 *
 * If a batch fails, its SETs are retried one by one, so one bad row cannot
 * fail the SETs that happened to share its batch.
 *
 * @internal
 */
export class ReceivedEventWriter {
  readonly #store: ReceivedEventStore;
  readonly #consumers?: ReceivedEventConsumers;
  #queue: Waiter[] = [];
  #flushing = false;

  constructor(
    store: ReceivedEventStore,
    /** Run in the transaction that stores a batch, on its new SETs. */
    consumers?: ReceivedEventConsumers,
  ) {
    this.#store = store;
    this.#consumers = consumers;
  }

  write(event: NewReceivedEvent): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ event, resolve, reject });
      if (!this.#flushing) {
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length) {
        const batch = this.#queue.splice(0, MAX_BATCH);
        await this.#flush(batch);
      }
    } finally {
      this.#flushing = false;
    }
  }

  async #flush(batch: Waiter[]): Promise<void> {
    // The same SET twice in one batch (a fast redelivery) goes in once.
    const firsts = new Map<string, Waiter>();
    for (const w of batch) {
      const key = dedupeKey(w.event.iss, w.event.jti);
      if (!firsts.has(key)) firsts.set(key, w);
    }
    let inserted: Map<string, string>;
    try {
      inserted = await this.#insert([...firsts.values()].map(w => w.event));
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      await Promise.all(batch.map(w => this.#flush([w])));
      return;
    }
    for (const w of batch) {
      const key = dedupeKey(w.event.iss, w.event.jti);
      const id = inserted.get(key);
      if (id !== undefined && firsts.get(key) === w) {
        w.resolve({ id, inserted: true });
      } else {
        w.resolve({ id, inserted: false });
      }
    }
  }

  /** Inserts the new SETs and, in the same transaction, runs the consumers on them. */
  async #insert(events: NewReceivedEvent[]): Promise<Map<string, string>> {
    const consumers = this.#consumers;
    if (!consumers?.size) {
      return this.#store.insertNew(events);
    }
    return this.#store.transaction(async tx => {
      const inserted = await this.#store.insertNew(events, tx);
      await consumers.onStored(
        events.flatMap(event => {
          const id = inserted.get(dedupeKey(event.iss, event.jti));
          return id === undefined ? [] : [{ id, event }];
        }),
        tx,
      );
      return inserted;
    });
  }
}
