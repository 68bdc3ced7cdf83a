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
import { toDate } from '../../database/dates';

const TABLE = 'ssf_outbox';

/** Where a SET is in its life. @internal */
export type OutboxState = 'pending' | 'delivered' | 'dead' | 'dropped';

/**
 * What a change did to a stream's SETs: queued, a push failed and will be
 * retried, delivered, dead-lettered, dropped, or sent again.
 *
 * @internal
 */
export interface OutboxChange {
  streamId: string;
  change:
    | 'queued'
    | 'failed'
    | 'delivered'
    | 'dead'
    | 'dropped'
    | 'redelivered';
  count: number;
}

/**
 * Told of every change to SETs' state, after the change and in its
 * transaction when it has one (the chart counters and the admin pages'
 * signals hang off it).
 *
 * @internal
 */
export type OutboxObserver = (
  changes: OutboxChange[],
  now: Date,
  tx?: Knex.Transaction,
) => Promise<void>;

/** A SET to be stored for delivery. @internal */
export interface NewOutboxEntry {
  jti: string;
  streamId: string;
  eventType: string;
  txn: string;
  setJws: string;
  /** Delivered whatever the stream's status (stream-updated notices). */
  control?: boolean;
  /**
   * Stored already claimed by this instance, which pushes it as soon as the
   * transaction commits (see LocalDelivery); counts as its first attempt.
   */
  lease?: { owner: string; until: Date };
}

/** A SET claimed for delivery. @internal */
export interface ClaimedSet {
  jti: string;
  streamId: string;
  eventType: string;
  setJws: string;
  /** Attempts including the one just claimed. */
  attempts: number;
  /** When this instance's lease on it runs out. */
  leaseUntil: Date;
  /** When it was emitted (the push latency metric runs from here). */
  createdAt: Date;
}

/** A SET as the admin views show it. @internal */
export interface OutboxEntry {
  jti: string;
  streamId: string;
  eventType: string;
  txn: string;
  setJws: string;
  state: OutboxState;
  control: boolean;
  attempts: number;
  nextAttemptAt: Date;
  lastError?: string;
  lastErrorAt?: Date;
  createdAt: Date;
  deliveredAt?: Date;
}

/** Delivery figures for one stream. @internal */
export interface StreamDeliveryStats {
  pending: number;
  delivered: number;
  dead: number;
  dropped: number;
  lastError?: { message: string; at: Date };
  lastDeliveredAt?: Date;
}

/**
 * The transactional outbox. A SET row is written in the same transaction as
 * the change that caused it; workers then claim rows under a lease, so that
 * replicas sharing the database never work on one SET at the same time, and a
 * SET whose worker died is picked up again once its lease runs out.
 *
 * Claiming is one `UPDATE … WHERE jti IN (SELECT … LIMIT n) RETURNING`. On
 * PostgreSQL the inner select takes `FOR UPDATE SKIP LOCKED`, so concurrent
 * claimers skip each other's rows instead of queueing behind them. SQLite
 * has a single writer and runs the statement atomically, which gives the
 * same guarantee.
 *
 * A paused stream's SETs simply stay `pending`: the store does not read
 * stream status, its callers (DeliveryWorker, PollService) claim a stream
 * that is not enabled with `controlOnly`, so resuming a stream resumes
 * delivery.
 *
 * @internal
 */
export class OutboxStore {
  readonly #knex: Knex;
  readonly #isPostgres: boolean;
  readonly #observer?: OutboxObserver;

  constructor(knex: Knex, options: { observer?: OutboxObserver } = {}) {
    this.#knex = knex;
    this.#isPostgres = knex.client.config.client === 'pg';
    this.#observer = options.observer;
  }

