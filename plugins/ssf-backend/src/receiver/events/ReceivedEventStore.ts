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

import { DeliveryMethod } from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import { toDate } from '../../database/dates';

const TABLE = 'ssf_received_events';

/** A received SET as stored. @internal */
export interface ReceivedEventRecord {
  id: string;
  providerId?: string;
  iss: string;
  jti: string;
  eventType: string;
  eventTypes: string[];
  subject?: { format: string; value: string };
  txn?: string;
  issuedAt: Date;
  receivedAt: Date;
  deliveryMethod: DeliveryMethod;
  claims: Record<string, unknown>;
  token: string;
  handlerError?: string;
}

/** A SET to store; the id is assigned by the database. @internal */
export type NewReceivedEvent = Omit<ReceivedEventRecord, 'id' | 'handlerError'>;

/** Filters of the received-events listing. @internal */
export interface ReceivedEventFilter {
  providerId?: string;
  eventType?: string;
  subject?: string;
  since?: Date;
  until?: Date;
  /** Only events with an id below this one (the next, older page). */
  before?: string;
  limit: number;
}

// PostgreSQL refuses NUL in text; column widths are fixed. Values are cleaned
// here so that one odd SET can never fail a whole batch.
function clean(value: string, max: number): string;
function clean(value: string | undefined, max: number): string | undefined;
function clean(value: string | undefined, max: number) {
  return value === undefined
    ? undefined
    : value.split('\u0000').join('').slice(0, max);
}

/**
 * Reads and writes `ssf_received_events`. A SET is stored at most once per
 * (iss, jti): inserts skip rows that already exist and report which rows
 * were new, in one statement for a whole batch.
 *
 * @internal
 */
export class ReceivedEventStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Inserts the events that are not stored yet; returns the ids of the new
   * ones keyed by `iss jti`. Existing ones are left untouched.
   */
  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#knex.transaction(fn);
  }

  async insertNew(
    events: NewReceivedEvent[],
    tx?: Knex.Transaction,
  ): Promise<Map<string, string>> {
    const rows = await (tx ?? this.#knex)(TABLE)
      .insert(events.map(toRow))
      .onConflict(['iss', 'jti'])
      .ignore()
      .returning(['id', 'iss', 'jti']);
    return new Map(
      rows.map((r: { id: unknown; iss: string; jti: string }) => [
        dedupeKey(r.iss, r.jti),
        String(r.id),
      ]),
    );
  }

  async getByKey(iss: string, jti: string): Promise<string | undefined> {
    const row = await this.#knex(TABLE).where({ iss, jti }).first('id');
    return row ? String(row.id) : undefined;
  }

  async get(id: string): Promise<ReceivedEventRecord | undefined> {
    if (!/^\d{1,18}$/.test(id)) {
      return undefined;
    }
    const row = await this.#knex(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(filter: ReceivedEventFilter): Promise<ReceivedEventRecord[]> {
    const query = this.#knex(TABLE).orderBy('id', 'desc').limit(filter.limit);
    if (filter.providerId !== undefined) {
      query.where({ provider_id: filter.providerId });
    }
    if (filter.eventType !== undefined) {
      query.where({ event_type: filter.eventType });
    }
    if (filter.subject !== undefined) {
      query.where({ subject_value: filter.subject });
    }
    if (filter.since !== undefined) {
      query.where('received_at', '>=', filter.since);
    }
    if (filter.until !== undefined) {
      query.where('received_at', '<', filter.until);
    }
    if (filter.before !== undefined) {
      query.where('id', '<', filter.before);
    }
    return (await query).map(fromRow);
  }

  async setHandlerError(id: string, error: string | null): Promise<void> {
    await this.#knex(TABLE)
      .where({ id })
      .update({ handler_error: error === null ? null : clean(error, 4000) });
  }
}

/** The (iss, jti) identity of a SET as one string. @internal */
export function dedupeKey(iss: string, jti: string): string {
  return `${iss} ${jti}`;
}

function toRow(e: NewReceivedEvent) {
  return {
    provider_id: e.providerId ?? null,
    iss: e.iss,
    jti: e.jti,
    event_type: clean(e.eventType, 512),
    event_types_json: JSON.stringify(e.eventTypes),
    subject_format: clean(e.subject?.format, 64) ?? null,
    subject_value: clean(e.subject?.value, 1024) ?? null,
    txn: clean(e.txn, 256) ?? null,
    iat: e.issuedAt,
    received_at: e.receivedAt,
    delivery_method: e.deliveryMethod,
    claims_json: JSON.stringify(e.claims),
    set_jwt: e.token,
  };
}

function fromRow(row: any): ReceivedEventRecord {
  return {
    id: String(row.id),
    providerId: row.provider_id ?? undefined,
    iss: row.iss,
    jti: row.jti,
    eventType: row.event_type,
    eventTypes: JSON.parse(row.event_types_json),
    subject:
      row.subject_format && row.subject_value !== null
        ? { format: row.subject_format, value: row.subject_value }
        : undefined,
    txn: row.txn ?? undefined,
    issuedAt: toDate(row.iat),
    receivedAt: toDate(row.received_at),
    deliveryMethod: row.delivery_method,
    claims: JSON.parse(row.claims_json),
    token: row.set_jwt,
    handlerError: row.handler_error ?? undefined,
  };
}
