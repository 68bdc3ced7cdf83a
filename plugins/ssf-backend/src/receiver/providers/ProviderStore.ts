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
  /**
   * Leniency for a pre-1.0 transmitter: accept its SETs without a `typ`
   * header (RFC 8417 §2.3 only recommends one). False (strict) by default.
   */
  acceptUntypedSets?: boolean;
  /**
   * The issuer is a StringOrURI that is not a URL (RFC 7519 §2), allowed
   * only for providers configured by issuer and JWKS URL.
   */
  acceptNonUrlIssuer?: boolean;
  /** SHA-256 (hex) of the bearer secret pushes must carry. */
  authorizationSecretHash?: string;
  /** The catalog entity that owns the provider (a normalised entity ref). */
  owner?: string;
  /** The catalog entity that consumes its SETs (a normalised entity ref). */
  consumer?: string;
  deliveryMethod: DeliveryMethod;
  pollEndpointUrl?: string;
  remoteStreamId?: string;
  verificationState?: string;
  lastVerifiedAt?: Date;
  remoteStreamStatus?: string;
  remoteStreamReason?: string;
  remoteStreamUpdatedAt?: Date;
  /**
   * The `aud` the provider's transmitter chose for our stream there
   * (Transmitter-Supplied, SSF 1.0 §8.1.1), as it answered it; SETs from this
   * provider naming it are accepted besides `ssf.receiver.audience`.
   */
  remoteStreamAud?: string | string[];
  remoteStreamEventsRequested?: string[];
  remoteStreamEventsDelivered?: string[];
  remoteStreamDescription?: string;
  remoteStreamDeliveryMethod?: string;
  /**
   * The stream's `delivery.endpoint_url`: our ingestion URL for push, the
   * URL the transmitter chose for poll (RFC 8936 §2), which the poller uses
   * instead of `pollEndpointUrl`.
   */
  remoteStreamEndpointUrl?: string;
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
    | 'remoteStreamAud'
    | 'remoteStreamEventsRequested'
    | 'remoteStreamEventsDelivered'
    | 'remoteStreamDescription'
    | 'remoteStreamDeliveryMethod'
    | 'remoteStreamEndpointUrl'
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
  remoteStreamAud: 'remote_stream_aud_json',
  remoteStreamEventsRequested: 'remote_stream_events_requested_json',
  remoteStreamEventsDelivered: 'remote_stream_events_delivered_json',
  remoteStreamDescription: 'remote_stream_description',
  remoteStreamDeliveryMethod: 'remote_stream_delivery_method',
  remoteStreamEndpointUrl: 'remote_stream_endpoint_url',
  lastPollAt: 'last_poll_at',
  lastPollError: 'last_poll_error',
  pollEndpointUrl: 'poll_endpoint_url',
  deliveryMethod: 'delivery_method',
};

/** State columns holding JSON. */
const JSON_STATE: ReadonlySet<keyof ProviderStatePatch> = new Set([
  'remoteStreamAud',
  'remoteStreamEventsRequested',
  'remoteStreamEventsDelivered',
]);

/**
 * The columns only the receiver writes (what it learnt from the transmitter
 * or from polling): a replace or status change of the provider, built from a
 * copy read earlier, must not put back values a remote-stream call or a poll
 * changed meanwhile.
 */
