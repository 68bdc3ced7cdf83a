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
import { isError } from '@backstage/errors';
import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import {
  eventsOf,
  ReceivedEventConsumer,
  setSubject,
  StoredReceivedEvent,
} from '../receiver';
import type { EmitRequest, TransmitterEmitter } from '../transmitter';
import { RelayRuleStore } from './RelayRuleStore';

/**
 * The extension claim that names where a relayed SET came from:
 * `{ iss, jti, provider_id }` of the received SET. Receivers that do not
 * know it ignore it (RFC 8417 §2.2 lets a SET carry further claims).
 *
 * @internal
 */
export const RELAYED_FROM_CLAIM = 'relayed_from';

// What the outbox and the receiver keep of a txn; a longer trace id could
// not be stored whole, so such a SET is not relayed.
const MAX_TXN_LENGTH = 256;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Re-sends received SETs to the portal's own streams, in the transaction
 * that stores them: for each newly stored SET from a provider whose relay
 * rule covers its event type, the same event (type, payload, subject) as a
 * SET of ours, with the received `txn` (or its `jti` when it had none) and
 * the {@link RELAYED_FROM_CLAIM} claim. A batch's events are emitted
 * together; the emitter applies subject matching, stream status and
 * receiver profiles as for any SET.
 *
 * Never a loop: a SET is relayed one hop only (one that carries
 * {@link RELAYED_FROM_CLAIM}, i.e. a portal relayed it already, is not
 * relayed again), a SET whose `iss` is our own transmitter's is not relayed,
 * and no stream gets a second SET of one type and txn (`oncePerStream`, for
 * peers that relay without the claim), so two portals relaying to each
 * other settle after one hop. A SET that cannot be relayed as it is (its subject or payload is
 * not one the transmitter can send) is skipped with a warning, never failing
 * the push that brought it; a database error does fail it, to be retried.
 *
 * @internal
 */
export class RelayConsumer implements ReceivedEventConsumer {
  readonly name = 'relay';
  readonly #rules: RelayRuleStore;
  readonly #emitter: Pick<TransmitterEmitter, 'emitAll' | 'validate'>;
  readonly #ownIssuer: string;
  readonly #logger: LoggerService;

  constructor(options: {
    rules: RelayRuleStore;
    emitter: Pick<TransmitterEmitter, 'emitAll' | 'validate'>;
    /** Our transmitter's issuer: SETs claiming it are never relayed. */
    ownIssuer: string;
    logger: LoggerService;
  }) {
    this.#rules = options.rules;
    this.#emitter = options.emitter;
    this.#ownIssuer = options.ownIssuer;
    this.#logger = options.logger;
  }

  async onStored(
    events: StoredReceivedEvent[],
    tx: Knex.Transaction,
  ): Promise<void> {
    const candidates = events.filter(
      ({ event }) =>
        event.providerId !== undefined &&
        event.iss !== this.#ownIssuer &&
        // Relayed already by a portal: a signal is relayed one hop only.
        !(RELAYED_FROM_CLAIM in event.claims),
    );
    if (candidates.length === 0) return;
    const rules = await this.#rules.forProviders(
      [...new Set(candidates.map(({ event }) => event.providerId!))],
      tx,
    );
    if (rules.size === 0) return;
    const requests = candidates.flatMap(stored => {
      const rule = rules.get(stored.event.providerId!);
      return (rule ? stored.event.eventTypes : [])
        .filter(type => rule!.eventTypes.includes(type))
        .flatMap(type => this.#request(stored, type) ?? []);
    });
    // One emit for the batch: the streams read once, the SETs signed in
    // parallel and stored in one insert.
    if (requests.length) await this.#emitter.emitAll(requests, { tx });
  }

  /** The emit relaying one event of a stored SET, or undefined to skip it. */
  #request(
    { id, event }: StoredReceivedEvent,
    type: string,
  ): EmitRequest | undefined {
    const events = eventsOf(event.claims);
    const payload = events[type];
    const subject = setSubject(event.claims, events)?.subId;
    const txn = event.txn ?? event.jti;
    const skip = (why: string) => {
      this.#logger.warn(
        `Received SET ${id} (provider ${event.providerId}) is not relayed: ${why}`,
      );
      return undefined;
    };
    if (!isObject(payload) || !subject) {
      return skip('it has no event payload or no subject');
    }
    if (txn.length > MAX_TXN_LENGTH) {
      return skip(`its txn is longer than ${MAX_TXN_LENGTH} characters`);
    }
    const request: EmitRequest = {
      type,
      subject: subject as unknown as SubjectIdentifier,
      payload,
      txn,
      extensionClaims: {
        [RELAYED_FROM_CLAIM]: {
          iss: event.iss,
          jti: event.jti,
          provider_id: event.providerId,
        },
      },
      oncePerStream: true,
    };
    try {
      this.#emitter.validate(request);
    } catch (error) {
      return skip(isError(error) ? error.message : String(error));
    }
    return request;
  }
}
