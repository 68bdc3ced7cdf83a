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

import { OutboxState } from '../transmitter';
import { Knex } from 'knex';
import { toDate } from '../database/dates';

const TABLE = 'ssf_subject_index';
// Read, never written, here: the people index shows what these concerns stored.
const RECEIVED = 'ssf_received_events';
const PROVIDERS = 'ssf_providers';
const OUTBOX = 'ssf_outbox';
const STREAMS = 'ssf_streams';

/** Rows written at once; well under every database's parameter limit. */
const INSERT_CHUNK = 200;

/** One SET's entries in the index: the keys of the identifiers it names. @internal */
export interface IndexEntry {
  /** A received event's id, or an outbox SET's jti. */
  ref: string;
  keys: string[];
  at: Date;
}

/** A received event that names a person, as the index finds it. @internal */
export interface IndexedReceivedEvent {
  id: string;
  providerId?: string;
  providerName?: string;
  iss: string;
  eventType: string;
  receivedAt: Date;
  claims: Record<string, unknown>;
  /** The keys it was found by. */
  keys: string[];
}

/** A sent SET that names a person, as the index finds it. @internal */
export interface IndexedSentEvent {
  jti: string;
  streamId: string;
  streamDescription?: string;
  eventType: string;
  createdAt: Date;
  state: OutboxState;
  set: string;
  keys: string[];
}

/**
 * Reads and writes `ssf_subject_index`: which received events and which
 * outbox SETs name which person identifiers (by key, see `personKey`).
 * Rows are written in the transaction that stores their SET and go when it
 * is deleted (foreign keys, on cascade).
 *
 * @internal
 */
export class SubjectIndexStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async addReceived(entries: IndexEntry[], tx: Knex.Transaction) {
    await this.#insert(entries, 'received_event_id', tx);
  }

  async addSent(entries: IndexEntry[], tx: Knex.Transaction) {
    await this.#insert(entries, 'outbox_jti', tx);
  }

  async #insert(
    entries: IndexEntry[],
    column: 'received_event_id' | 'outbox_jti',
    tx: Knex.Transaction,
  ) {
    const rows = entries.flatMap(e =>
      [...new Set(e.keys)].map(key => ({
        subject_key: key,
        [column]: e.ref,
        at: e.at,
      })),
    );
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx(TABLE).insert(rows.slice(i, i + INSERT_CHUNK));
    }
  }

  /** The newest received events that name any of the keys, each once. */
  async received(
    keys: string[],
    limit: number,
  ): Promise<IndexedReceivedEvent[]> {
    if (keys.length === 0) return [];
    // One event named by several of the keys comes once per key: read
    // enough rows for `limit` distinct events.
    const rows = await this.#knex(`${TABLE} as i`)
      .join(`${RECEIVED} as e`, 'e.id', 'i.received_event_id')
      .leftJoin(`${PROVIDERS} as p`, 'p.id', 'e.provider_id')
      .whereIn('i.subject_key', keys)
      .orderBy([
        { column: 'i.at', order: 'desc' },
        { column: 'e.id', order: 'desc' },
      ])
      .limit(limit * keys.length)
      .select(
        'e.id',
        'e.provider_id',
        'p.name as provider_name',
        'e.iss',
        'e.event_type',
        'e.received_at',
        'e.claims_json',
        'i.subject_key',
      );
    return distinct(
      rows,
      r => String(r.id),
      limit,
      (r, found) => ({
        id: String(r.id),
        providerId: r.provider_id ?? undefined,
        providerName: r.provider_name ?? undefined,
        iss: r.iss,
        eventType: r.event_type,
        receivedAt: toDate(r.received_at),
        claims: JSON.parse(r.claims_json),
        keys: found,
      }),
    );
  }

  /** The newest sent SETs that name any of the keys, each once. */
  async sent(keys: string[], limit: number): Promise<IndexedSentEvent[]> {
    if (keys.length === 0) return [];
    const rows = await this.#knex(`${TABLE} as i`)
      .join(`${OUTBOX} as o`, 'o.jti', 'i.outbox_jti')
      .leftJoin(`${STREAMS} as s`, 's.stream_id', 'o.stream_id')
      .whereIn('i.subject_key', keys)
      .orderBy([
        { column: 'i.at', order: 'desc' },
        { column: 'o.jti', order: 'desc' },
      ])
      .limit(limit * keys.length)
      .select(
        'o.jti',
        'o.stream_id',
        's.description as stream_description',
        'o.event_type',
        'o.created_at',
        'o.state',
        'o.set_jws',
        'i.subject_key',
      );
    return distinct(
      rows,
      r => r.jti,
      limit,
      (r, found) => ({
        jti: r.jti,
        streamId: r.stream_id,
        streamDescription: r.stream_description ?? undefined,
        eventType: r.event_type,
        createdAt: toDate(r.created_at),
        state: r.state,
        set: r.set_jws,
        keys: found,
      }),
    );
  }
}

/** Rows merged per event, in their order, with the keys each was found by. */
function distinct<T>(
  rows: any[],
  idOf: (row: any) => string,
  limit: number,
  build: (row: any, keys: string[]) => T,
): T[] {
  const byId = new Map<string, { row: any; keys: string[] }>();
  for (const row of rows) {
    const id = idOf(row);
    const seen = byId.get(id);
    if (seen) seen.keys.push(row.subject_key);
    else byId.set(id, { row, keys: [row.subject_key] });
  }
  return [...byId.values()]
    .slice(0, limit)
    .map(({ row, keys }) => build(row, keys));
}