  /** Tells the observer what changed, per stream. */
  async #changed(
    change: OutboxChange['change'],
    streamIds: string[],
    now: Date,
    tx?: Knex.Transaction,
  ) {
    if (!this.#observer || streamIds.length === 0) return;
    const counts = new Map<string, number>();
    for (const id of streamIds) counts.set(id, (counts.get(id) ?? 0) + 1);
    await this.#observer(
      [...counts].map(([streamId, count]) => ({ streamId, change, count })),
      now,
      tx,
    );
  }

  /** `#changed` for the rows an `UPDATE … RETURNING stream_id` changed. */
  #changedRows(
    change: OutboxChange['change'],
    rows: Array<{ stream_id: string }>,
    now: Date,
    tx?: Knex.Transaction,
  ) {
    return this.#changed(
      change,
      rows.map(r => r.stream_id),
      now,
      tx,
    );
  }

  async insert(entries: NewOutboxEntry[], now: Date, tx?: Knex.Transaction) {
    if (entries.length === 0) return;
    await (tx ?? this.#knex).batchInsert(
      TABLE,
      entries.map(e => ({
        jti: e.jti,
        stream_id: e.streamId,
        event_type: e.eventType,
        txn: e.txn,
        set_jws: e.setJws,
        state: 'pending',
        control: e.control ?? false,
        attempts: e.lease ? 1 : 0,
        lease_owner: e.lease?.owner ?? null,
        lease_expires_at: e.lease?.until ?? null,
        next_attempt_at: now,
        created_at: now,
      })),
      200,
    );
    await this.#changed(
      'queued',
      entries.map(e => e.streamId),
      now,
      tx,
    );
  }

  /**
   * Claims up to `limit` due SETs of one stream for `owner` until
   * `leaseUntil`. With `controlOnly` (a paused or disabled stream) only
   * control SETs are due.
   */
  async claim(options: {
    streamId: string;
    owner: string;
    now: Date;
    leaseUntil: Date;
    limit: number;
    controlOnly: boolean;
    /** Poll claims do not count as push attempts. */
    countAttempt: boolean;
  }): Promise<ClaimedSet[]> {
    const {
      streamId,
      owner,
      now,
      leaseUntil,
      limit,
      controlOnly,
      countAttempt,
    } = options;
    const due = this.#knex(TABLE)
      .select('jti')
      .where({ stream_id: streamId, state: 'pending' })
      .andWhere('next_attempt_at', '<=', now)
      .andWhere(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .orderBy('created_at')
      .orderBy('jti')
      .limit(limit);
    if (controlOnly) {
      due.andWhere('control', true);
    }
    if (this.#isPostgres) {
      due.forUpdate().skipLocked();
    }
    const rows = await this.#knex(TABLE)
      .whereIn('jti', due)
      .update({
        lease_owner: owner,
        lease_expires_at: leaseUntil,
        ...(countAttempt && { attempts: this.#knex.raw('attempts + 1') }),
      })
      .returning([
        'jti',
        'stream_id',
        'event_type',
        'set_jws',
        'attempts',
        'created_at',
      ]);
    return (rows as any[])
      .sort(
        (a, b) =>
          toDate(a.created_at).getTime() - toDate(b.created_at).getTime(),
      )
      .map(r => ({
        jti: r.jti,
        streamId: r.stream_id,
        eventType: r.event_type,
        setJws: r.set_jws,
        attempts: Number(r.attempts),
        leaseUntil,
        createdAt: toDate(r.created_at),
      }));
  }

  /** Whether a stream has due SETs beyond those just claimed (poll `moreAvailable`). */
  async hasDue(
    streamId: string,
    now: Date,
    controlOnly: boolean,
  ): Promise<boolean> {
    const query = this.#knex(TABLE)
      .where({ stream_id: streamId, state: 'pending' })
      .andWhere('next_attempt_at', '<=', now)
      .andWhere(q =>
        q.whereNull('lease_expires_at').orWhere('lease_expires_at', '<', now),
      )
      .first('jti');
    if (controlOnly) {
      query.andWhere('control', true);
    }
    return (await query) !== undefined;
  }

  async markDelivered(
    jtis: string[],
    now: Date,
    streamId?: string,
    tx?: Knex.Transaction,
  ) {
    if (jtis.length === 0) return 0;
    const query = (tx ?? this.#knex)(TABLE)
      .whereIn('jti', jtis)
      .andWhere('state', 'pending')
      .update({
        state: 'delivered',
        delivered_at: now,
        lease_owner: null,
        lease_expires_at: null,
      })
      .returning('stream_id');
    if (streamId) query.andWhere('stream_id', streamId);
    const rows: Array<{ stream_id: string }> = await query;
    await this.#changedRows('delivered', rows, now, tx);
    return rows.length;
  }

  /**
   * Gives SETs `owner` claimed back without an attempt, e.g. on shutdown.
   * Rows whose lease another owner has taken since are left alone.
   */
  async release(jtis: string[], owner: string) {
    if (jtis.length === 0) return;
    await this.#knex(TABLE)
      .whereIn('jti', jtis)
      .andWhere({ state: 'pending', lease_owner: owner })
      .update({
        lease_owner: null,
        lease_expires_at: null,
        attempts: this.#knex.raw(
          'CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END',
        ),
      });
  }

  async markRetry(jti: string, error: string, now: Date, nextAttemptAt: Date) {
    const rows: Array<{ stream_id: string }> = await this.#knex(TABLE)
      .where({ jti, state: 'pending' })
      .update({
        next_attempt_at: nextAttemptAt,
        lease_owner: null,
        lease_expires_at: null,
        last_error: error,
        last_error_at: now,
      })
      .returning('stream_id');
    await this.#changedRows('failed', rows, now);
  }

  async markDead(
    jtis: string[],
    error: string | ((jti: string) => string),
    now: Date,
    streamId?: string,
    tx?: Knex.Transaction,
  ): Promise<number> {
    const dead: string[] = [];
    for (const jti of jtis) {
      const query = (tx ?? this.#knex)(TABLE)
        .where({ jti, state: 'pending' })
        .update({
          state: 'dead',
          lease_owner: null,
          lease_expires_at: null,
          last_error: typeof error === 'string' ? error : error(jti),
          last_error_at: now,
        })
        .returning('stream_id');
      if (streamId) query.andWhere('stream_id', streamId);
      const rows: Array<{ stream_id: string }> = await query;
      dead.push(...rows.map(r => r.stream_id));
    }
    await this.#changed('dead', dead, now, tx);
    return dead.length;
  }

  /** Drops a stream's pending SETs, except control ones (the stream was disabled). */
  async dropPending(
    streamId: string,
    reason: string,
    now: Date,
    tx?: Knex.Transaction,
  ) {
    const dropped = await (tx ?? this.#knex)(TABLE)
      .where({ stream_id: streamId, state: 'pending', control: false })
      .update({
        state: 'dropped',
        last_error: reason,
        last_error_at: now,
        lease_owner: null,
        lease_expires_at: null,
      });
    await this.#changedCount('dropped', streamId, dropped, now, tx);
    return dropped;
  }

  async #changedCount(
    change: OutboxChange['change'],
    streamId: string,
    count: number,
    now: Date,
    tx?: Knex.Transaction,
  ) {
    if (this.#observer && count > 0) {
      await this.#observer([{ streamId, change, count }], now, tx);
    }
  }

  /**
   * Keeps at most `limit` pending SETs for a paused stream, dropping the
   * oldest; returns how many were dropped.
   */
  async enforceHoldLimit(
    streamId: string,
    limit: number,
    now: Date,
    tx?: Knex.Transaction,
  ) {
    const db = tx ?? this.#knex;
    const keep = db(TABLE)
      .select('jti')
      .where({ stream_id: streamId, state: 'pending', control: false })
      .orderBy('created_at', 'desc')
      .orderBy('jti', 'desc')
      .limit(limit);
    const dropped = await db(TABLE)
      .where({ stream_id: streamId, state: 'pending', control: false })
      .whereNotIn('jti', keep)
      .update({
        state: 'dropped',
        last_error: `dropped: the paused stream held more than ${limit} SETs`,
        last_error_at: now,
      });
    await this.#changedCount('dropped', streamId, dropped, now, tx);
    return dropped;
  }

  /** Drops SETs held longer than allowed by the given paused streams. */
  async dropHeldOlderThan(streamIds: string[], cutoff: Date, now: Date) {
    if (streamIds.length === 0) return 0;
    const rows: Array<{ stream_id: string }> = await this.#knex(TABLE)
      .whereIn('stream_id', streamIds)
      .andWhere({ state: 'pending', control: false })
      .andWhere('created_at', '<', cutoff)
      .update({
        state: 'dropped',
        last_error:
          'dropped: held by the paused stream for longer than allowed',
        last_error_at: now,
      })
      .returning('stream_id');
    await this.#changedRows('dropped', rows, now);
    return rows.length;
  }

  /** Sends dead SETs of a stream (or one of them) again; returns how many. */
  async redeliver(streamId: string, jti: string | undefined, now: Date) {
    const query = this.#knex(TABLE).where({
      stream_id: streamId,
      state: 'dead',
    });
    if (jti) query.andWhere({ jti });
    const redelivered = await query.update({
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_owner: null,
      lease_expires_at: null,
    });
    await this.#changedCount('redelivered', streamId, redelivered, now);
    return redelivered;
  }

  /** Removes finished SETs older than the cutoff. */
  /**
   * The SETs (any state) with one of these `txn`s, as (txn, event type,
   * stream): what the relay has already sent where, as long as the history
   * keeps it.
   */
  async sentWithTxns(
    txns: string[],
    tx?: Knex.Transaction,
  ): Promise<Array<{ txn: string; eventType: string; streamId: string }>> {
    if (txns.length === 0) return [];
    const rows: Array<{ txn: string; event_type: string; stream_id: string }> =
      await (tx ?? this.#knex)(TABLE)
        .whereIn('txn', txns)
        .distinct('txn', 'event_type', 'stream_id');
    return rows.map(r => ({
      txn: r.txn,
      eventType: r.event_type,
      streamId: r.stream_id,
    }));
  }

  async deleteFinishedBefore(cutoff: Date) {
    return this.#knex(TABLE)
      .whereIn('state', ['delivered', 'dropped', 'dead'])
      .andWhere('created_at', '<', cutoff)
      .delete();
  }

  async get(jti: string): Promise<OutboxEntry | undefined> {
    const row = await this.#knex(TABLE).where({ jti }).first();
    return row ? toEntry(row) : undefined;
  }

  /** The entries with these jtis (those that exist), by jti. */
  async getMany(jtis: string[]): Promise<Map<string, OutboxEntry>> {
    const result = new Map<string, OutboxEntry>();
    for (let i = 0; i < jtis.length; i += 500) {
      const rows = await this.#knex(TABLE).whereIn(
        'jti',
        jtis.slice(i, i + 500),
      );
      for (const row of rows) result.set(row.jti, toEntry(row));
    }
    return result;
  }

  async list(options: {
    streamId: string;
    state?: OutboxState;
    limit: number;
    offset: number;
  }): Promise<{ items: OutboxEntry[]; total: number }> {
    const base = () => {
      const q = this.#knex(TABLE).where({ stream_id: options.streamId });
      if (options.state) q.andWhere({ state: options.state });
      return q;
    };
    const [{ n }] = await base().count({ n: '*' });
    const rows = await base()
      .orderBy('created_at', 'desc')
      .orderBy('jti', 'desc')
      .limit(options.limit)
      .offset(options.offset);
    return { items: rows.map(toEntry), total: Number(n) };
  }

  /** SETs per state over all streams, in one GROUP BY (the outbox depth metric). */
  async countByState(): Promise<Record<OutboxState, number>> {
    const counts = { pending: 0, delivered: 0, dead: 0, dropped: 0 };
    const rows = await this.#knex(TABLE)
      .groupBy('state')
      .select('state')
      .count({ n: '*' });
    for (const row of rows as Array<{ state: OutboxState; n: unknown }>) {
      counts[row.state] = Number(row.n);
    }
    return counts;
  }

  async stats(streamIds: string[]): Promise<Map<string, StreamDeliveryStats>> {
    const result = new Map<string, StreamDeliveryStats>(
      streamIds.map(id => [
        id,
        { pending: 0, delivered: 0, dead: 0, dropped: 0 },
      ]),
    );
    if (streamIds.length === 0) return result;
    const counts = await this.#knex(TABLE)
      .whereIn('stream_id', streamIds)
      .groupBy('stream_id', 'state')
      .select('stream_id', 'state')
      .count({ n: '*' })
      .max({ delivered_at: 'delivered_at' });
    for (const row of counts as any[]) {
      const stats = result.get(row.stream_id)!;
      (stats as any)[row.state] = Number(row.n);
      if (row.state === 'delivered' && row.delivered_at) {
        stats.lastDeliveredAt = toDate(row.delivered_at);
      }
    }
    // The latest error of every stream in one query: the rows whose
    // last_error_at is their stream's newest.
    const newest = this.#knex(TABLE)
      .whereIn('stream_id', streamIds)
      .whereNotNull('last_error_at')
      .groupBy('stream_id')
      .select('stream_id')
      .max({ at: 'last_error_at' })
      .as('newest');
    const errors = await this.#knex(`${TABLE} as o`)
      .join(newest, function joinNewest() {
        this.on('o.stream_id', '=', 'newest.stream_id').andOn(
          'o.last_error_at',
          '=',
          'newest.at',
        );
      })
      .select('o.stream_id', 'o.jti', 'o.last_error', 'o.last_error_at')
      // Rows of one batch share their error time: the highest jti wins, so
      // the answer does not depend on the order the database returns them.
      .orderBy('o.jti', 'asc');
    for (const row of errors) {
      result.get(row.stream_id)!.lastError = {
        message: row.last_error,
        at: toDate(row.last_error_at),
      };
    }
    return result;
  }
}

function toEntry(row: any): OutboxEntry {
  return {
    jti: row.jti,
    streamId: row.stream_id,
    eventType: row.event_type,
    txn: row.txn,
    setJws: row.set_jws,
    state: row.state,
    control: Boolean(row.control),
    attempts: Number(row.attempts),
    nextAttemptAt: toDate(row.next_attempt_at),
    lastError: row.last_error ?? undefined,
    lastErrorAt: row.last_error_at ? toDate(row.last_error_at) : undefined,
    createdAt: toDate(row.created_at),
    deliveredAt: row.delivered_at ? toDate(row.delivered_at) : undefined,
  };
}
