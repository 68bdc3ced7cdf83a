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
  DeliveryMethod,
  DELIVERY_METHODS,
  SSF_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { ReceivedEventDispatcher } from '../events/ReceivedEventDispatcher';
import {
  NewReceivedEvent,
  ReceivedEventStore,
} from '../events/ReceivedEventStore';
import {
  ReceivedEventWriter,
  WriteResult,
} from '../events/ReceivedEventWriter';
import { ProviderLookup } from '../providers/ProviderLookup';
import {
  ProviderRecord,
  ProviderStatePatch,
  ProviderStore,
} from '../providers/ProviderStore';
import { SetError } from './SetError';
import { SetVerifier, VerifiedSet } from './SetVerifier';
import { ReceivedEventHistory } from '../events/ReceivedEventHistory';
import { SsfSignals } from '../../signals/SsfSignals';

const STREAM_STATUSES = ['enabled', 'paused', 'disabled'];

/**
 * The receive pipeline shared by push and poll: verify, store once per
 * (iss, jti), record SSF control events on the provider, then hand new
 * events to the dispatcher. A redelivered SET resolves like a new one (the
 * transmitter gets its 202 again) but is neither stored nor handled twice.
 *
 * @internal
 */
export class IngestionService {
  readonly #verifier: SetVerifier;
  readonly #writer: ReceivedEventWriter;
  readonly #events: ReceivedEventStore;
  readonly #providers: ProviderStore;
  readonly #lookup: ProviderLookup;
  readonly #dispatcher: ReceivedEventDispatcher;
  readonly #now: () => Date;
  readonly #history?: ReceivedEventHistory;
  readonly #signals?: SsfSignals;

  constructor(options: {
    verifier: SetVerifier;
    writer: ReceivedEventWriter;
    events: ReceivedEventStore;
    providers: ProviderStore;
    lookup: ProviderLookup;
    dispatcher: ReceivedEventDispatcher;
    now?: () => Date;
    /** Counts refused SETs per provider (the admin chart). */
    history?: ReceivedEventHistory;
    /** Tells the admin pages when a provider's SETs are stored. */
    signals?: SsfSignals;
  }) {
    this.#verifier = options.verifier;
    this.#writer = options.writer;
    this.#events = options.events;
    this.#providers = options.providers;
    this.#lookup = options.lookup;
    this.#dispatcher = options.dispatcher;
    this.#now = options.now ?? (() => new Date());
    this.#history = options.history;
    this.#signals = options.signals;
  }

  async ingest(
    token: string,
    options: {
      deliveryMethod: DeliveryMethod;
      authorization?: string;
      provider?: ProviderRecord;
    },
  ): Promise<WriteResult & { providerId: string }> {
    const found = { providerId: options.provider?.id };
    try {
      const result = await this.#ingest(token, options, found);
      if (result.inserted) this.#signals?.receivedStored(result.providerId);
      return result;
    } catch (error) {
      const providerId =
        error instanceof SetError
          ? error.providerId ?? found.providerId
          : undefined;
      if (
        error instanceof SetError &&
        providerId &&
        this.#history &&
        // A flood of 429s must not become a flood of database writes; the
        // ssf.receiver.sets.received metric counts them in memory.
        error.err !== 'rate_limited'
      ) {
        // Best effort: a refusal the chart misses must not change the answer.
        await this.#history
          .recordRejected(providerId, error.err, this.#now())
          .catch(() => undefined);
      }
      throw error;
    }
  }

  async #ingest(
    token: string,
    options: {
      deliveryMethod: DeliveryMethod;
      authorization?: string;
      provider?: ProviderRecord;
    },
    found: { providerId?: string },
  ): Promise<WriteResult & { providerId: string }> {
    const set = await this.#verifier.verify(token, options);
    // A refusal after verification (a wrong verification state) is this
    // provider's too.
    found.providerId = set.provider.id;
    const event: NewReceivedEvent = {
      providerId: set.provider.id,
      iss: set.iss,
      jti: set.jti,
      eventType: set.eventTypes[0],
      eventTypes: set.eventTypes,
      subject: set.subject,
      txn: set.txn,
      issuedAt: set.issuedAt,
      receivedAt: this.#now(),
      deliveryMethod: options.deliveryMethod,
      claims: set.claims,
      token,
    };

    const patch = await this.#controlPatch(set, event.receivedAt);
    const result = patch
      ? await this.#storeWithPatch(event, set.provider.id, patch)
      : await this.#writer.write(event);

    if (result.inserted && result.id !== undefined) {
      this.#dispatcher.dispatch({
        id: result.id,
        providerId: set.provider.id,
        providerName: set.provider.name,
        iss: set.iss,
        jti: set.jti,
        eventTypes: set.eventTypes,
        events: set.events,
        claims: set.claims,
        subId: set.subId,
        txn: set.txn,
        issuedAt: set.issuedAt,
        receivedAt: event.receivedAt,
        deliveryMethod:
          options.deliveryMethod === DELIVERY_METHODS.poll ? 'poll' : 'push',
      });
    }
    return { ...result, providerId: set.provider.id };
  }

  /**
   * What a verification or stream-updated SET changes on its provider
   * (SSF 1.0 §8.1.4, §8.1.5), checking a verification's `state` against the
   * one we sent.
   */
  async #controlPatch(
    set: VerifiedSet,
    receivedAt: Date,
  ): Promise<ProviderStatePatch | undefined> {
    const verification = set.events[SSF_EVENT_TYPES.verification];
    if (verification) {
      const state = verification.state;
      if (state !== undefined) {
        // Read the provider afresh: the cached copy may predate our request.
        const current = await this.#providers.get(set.provider.id);
        if (
          typeof state !== 'string' ||
          !current?.verificationState ||
          current.verificationState !== state
        ) {
          throw new SetError(
            'invalid_state',
            'The verification event carries a state this receiver did not issue',
          );
        }
      }
      return { lastVerifiedAt: receivedAt };
    }
    const updated = set.events[SSF_EVENT_TYPES.streamUpdated];
    if (updated && typeof updated.status === 'string') {
      return {
        remoteStreamStatus: STREAM_STATUSES.includes(updated.status)
          ? updated.status
          : updated.status.slice(0, 16),
        remoteStreamReason:
          typeof updated.reason === 'string' ? updated.reason : undefined,
        remoteStreamUpdatedAt: set.issuedAt,
      };
    }
    return undefined;
  }

  async #storeWithPatch(
    event: NewReceivedEvent,
    providerId: string,
    patch: ProviderStatePatch,
  ): Promise<WriteResult> {
    const result = await this.#providers.transaction(async tx => {
      const inserted = await this.#events.insertNew([event], tx);
      const id = [...inserted.values()][0];
      if (id !== undefined) {
        await this.#providers.patchState(providerId, patch, tx);
      }
      return { id, inserted: id !== undefined };
    });
    if (result.inserted) {
      this.#lookup.invalidate(event.iss);
    }
    return result;
  }
}
