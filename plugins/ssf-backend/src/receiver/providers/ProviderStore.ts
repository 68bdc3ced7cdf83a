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
  SecurityEventsProviderStatus,
} from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import { toDate } from '../../database/dates';

const TABLE = 'ssf_providers';

/** A Security Events Provider as stored. @internal */
export interface ProviderRecord {
  id: string;
  name: string;
  type: string;
  status: SecurityEventsProviderStatus;
  issuer: string;
  jwksUrl: string;
  wellKnownUrl?: string;
  /** SHA-256 (hex) of the bearer secret pushes must carry. */
  authorizationSecretHash?: string;
  deliveryMethod: DeliveryMethod;
  pollEndpointUrl?: string;
  remoteStreamId?: string;
  verificationState?: string;
  lastVerifiedAt?: Date;
  remoteStreamStatus?: string;
  remoteStreamReason?: string;
  remoteStreamUpdatedAt?: Date;
  lastPollAt?: Date;
  lastPollError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The receiver-maintained state of a provider, changed without a user. @internal */
export type ProviderStatePatch = Partial<
  Pick<
    ProviderRecord,
    | 'remoteStreamId'
    | 'verificationState'
    | 'lastVerifiedAt'
    | 'remoteStreamStatus'
    | 'remoteStreamReason'
    | 'remoteStreamUpdatedAt'
    | 'lastPollAt'
    | 'lastPollError'
    | 'pollEndpointUrl'
    | 'deliveryMethod'
  >
>;

const STATE_COLUMNS: Record<keyof ProviderStatePatch, string> = {
  remoteStreamId: 'remote_stream_id',
  verificationState: 'verification_state',
  lastVerifiedAt: 'last_verified_at',
  remoteStreamStatus: 'remote_stream_status',
  remoteStreamReason: 'remote_stream_reason',
  remoteStreamUpdatedAt: 'remote_stream_updated_at',
  lastPollAt: 'last_poll_at',
  lastPollError: 'last_poll_error',
  pollEndpointUrl: 'poll_endpoint_url',
  deliveryMethod: 'delivery_method',
};

/**
 * Reads and writes `ssf_providers`. Methods take an optional transaction so
 * a service can check and write in one unit of work.
 *
 * @internal
 */
export class ProviderStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  transaction<T>(fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
    return this.#knex.transaction(fn);
  }

  async get(
    id: string,
    tx?: Knex.Transaction,
  ): Promise<ProviderRecord | undefined> {
    const row = await (tx ?? this.#knex)(TABLE).where({ id }).first();
    return row ? fromRow(row) : undefined;
  }

  async getByIssuer(
    issuer: string,
    tx?: Knex.Transaction,
  ): Promise<ProviderRecord | undefined> {
    const row = await (tx ?? this.#knex)(TABLE).where({ issuer }).first();
    return row ? fromRow(row) : undefined;
  }

  async getByName(
    name: string,
    tx?: Knex.Transaction,
  ): Promise<ProviderRecord | undefined> {
    const row = await (tx ?? this.#knex)(TABLE).where({ name }).first();
    return row ? fromRow(row) : undefined;
  }

  async list(
    filter: { deliveryMethod?: DeliveryMethod; status?: string } = {},
  ): Promise<ProviderRecord[]> {
    const query = this.#knex(TABLE).orderBy('created_at', 'asc').orderBy('id');
    if (filter.deliveryMethod) {
      query.where({ delivery_method: filter.deliveryMethod });
    }
    if (filter.status) {
      query.where({ status: filter.status });
    }
    return (await query).map(fromRow);
  }

  async insert(provider: ProviderRecord, tx?: Knex.Transaction): Promise<void> {
    await (tx ?? this.#knex)(TABLE).insert(toRow(provider));
  }

  async update(provider: ProviderRecord, tx?: Knex.Transaction): Promise<void> {
    const { id, created_at, ...rest } = toRow(provider);
    await (tx ?? this.#knex)(TABLE).where({ id }).update(rest);
  }

  /** Changes only the given receiver-maintained fields. */
  async patchState(
    id: string,
    patch: ProviderStatePatch,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const row: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(STATE_COLUMNS)) {
      if (key in patch) {
        row[column] = (patch as Record<string, unknown>)[key] ?? null;
      }
    }
    if (Object.keys(row).length) {
      await (tx ?? this.#knex)(TABLE).where({ id }).update(row);
    }
  }

  /** Deletes a provider; returns whether it existed. */
  async delete(id: string, tx?: Knex.Transaction): Promise<boolean> {
    return (await (tx ?? this.#knex)(TABLE).where({ id }).delete()) > 0;
  }
}

function toRow(p: ProviderRecord) {
  return {
    id: p.id,
    name: p.name,
    type: p.type,
    status: p.status,
    issuer: p.issuer,
    jwks_url: p.jwksUrl,
    well_known_url: p.wellKnownUrl ?? null,
    authorization_secret_hash: p.authorizationSecretHash ?? null,
    delivery_method: p.deliveryMethod,
    poll_endpoint_url: p.pollEndpointUrl ?? null,
    remote_stream_id: p.remoteStreamId ?? null,
    verification_state: p.verificationState ?? null,
    last_verified_at: p.lastVerifiedAt ?? null,
    remote_stream_status: p.remoteStreamStatus ?? null,
    remote_stream_reason: p.remoteStreamReason ?? null,
    remote_stream_updated_at: p.remoteStreamUpdatedAt ?? null,
    last_poll_at: p.lastPollAt ?? null,
    last_poll_error: p.lastPollError ?? null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

const optionalDate = (v: unknown) =>
  v === null || v === undefined ? undefined : toDate(v as Date);

function fromRow(row: any): ProviderRecord {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    issuer: row.issuer,
    jwksUrl: row.jwks_url,
    wellKnownUrl: row.well_known_url ?? undefined,
    authorizationSecretHash: row.authorization_secret_hash ?? undefined,
    deliveryMethod: row.delivery_method,
    pollEndpointUrl: row.poll_endpoint_url ?? undefined,
    remoteStreamId: row.remote_stream_id ?? undefined,
    verificationState: row.verification_state ?? undefined,
    lastVerifiedAt: optionalDate(row.last_verified_at),
    remoteStreamStatus: row.remote_stream_status ?? undefined,
    remoteStreamReason: row.remote_stream_reason ?? undefined,
    remoteStreamUpdatedAt: optionalDate(row.remote_stream_updated_at),
    lastPollAt: optionalDate(row.last_poll_at),
    lastPollError: row.last_poll_error ?? undefined,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
