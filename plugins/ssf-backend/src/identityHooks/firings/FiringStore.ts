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

import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import { SsfIdentityChangeKind } from '@shared-signals/plugin-ssf-node';
import { Knex } from 'knex';
import { toDate } from '../../database/dates';
import { toWireSets } from '../../transmitter';
import { ReceivedEventCause } from '../hooks/types';

const CHANGES = 'ssf_identity_changes';
const FIRINGS = 'ssf_hook_firings';

/** What fires a hook: an identity change or a received SET. @internal */
export type HookCause = SsfIdentityChangeKind | ReceivedEventCause;

/** One event a hook emitted. @internal */
export interface HookFiring {
  id: string;
  hookId?: string;
  hookName: string;
  identity: string;
  subject: SubjectIdentifier;
  /** The identity change, or the received SET, that fired the hook. */
  change: HookCause;
  eventType: string;
  txn: string;
  sets: Array<{ streamId: string; jti: string }>;
  source: string;
  observedAt: Date;
  firedAt: Date;
}

/** A processed identity change. @internal */
export interface ProcessedChange {
  key: string;
  identity: string;
  source: string;
  changes: HookCause[];
  events: number;
  observedAt: Date;
}

/**
 * Reads and writes `ssf_identity_changes` (each change once) and
 * `ssf_hook_firings` (why each lifecycle event was sent).
 *
 * @internal
 */
export class FiringStore {
  readonly #knex: Knex;
  readonly #onFired?: (hookIds: string[], tx: Knex.Transaction) => void;

  constructor(
    knex: Knex,
    options: {
      /** Told which hooks fired (the admin pages' signals). */
      onFired?: (hookIds: string[], tx: Knex.Transaction) => void;
    } = {},
  ) {
    this.#knex = knex;
    this.#onFired = options.onFired;
  }

  /**
   * Claims a change by its idempotency key. False when it was processed
   * already; then the caller emits nothing. A unique key rather than a check
   * then insert, so two replicas seeing one change cannot both claim it.
   */
  async claim(
    change: ProcessedChange,
    now: Date,
    tx: Knex.Transaction,
  ): Promise<boolean> {
    const inserted = await tx(CHANGES)
      .insert({
        idempotency_key: change.key,
        identity: change.identity,
        source: change.source,
        changes_json: JSON.stringify(change.changes),
        events: change.events,
        observed_at: change.observedAt,
        processed_at: now,
      })
      .onConflict('idempotency_key')
      .ignore()
      .returning('idempotency_key');
    return inserted.length > 0;
  }

  async record(
    changeKey: string,
    firings: Array<Omit<HookFiring, 'id'>>,
    tx: Knex.Transaction,
  ): Promise<void> {
    if (!firings.length) return;
    await tx(FIRINGS).insert(
      firings.map(f => ({
        hook_id: f.hookId ?? null,
        hook_name: f.hookName,
        change_key: changeKey,
        identity: f.identity,
        subject_json: JSON.stringify(f.subject),
        change_json: JSON.stringify(f.change),
        event_type: f.eventType,
        txn: f.txn,
        sets_json: JSON.stringify(toWireSets(f.sets)),
        source: f.source,
        observed_at: f.observedAt,
        fired_at: f.firedAt,
      })),
    );
    const hookIds = firings.flatMap(f => (f.hookId ? [f.hookId] : []));
    if (hookIds.length) this.#onFired?.([...new Set(hookIds)], tx);
  }

  /** Newest first; `before` is the id to continue below (a cursor). */
  async list(filter: {
    hookId?: string;
    identity?: string;
    limit: number;
    before?: string;
  }): Promise<HookFiring[]> {
    const query = this.#knex(FIRINGS).orderBy('id', 'desc').limit(filter.limit);
    if (filter.hookId) query.where({ hook_id: filter.hookId });
    if (filter.identity) query.where({ identity: filter.identity });
    if (filter.before) query.where('id', '<', Number(filter.before));
    const rows = await query;
    return rows.map(row => ({
      id: String(row.id),
      ...(row.hook_id !== null && { hookId: row.hook_id }),
      hookName: row.hook_name,
      identity: row.identity,
      subject: JSON.parse(row.subject_json),
      change: JSON.parse(row.change_json),
      eventType: row.event_type,
      txn: row.txn,
      sets: JSON.parse(row.sets_json).map(
        (s: { stream_id: string; jti: string }) => ({
          streamId: s.stream_id,
          jti: s.jti,
        }),
      ),
      source: row.source,
      observedAt: toDate(row.observed_at),
      firedAt: toDate(row.fired_at),
    }));
  }

  /** Forgets changes and firings older than `before`. */
  async deleteBefore(before: Date): Promise<number> {
    return this.#knex.transaction(async tx => {
      const firings = await tx(FIRINGS).where('fired_at', '<', before).delete();
      const changes = await tx(CHANGES)
        .where('processed_at', '<', before)
        .delete();
      return firings + changes;
    });
  }
}
