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
import {
  SSF_EVENT_TYPES,
  SubjectIdentifier,
  subjectSchema,
  validateEventPayload,
} from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { TransmitterConfig } from '../config';
import { StreamRecord, StreamStore } from '../streams/StreamStore';
import { SubjectStore } from '../streams/SubjectStore';
import { parseInput } from '../../http/validation';
import { isConnectionLevelError } from '../../database/connectionErrors';
import {
  StreamSubjectEntry,
  streamWantsSubject,
} from '../streams/subjectMatching';
import { ReceiverProfiles } from '../profiles/ReceiverProfiles';
import { LocalDelivery } from './LocalDelivery';
import { ClaimedSet, NewOutboxEntry, OutboxStore } from './OutboxStore';
import { SetSigner } from '../signing/SetSigner';
import { TransmitterMetrics } from '../metrics';

/** An event to send to every stream that wants it. @internal */
export interface EmitRequest {
  type: string;
  subject: SubjectIdentifier;
  payload: Record<string, unknown>;
  /** Ties together SETs from one cause; made up when absent. */
  txn?: string;
  /**
   * Top-level claims beside the standard ones (the relay's `relayed_from`);
   * never replaces a standard claim.
   */
  extensionClaims?: Record<string, unknown>;
  /**
   * Skip every stream whose outbox already holds a SET of this type with
   * this `txn`, or that an earlier event of the same `emitAll` gives one
   * (the relay's loop guard). Exact inside the caller's transaction, which
   * sees its own earlier SETs.
   */
  oncePerStream?: boolean;
}

/** The SETs an emit produced, one per stream. @internal */
export interface EmitResult {
  txn: string;
  sets: Array<{ streamId: string; jti: string }>;
}

/** The SETs of an emit as the HTTP API names them. @internal */
export function toWireSets(sets: EmitResult['sets']) {
  return sets.map(s => ({ stream_id: s.streamId, jti: s.jti }));
}

// At most this many queued emits share one transaction.
const MAX_GROUP_COMMIT = 250;

/** One SET's (txn, event type, stream), as `oncePerStream` compares them. */
const sentKey = (txn: string, eventType: string, streamId: string) =>
  JSON.stringify([txn, eventType, streamId]);

type PreparedEmit = EmitRequest & { txn: string };
type PlannedEntry = NewOutboxEntry & {
  request: number;
  subject: SubjectIdentifier;
};

/** A SET just written to the outbox, as the store listeners see it. @internal */
export interface StoredSet {
  jti: string;
  streamId: string;
  eventType: string;
  /** The event's subject; absent for stream events (verification, stream-updated). */
  subject?: SubjectIdentifier;
}

/**
 * Runs in the transaction that writes SETs to the outbox, after the write:
 * what it writes is committed exactly with them (the people index is one).
 *
 * @internal
 */
export type StoredSetListener = (
  sets: StoredSet[],
  storedAt: Date,
  tx: Knex.Transaction,
) => Promise<void>;

function toResults(
  requests: PreparedEmit[],
  entries: PlannedEntry[],
): EmitResult[] {
  return requests.map((request, index) => ({
    txn: request.txn,
    sets: entries
      .filter(e => e.request === index)
      .map(e => ({ streamId: e.streamId, jti: e.jti })),
  }));
}

/**
 * Turns events into signed SETs in the outbox, inside the caller's
 * transaction when it has one, so a SET exists exactly when the change that
 * caused it was committed. After the commit it wakes the local deliverers.
 *
 * @internal
 */