const RECEIVER_STATE_COLUMNS = Object.entries(STATE_COLUMNS)
  .filter(([key]) => key !== 'pollEndpointUrl' && key !== 'deliveryMethod')
  .map(([, column]) => column);

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

  get(id: string, tx?: Knex.Transaction) {
    return this.#findBy({ id }, tx);
  }

  getByIssuer(issuer: string, tx?: Knex.Transaction) {
    return this.#findBy({ issuer }, tx);
  }

  getByName(name: string, tx?: Knex.Transaction) {
    return this.#findBy({ name }, tx);
  }

  /** The provider with this id, issuer or name (each is unique). */
  async #findBy(
    where: { id: string } | { issuer: string } | { name: string },
    tx?: Knex.Transaction,
  ): Promise<ProviderRecord | undefined> {
    const row = await (tx ?? this.#knex)(TABLE).where(where).first();
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

  /** Writes the admin-owned fields; receiver state changes via patchState. */
  async update(provider: ProviderRecord, tx?: Knex.Transaction): Promise<void> {
    const { id, created_at, ...rest } = toRow(provider);
    const row: Record<string, unknown> = rest;
    for (const column of RECEIVER_STATE_COLUMNS) {
      delete row[column];
    }
    await (tx ?? this.#knex)(TABLE).where({ id }).update(row);
  }

  /** Changes only the given receiver-maintained fields. */
  async patchState(
    id: string,
    patch: ProviderStatePatch,
    tx?: Knex.Transaction,
  ): Promise<void> {
    const row = stateRow(patch);
    if (Object.keys(row).length) {
      await (tx ?? this.#knex)(TABLE).where({ id }).update(row);
    }
  }

  /**
   * Records a stream just created at the provider's transmitter, unless the
   * provider already has one (another request created it meanwhile): one
   * conditional update, so two concurrent creates cannot both be recorded.
   * Returns whether it was recorded.
   */
  async claimRemoteStream(
    id: string,
    patch: ProviderStatePatch & { remoteStreamId: string },
  ): Promise<boolean> {
    const changed = await this.#knex(TABLE)
      .where({ id })
      .whereNull('remote_stream_id')
      .update(stateRow(patch));
    return changed > 0;
  }

  /** Deletes a provider; returns whether it existed. */
  async delete(id: string, tx?: Knex.Transaction): Promise<boolean> {
    return (await (tx ?? this.#knex)(TABLE).where({ id }).delete()) > 0;
  }
}

function stateRow(patch: ProviderStatePatch): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(STATE_COLUMNS)) {
    if (key in patch) {
      const value = (patch as Record<string, unknown>)[key];
      if (value === undefined || value === null) {
        row[column] = null;
      } else if (JSON_STATE.has(key as keyof ProviderStatePatch)) {
        row[column] = JSON.stringify(value);
      } else {
        row[column] = value;
      }
    }
  }
  return row;
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
    accept_untyped_sets: p.acceptUntypedSets ?? false,
    accept_non_url_issuer: p.acceptNonUrlIssuer ?? false,
    authorization_secret_hash: p.authorizationSecretHash ?? null,
    owner: p.owner ?? null,
    consumer: p.consumer ?? null,
    delivery_method: p.deliveryMethod,
    poll_endpoint_url: p.pollEndpointUrl ?? null,
    remote_stream_id: p.remoteStreamId ?? null,
    verification_state: p.verificationState ?? null,
    last_verified_at: p.lastVerifiedAt ?? null,
    remote_stream_status: p.remoteStreamStatus ?? null,
    remote_stream_reason: p.remoteStreamReason ?? null,
    remote_stream_updated_at: p.remoteStreamUpdatedAt ?? null,
    ...stateRow({
      remoteStreamAud: p.remoteStreamAud,
      remoteStreamEventsRequested: p.remoteStreamEventsRequested,
      remoteStreamEventsDelivered: p.remoteStreamEventsDelivered,
      remoteStreamDescription: p.remoteStreamDescription,
      remoteStreamDeliveryMethod: p.remoteStreamDeliveryMethod,
      remoteStreamEndpointUrl: p.remoteStreamEndpointUrl,
    }),
    last_poll_at: p.lastPollAt ?? null,
    last_poll_error: p.lastPollError ?? null,
    created_at: p.createdAt,
    updated_at: p.updatedAt,
  };
}

const optionalDate = (v: unknown) =>
  v === null || v === undefined ? undefined : toDate(v as Date);

function optionalJson<T>(v: unknown): T | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    return undefined;
  }
}

function fromRow(row: any): ProviderRecord {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    status: row.status,
    issuer: row.issuer,
    jwksUrl: row.jwks_url,
    wellKnownUrl: row.well_known_url ?? undefined,
    // SQLite gives booleans back as 0 and 1.
    acceptUntypedSets: Boolean(row.accept_untyped_sets),
    acceptNonUrlIssuer: Boolean(row.accept_non_url_issuer),
    authorizationSecretHash: row.authorization_secret_hash ?? undefined,
    ...(row.owner && { owner: row.owner }),
    ...(row.consumer && { consumer: row.consumer }),
    deliveryMethod: row.delivery_method,
    pollEndpointUrl: row.poll_endpoint_url ?? undefined,
    remoteStreamId: row.remote_stream_id ?? undefined,
    verificationState: row.verification_state ?? undefined,
    lastVerifiedAt: optionalDate(row.last_verified_at),
    remoteStreamStatus: row.remote_stream_status ?? undefined,
    remoteStreamReason: row.remote_stream_reason ?? undefined,
    remoteStreamUpdatedAt: optionalDate(row.remote_stream_updated_at),
    remoteStreamAud: optionalJson(row.remote_stream_aud_json),
    remoteStreamEventsRequested: optionalJson(
      row.remote_stream_events_requested_json,
    ),
    remoteStreamEventsDelivered: optionalJson(
      row.remote_stream_events_delivered_json,
    ),
    remoteStreamDescription: row.remote_stream_description ?? undefined,
    remoteStreamDeliveryMethod: row.remote_stream_delivery_method ?? undefined,
    remoteStreamEndpointUrl: row.remote_stream_endpoint_url ?? undefined,
    lastPollAt: optionalDate(row.last_poll_at),
    lastPollError: row.last_poll_error ?? undefined,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}
