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
import {
  DeliveryMethod,
  StreamStatusValue,
} from '@shared-signals/plugin-ssf-common';

const TABLE = 'ssf_streams';

/** A transmitter stream as stored. @internal */
export interface StreamRecord {
  streamId: string;
  /** The owner: the receiver's OAuth client ID (a service principal subject). */
  clientId: string;
  iss: string;
  aud: string | string[];
  eventsRequested: string[];
  delivery: {
    method: DeliveryMethod;
    endpointUrl: string;
    /** Secret; never returned by the API. */
    authorizationHeader?: string;
  };
  description?: string;
  /** The receiver profile that shapes this stream's SETs (`ssf` by default). */
  receiverProfile: string;
  /** The catalog entity that owns the stream (a normalised entity ref). */
  owner?: string;
  /** The catalog entity that consumes the stream (a normalised entity ref). */
  consumer?: string;
  status: StreamStatusValue;
  statusReason?: string;
  minVerificationInterval: number;
  /** The last verification the receiver asked for. */
  verification?: { state?: string; jti: string; requestedAt: Date };
  /**
   * The receiver's last call to the transmitter about this stream (SSF 1.0
   * §8.1.1 `inactivity_timeout`); unknown for streams older than the column.
   * Written only by {@link StreamStore.recordActivity}, never by `update`, so
   * a change that read the stream earlier cannot set the clock back.
   */
  lastReceiverActivityAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** Filters for listing streams. @internal */
export interface StreamFilter {
  clientId?: string;
  aud?: string;
}

/**
 * Reads and writes `ssf_streams`. Every method takes an optional transaction
 * so a route can check and write in one unit of work.
 *
 * @internal
 */
export class StreamStore {
  readonly #knex: Knex;
  readonly #onChange?: (streamId: string, tx?: Knex.Transaction) => void;

  constructor(
    knex: Knex,
    options: {
      /** Told of every insert, update and delete (the admin pages' signals). */
      onChange?: (streamId: string, tx?: Knex.Transaction) => void;
    } = {},
  ) {
    this.#knex = knex;
    this.#onChange = options.onChange;
  }

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#knex.transaction(fn);
  }

  async count(tx?: Knex.Transaction): Promise<number> {
    const [{ n }] = await (tx ?? this.#knex)(TABLE).count({ n: '*' });
    return Number(n);
  }

  get(streamId: string, tx?: Knex.Transaction) {
    return this.#findBy({ stream_id: streamId }, tx);
  }

  getByClientId(clientId: string, tx?: Knex.Transaction) {
    return this.#findBy({ client_id: clientId }, tx);
  }

  /** The stream with this id or owning client (each is unique). */
  async #findBy(
    where: { stream_id: string } | { client_id: string },
    tx?: Knex.Transaction,
  ): Promise<StreamRecord | undefined> {
    const row = await (tx ?? this.#knex)(TABLE).where(where).first();
    return row ? fromRow(row) : undefined;
  }

  async list(
    filter: StreamFilter = {},
    tx?: Knex.Transaction,
  ): Promise<StreamRecord[]> {
    const query = (tx ?? this.#knex)(TABLE)
      .orderBy('created_at', 'asc')
      .orderBy('stream_id');
    if (filter.clientId !== undefined) {
      query.where({ client_id: filter.clientId });
    }
    const streams = (await query).map(fromRow);
    // aud is a JSON string or array; filtering in code keeps SQLite and
    // PostgreSQL identical, and a portal never holds more than a few streams.
    return filter.aud === undefined
      ? streams
      : streams.filter(s => [s.aud].flat().includes(filter.aud!));
  }

  async insert(stream: StreamRecord, tx?: Knex.Transaction): Promise<void> {
    await (tx ?? this.#knex)(TABLE).insert(toRow(stream));
    this.#onChange?.(stream.streamId, tx);
  }

  async update(stream: StreamRecord, tx?: Knex.Transaction): Promise<void> {
    const {
      stream_id,
      created_at,
      last_receiver_activity_at: _activity,
      ...rest
    } = toRow(stream);
    await (tx ?? this.#knex)(TABLE).where({ stream_id }).update(rest);
    this.#onChange?.(stream_id, tx);
  }

  /**
   * Records receiver activity on the streams `where` names, unless it is
   * already as recent as `at`. Returns how many rows changed.
   */
  async recordActivity(
    where: { streamId: string } | { clientId: string },
    at: Date,
    tx?: Knex.Transaction,
  ): Promise<number> {
    return (tx ?? this.#knex)(TABLE)
      .where(
        'streamId' in where
          ? { stream_id: where.streamId }
          : { client_id: where.clientId },
      )
      .andWhere(q =>
        q
          .whereNull('last_receiver_activity_at')
          .orWhere('last_receiver_activity_at', '<', at),
      )
      .update({ last_receiver_activity_at: at });
  }

  /** Deletes a stream; returns whether it existed. */
  async delete(streamId: string, tx?: Knex.Transaction): Promise<boolean> {
    const n = await (tx ?? this.#knex)(TABLE)
      .where({ stream_id: streamId })
      .delete();
    if (n > 0) this.#onChange?.(streamId, tx);
    return n > 0;
  }
}

function toRow(s: StreamRecord) {
  return {
    stream_id: s.streamId,
    client_id: s.clientId,
    iss: s.iss,
    aud_json: JSON.stringify(s.aud),
    events_requested_json: JSON.stringify(s.eventsRequested),
    delivery_method: s.delivery.method,
    endpoint_url: s.delivery.endpointUrl,
    authorization_header: s.delivery.authorizationHeader ?? null,
    description: s.description ?? null,
    receiver_profile: s.receiverProfile,
    owner: s.owner ?? null,
    consumer: s.consumer ?? null,
    status: s.status,
    status_reason: s.statusReason ?? null,
    min_verification_interval: s.minVerificationInterval,
    verification_state: s.verification?.state ?? null,
    verification_jti: s.verification?.jti ?? null,
    verification_requested_at: s.verification?.requestedAt ?? null,
    last_receiver_activity_at: s.lastReceiverActivityAt ?? null,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
}

function fromRow(row: any): StreamRecord {
  return {
    streamId: row.stream_id,
    clientId: row.client_id,
    iss: row.iss,
    aud: JSON.parse(row.aud_json),
    eventsRequested: JSON.parse(row.events_requested_json),
    delivery: {
      method: row.delivery_method,
      endpointUrl: row.endpoint_url,
      authorizationHeader: row.authorization_header ?? undefined,
    },
    description: row.description ?? undefined,
    receiverProfile: row.receiver_profile,
    ...(row.owner && { owner: row.owner }),
    ...(row.consumer && { consumer: row.consumer }),
    status: row.status,
    statusReason: row.status_reason ?? undefined,
    minVerificationInterval: Number(row.min_verification_interval),
    ...(row.verification_jti && {
      verification: {
        state: row.verification_state ?? undefined,
        jti: row.verification_jti,
        requestedAt: toDate(row.verification_requested_at),
      },
    }),
    ...(row.last_receiver_activity_at && {
      lastReceiverActivityAt: toDate(row.last_receiver_activity_at),
    }),
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
