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
import type { ReceivedEventConsumer, StoredReceivedEvent } from '../receiver';
import { subjectOfClaims } from '../receiver';
import type { StoredSet } from '../transmitter';
import type { AffectedPeopleNotifier } from './AffectedPeopleNotifier';
import { identifiersNamedBy, personKey } from './identifiers';
import { reasonOf } from './reasons';
import { SubjectIndexStore } from './SubjectIndexStore';

/**
 * Writes the people index as SETs are stored, in their transaction: a
 * received SET's principal subject (the receiver's reading of `sub_id` or
 * the event's `subject`), and a sent SET's subject, by the keys of the email
 * and iss_sub identifiers they name. Once a received SET is committed, the
 * people it names are told when that is configured (see
 * {@link AffectedPeopleNotifier}).
 *
 * @internal
 */
export class PeopleIndexer implements ReceivedEventConsumer {
  readonly name = 'people';
  readonly #store: SubjectIndexStore;
  readonly #notifier?: AffectedPeopleNotifier;

  constructor(options: {
    store: SubjectIndexStore;
    notifier?: AffectedPeopleNotifier;
  }) {
    this.#store = options.store;
    this.#notifier = options.notifier;
  }

  async onStored(
    events: StoredReceivedEvent[],
    tx: Knex.Transaction,
  ): Promise<void> {
    const named = events.flatMap(({ id, event }) => {
      const subject = subjectOfClaims(event.claims);
      const identifiers = subject ? identifiersNamedBy(subject.subId) : [];
      return identifiers.length ? [{ id, event, identifiers }] : [];
    });
    if (!named.length) return;
    await this.#store.addReceived(
      named.map(({ id, event, identifiers }) => ({
        ref: id,
        keys: identifiers.map(personKey),
        at: event.receivedAt,
      })),
      tx,
    );
    const notifier = this.#notifier;
    if (!notifier) return;
    const told = named.filter(n => notifier.tells(n.event.eventType));
    if (!told.length) return;
    // Told only once the SET is committed: a rolled-back push is retried
    // by the provider and told then.
    tx.executionPromise.then(
      () =>
        notifier.notify(
          told.map(({ id, event, identifiers }) => ({
            eventId: id,
            providerId: event.providerId,
            eventType: event.eventType,
            reason: reasonOf(event.claims.events, event.eventType),
            identifiers,
          })),
        ),
      () => undefined,
    );
  }

  /** The emitter's store listener: indexes the SETs it writes. */
  readonly onSetsStored = async (
    sets: StoredSet[],
    storedAt: Date,
    tx: Knex.Transaction,
  ): Promise<void> => {
    // One emit gives a SET per stream with the same subject object: its
    // keys are worked out once.
    const keysOf = new Map<object, string[]>();
    const entries = sets.flatMap(set => {
      if (!set.subject) return [];
      let keys = keysOf.get(set.subject);
      if (!keys) {
        keys = identifiersNamedBy(set.subject).map(personKey);
        keysOf.set(set.subject, keys);
      }
      return keys.length ? [{ ref: set.jti, keys, at: storedAt }] : [];
    });
    if (entries.length) await this.#store.addSent(entries, tx);
  };
}