export class TransmitterEmitter {
  readonly #knex: Knex;
  readonly #streams: StreamStore;
  readonly #subjects: SubjectStore;
  readonly #outbox: OutboxStore;
  readonly #signer: SetSigner;
  readonly #config: TransmitterConfig;
  readonly #profiles: ReceiverProfiles;
  readonly #onCommitted: (streamIds: string[]) => void;
  readonly #local?: LocalDelivery;
  readonly #metrics?: TransmitterMetrics;
  readonly #now: () => Date;
  readonly #queue: Array<{
    request: PreparedEmit;
    resolve: (result: EmitResult) => void;
    reject: (error: unknown) => void;
  }> = [];
  #draining = false;
  readonly #storeListeners: StoredSetListener[] = [];

  constructor(options: {
    knex: Knex;
    streams: StreamStore;
    subjects: SubjectStore;
    outbox: OutboxStore;
    signer: SetSigner;
    config: TransmitterConfig;
    /** Shape each stream's SETs for its kind of receiver. */
    profiles: ReceiverProfiles;
    /**
     * Called after the SETs are committed, with the streams that got one
     * that was not handed to `localDelivery`.
     */
    onCommitted: (streamIds: string[]) => void;
    /** This instance's push worker, which takes SETs it has room for. */
    localDelivery?: LocalDelivery;
    metrics?: TransmitterMetrics;
    now?: () => Date;
  }) {
    this.#knex = options.knex;
    this.#streams = options.streams;
    this.#subjects = options.subjects;
    this.#outbox = options.outbox;
    this.#signer = options.signer;
    this.#config = options.config;
    this.#profiles = options.profiles;
    this.#onCommitted = options.onCommitted;
    this.#local = options.localDelivery;
    this.#metrics = options.metrics;
    this.#now = options.now ?? (() => new Date());
  }

  /**
   * Adds a listener run in every transaction that writes SETs, after the
   * write (see {@link StoredSetListener}); if it throws, the emit fails and
   * nothing is stored.
   */
  onStored(listener: StoredSetListener): void {
    this.#storeListeners.push(listener);
  }

  /**
   * Validates an event and stores one SET for every enabled or paused stream
   * that delivers its type and wants its subject (SSF §8.1.3.1). Disabled
   * streams get nothing. An invalid event is refused here, never later.
   *
   * Inside a caller's transaction the SETs are part of it. Otherwise emits
   * that arrive together are committed together (group commit): the promise
   * still resolves only once its SETs are durable, but a burst of events
   * costs one transaction rather than one each.
   */
  async emit(
    request: EmitRequest,
    options: { tx?: Knex.Transaction } = {},
  ): Promise<EmitResult> {
    if (options.tx) {
      return (await this.emitAll([request], { tx: options.tx }))[0];
    }
    this.validate(request);
    const prepared = { ...request, txn: request.txn ?? randomUUID() };
    return new Promise<EmitResult>((resolve, reject) => {
      this.#queue.push({ request: prepared, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  /**
   * `emit` for several events in the caller's transaction, planned and
   * stored together: one read of the streams and subjects, the SETs signed
   * in parallel, one insert (the relay emits a batch of received SETs so).
   * One invalid event refuses them all.
   */
  async emitAll(
    requests: EmitRequest[],
    options: { tx: Knex.Transaction },
  ): Promise<EmitResult[]> {
    for (const request of requests) this.validate(request);
    const prepared = requests.map(r => ({ ...r, txn: r.txn ?? randomUUID() }));
    // Planned inside the caller's transaction, so the streams it read are
    // the ones the SETs are stored for.
    const { entries, streams } = await this.#plan(prepared, options.tx);
    await this.#store(entries, streams, options.tx);
    return toResults(prepared, entries);
  }

  async #drain() {
    try {
      while (this.#queue.length > 0) {
        const group = this.#queue.splice(0, MAX_GROUP_COMMIT);
        try {
          const results = await this.#emitGroup(group.map(g => g.request));
          group.forEach((g, i) => g.resolve(results[i]));
        } catch (error) {
          for (const g of group) g.reject(error);
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #emitGroup(requests: PreparedEmit[]): Promise<EmitResult[]> {
    // A pooled PostgreSQL connection whose backend was terminated (a
    // restart, a failover, an idle-connection reaper) is handed out until
    // the pool notices; an emit that draws one fails on its first statement.
    // The whole emit runs again on another connection then, but only
    // when the failure came before COMMIT was sent: after it, the SETs may
    // be stored, and storing them again would send them twice.
    let committing = false;
    const attempt = async () => {
      // Targets are chosen and SETs signed before the transaction opens, so
      // the database is held only for the writes.
      const { entries: planned } = await this.#plan(requests);
      return this.#knex.transaction(async tx => {
        // A stream deleted or disabled meanwhile gets nothing.
        const live = (await this.#streams.list({}, tx)).filter(
          s => s.status !== 'disabled',
        );
        const liveIds = new Set(live.map(s => s.streamId));
        const entries = planned.filter(e => liveIds.has(e.streamId));
        await this.#store(entries, live, tx);
        committing = true;
        return toResults(requests, entries);
      });
    };
    // Each dead connection a failed attempt drew is disposed of by the pool,
    // but several may be idle at once (every one the pool held when the
    // database dropped them): try again once per connection the pool can
    // hold, never more.
    const maxAttempts = 1 + poolSize(this.#knex);
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (committing || n >= maxAttempts || !isConnectionLevelError(error)) {
          throw error;
        }
      }
    }
  }

  /**
   * The signed SETs a set of events gives, each tagged with its event, and
   * the streams (all but disabled ones) they were chosen from.
   */
  async #plan(
    requests: PreparedEmit[],
    tx?: Knex.Transaction,
  ): Promise<{ entries: PlannedEntry[]; streams: StreamRecord[] }> {
    const streams = (await this.#streams.list({}, tx)).filter(
      s => s.status !== 'disabled',
    );
    const subjects = await this.#subjects.listByStream(
      streams.map(s => s.streamId),
      tx,
    );
    const sent = await this.#alreadySent(requests, tx);
    const planned = await Promise.all(
      requests.map(async (request, index) => {
        let targets = this.#targets(streams, subjects, request);
        if (request.oncePerStream) {
          // Synchronous, before any await: of two events with one txn and
          // type, the first in the group takes the stream.
          targets = targets.filter(s => {
            const key = sentKey(request.txn, request.type, s.streamId);
            if (sent.has(key)) return false;
            sent.add(key);
            return true;
          });
        }
        const entries = await this.#sign(
          targets,
          request.type,
          request.subject,
          request.payload,
          request.txn,
          request.extensionClaims,
        );
        return entries.map(e => ({
          ...e,
          request: index,
          subject: request.subject,
        }));
      }),
    );
    return { entries: planned.flat(), streams };
  }

  /** (txn, type, stream) of the stored SETs the `oncePerStream` events name. */
  async #alreadySent(
    requests: PreparedEmit[],
    tx?: Knex.Transaction,
  ): Promise<Set<string>> {
    const txns = [
      ...new Set(requests.filter(r => r.oncePerStream).map(r => r.txn)),
    ];
    const rows = await this.#outbox.sentWithTxns(txns, tx);
    return new Set(rows.map(r => sentKey(r.txn, r.eventType, r.streamId)));
  }

  /**
   * The streams an event would go to now, without emitting it (for dry runs).
   */
  async targetStreams(
    request: Pick<EmitRequest, 'type' | 'subject'>,
  ): Promise<string[]> {
    const streams = (await this.#streams.list()).filter(
      s => s.status !== 'disabled',
    );
    const subjects = await this.#subjects.listByStream(
      streams.map(s => s.streamId),
    );
    return this.#targets(streams, subjects, request).map(s => s.streamId);
  }

  // SSF §8.1.3.1: a stream gets an event it subscribed to about a subject it wants.
  #targets(
    streams: StreamRecord[],
    subjects: Map<string, StreamSubjectEntry[]>,
    request: Pick<EmitRequest, 'type' | 'subject'>,
  ): StreamRecord[] {
    return streams.filter(
      s =>
        s.eventsRequested.includes(request.type) &&
        this.#profiles
          .eventsSupported(s, this.#config.eventsSupported)
          .includes(request.type) &&
        streamWantsSubject(
          this.#config.defaultSubjects,
          subjects.get(s.streamId) ?? [],
          request.subject,
        ),
    );
  }

  /**
   * Stores one SET for one stream whatever it subscribed to: verification
   * and stream-updated events (SSF §8.1.4-5), whose subject is the stream.
   * A stream whose receiver profile takes no stream events gets nothing
   * (undefined).
   */
  async emitToStream(
    stream: StreamRecord,
    type:
      | typeof SSF_EVENT_TYPES.verification
      | typeof SSF_EVENT_TYPES.streamUpdated,
    payload: Record<string, unknown>,
    options: { tx?: Knex.Transaction; control?: boolean } = {},
  ): Promise<string | undefined> {
    if (this.#profiles.forStream(stream).acceptsStreamEvents === false) {
      return undefined;
    }
    const problems = validateEventPayload(type, payload);
    if (problems.length) {
      throw new InputError(`Invalid ${type} payload: ${problems.join('; ')}`);
    }
    const subject: SubjectIdentifier = {
      format: 'opaque',
      id: stream.streamId,
    };
    const [entry] = await this.#sign(
      [stream],
      type,
      subject,
      payload,
      randomUUID(),
    );
    entry.control = options.control;
    await this.#inTransaction(options.tx, tx =>
      this.#store([entry], [stream], tx),
    );
    return entry.jti;
  }

  /** Refuses an event that could never be delivered as asked. */
  validate(request: EmitRequest) {
    if (!this.#config.eventsSupported.includes(request.type)) {
      throw new InputError(
        `Event type '${request.type}' is not supported by this transmitter (ssf.transmitter.eventsSupported)`,
      );
    }
    parseInput(subjectSchema, request.subject, 'event subject');
    const problems = validateEventPayload(request.type, request.payload);
    if (problems.length) {
      throw new InputError(
        `Invalid ${request.type} payload: ${problems.join('; ')}`,
      );
    }
  }

  async #sign(
    streams: StreamRecord[],
    eventType: string,
    subject: SubjectIdentifier,
    payload: Record<string, unknown>,
    txn: string,
    extensionClaims?: Record<string, unknown>,
  ): Promise<NewOutboxEntry[]> {
    return Promise.all(
      streams.map(async stream => {
        const { jti, jws } = await this.#signer.sign({
          iss: stream.iss,
          aud: stream.aud,
          txn,
          subject,
          eventType,
          payload,
          extensionClaims,
          shape: this.#profiles.forStream(stream).shapeSet,
        });
        return { jti, streamId: stream.streamId, eventType, txn, setJws: jws };
      }),
    );
  }

  async #store(
    entries: Array<NewOutboxEntry & { subject?: SubjectIdentifier }>,
    streams: StreamRecord[],
    tx: Knex.Transaction,
  ) {
    const now = this.#now();
    // Inside a nested transaction the rows are not durable when it ends, so
    // nothing is handed over before the outer one commits: the worker claims
    // those SETs as usual.
    const handOver = tx.parentTransaction
      ? new Map<string, ClaimedSet[]>()
      : this.#leaseLocally(entries, streams, now);
    const unleased = [
      ...new Set(entries.filter(e => !e.lease).map(e => e.streamId)),
    ];
    // Settled once: on commit the worker takes its SETs; on rollback, or on
    // a write that failed even if the caller commits anyway, it gets its
    // room back. Registered before the writes so that it always runs.
    let settled = false;
    const settle = (committed: boolean) => {
      if (settled) return;
      settled = true;
      for (const [streamId, sets] of handOver) {
        if (committed) this.#local!.accept(streamId, sets);
        else this.#local!.cancel(streamId, sets.length);
      }
      if (committed && unleased.length) this.#onCommitted(unleased);
      if (committed) this.#metrics?.emitted(entries);
    };
    tx.executionPromise.then(
      () => settle(true),
      () => settle(false),
    );
    try {
      await this.#outbox.insert(entries, now, tx);
      for (const listener of this.#storeListeners) {
        await listener(
          entries.map(e => ({
            jti: e.jti,
            streamId: e.streamId,
            eventType: e.eventType,
            subject: e.subject,
          })),
          now,
          tx,
        );
      }
      const touched = new Set(entries.map(e => e.streamId));
      for (const stream of streams) {
        if (stream.status === 'paused' && touched.has(stream.streamId)) {
          const dropped = await this.#outbox.enforceHoldLimit(
            stream.streamId,
            this.#config.delivery.pausedHoldLimit,
            now,
            tx,
          );
          // Counted before the commit; a rolled-back emit is rare enough.
          this.#metrics?.dropped(dropped, 'hold_limit', stream.streamId);
        }
      }
    } catch (error) {
      settle(false);
      throw error;
    }
  }

  /**
   * Leases to this instance the SETs its push worker has room for, marking
   * the entries; returns them per stream, as the worker will take them.
   */
  #leaseLocally(
    entries: NewOutboxEntry[],
    streams: StreamRecord[],
    now: Date,
  ): Map<string, ClaimedSet[]> {
    const handOver = new Map<string, ClaimedSet[]>();
    const local = this.#local;
    if (!local || entries.length === 0) return handOver;
    const until = new Date(now.getTime() + local.leaseDurationMs);
    const byStream = new Map<string, NewOutboxEntry[]>();
    for (const entry of entries) {
      const list = byStream.get(entry.streamId);
      if (list) list.push(entry);
      else byStream.set(entry.streamId, [entry]);
    }
    for (const stream of streams) {
      const mine = byStream.get(stream.streamId) ?? [];
      const taken = mine.length ? local.reserve(stream, mine.length) : 0;
      if (taken === 0) continue;
      handOver.set(
        stream.streamId,
        mine.slice(0, taken).map(entry => {
          entry.lease = { owner: local.owner, until };
          return {
            jti: entry.jti,
            streamId: entry.streamId,
            eventType: entry.eventType,
            setJws: entry.setJws,
            attempts: 1,
            leaseUntil: until,
            createdAt: now,
          };
        }),
      );
    }
    return handOver;
  }

  #inTransaction<T>(
    tx: Knex.Transaction | undefined,
    fn: (tx: Knex.Transaction) => Promise<T>,
  ): Promise<T> {
    return tx ? fn(tx) : this.#knex.transaction(fn);
  }
}

/** How many connections the knex pool holds at most (knex's default: 10). */
function poolSize(knex: Knex): number {
  const max = (knex.client as { pool?: { max?: number } }).pool?.max;
  return typeof max === 'number' && max > 0 ? Math.min(max, 50) : 10;
}
