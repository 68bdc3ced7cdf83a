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

import { JWK } from 'jose';
import { Knex } from 'knex';
import { toDate } from '../../database/dates';

const TABLE = 'ssf_signing_keys';

/** A signing key row: the public JWK and, optionally, the encrypted private JWK. @internal */
export interface StoredSigningKey {
  kid: string;
  algorithm: string;
  publicJwk: JWK;
  privateJwe?: string;
  createdAt: Date;
  retireAt: Date;
  expiresAt: Date;
}

/** Persists the transmitter's signing keys. @internal */
export class SigningKeyStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async add(key: StoredSigningKey): Promise<void> {
    await this.#knex(TABLE).insert({
      kid: key.kid,
      algorithm: key.algorithm,
      public_jwk: JSON.stringify(key.publicJwk),
      private_jwe: key.privateJwe ?? null,
      created_at: key.createdAt,
      retire_at: key.retireAt,
      expires_at: key.expiresAt,
    });
  }

  /** The newest key with a stored private part that may still sign at `now`. */
  async findNewestActive(
    algorithm: string,
    now: Date,
  ): Promise<StoredSigningKey | undefined> {
    const row = await this.#knex(TABLE)
      .where({ algorithm })
      .whereNotNull('private_jwe')
      .andWhere('retire_at', '>', now)
      .orderBy('created_at', 'desc')
      .first();
    return row ? toKey(row) : undefined;
  }

  /** Every key still published at `now`, newest first. */
  async listPublished(now: Date): Promise<StoredSigningKey[]> {
    const rows = await this.#knex(TABLE)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc');
    return rows.map(toKey);
  }

  /** Removes keys that are no longer published; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    return this.#knex(TABLE).where('expires_at', '<=', now).delete();
  }
}

function toKey(row: any): StoredSigningKey {
  return {
    kid: row.kid,
    algorithm: row.algorithm,
    publicJwk: JSON.parse(row.public_jwk),
    privateJwe: row.private_jwe ?? undefined,
    createdAt: toDate(row.created_at),
    retireAt: toDate(row.retire_at),
    expiresAt: toDate(row.expires_at),
  };
}
