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
import { Attributes } from './attributes';

const TABLE = 'ssf_identity_snapshots';

// Rows per insert when the first run records every identity: well under
// SQLite's and PostgreSQL's bound-parameter limits at five columns a row.
const INSERT_CHUNK = 500;

/** The last seen state of one identity. @internal */
export interface Snapshot {
  identity: string;
  source: string;
  hash: string;
  attributes: Attributes;
  updatedAt: Date;
}

/**
 * Reads and writes `ssf_identity_snapshots`, the state each identity change
 * is diffed against.
 *
 * @internal
 */
export class SnapshotStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /**
   * Identity to hash for one source: all a reconciliation needs in memory
   * (about 150 bytes an identity) to find what changed.
   */
  async hashes(source: string): Promise<Map<string, string>> {
    const rows = await this.#knex(TABLE)
      .where({ source })
      .select<Array<{ identity: string; hash: string }>>('identity', 'hash');
    return new Map(rows.map(r => [r.identity, r.hash]));
  }

  async count(source?: string): Promise<number> {
    const query = this.#knex(TABLE).count<Array<{ n: number | string }>>({
      n: '*',
    });
    if (source) query.where({ source });
    const [{ n }] = await query;
    return Number(n);
  }

  /**
   * One identity's snapshot, locked for the rest of the transaction on
   * PostgreSQL so that two processors of the same identity (the
   * reconciliation and a catalog event) take turns; SQLite has one writer.
   */
  async getForUpdate(
    identity: string,
    tx: Knex.Transaction,
  ): Promise<Snapshot | undefined> {
    const query = tx(TABLE).where({ identity }).first();
    if (tx.client.config.client === 'pg') query.forUpdate();
    const row = await query;
    return row
      ? {
          identity: row.identity,
          source: row.source,
          hash: row.hash,
          attributes: JSON.parse(row.attributes_json),
          updatedAt: toDate(row.updated_at),
        }
      : undefined;
  }

  async put(
    snapshot: Omit<Snapshot, 'updatedAt'>,
    now: Date,
    tx: Knex.Transaction,
  ): Promise<void> {
    await tx(TABLE)
      .insert({
        identity: snapshot.identity,
        source: snapshot.source,
        hash: snapshot.hash,
        attributes_json: JSON.stringify(snapshot.attributes),
        updated_at: now,
      })
      .onConflict('identity')
      .merge();
  }

  async delete(identity: string, tx: Knex.Transaction): Promise<void> {
    await tx(TABLE).where({ identity }).delete();
  }

  /** Records many identities at once, without events (a first run). */
  async putMany(
    source: string,
    snapshots: Array<{
      identity: string;
      hash: string;
      attributes: Attributes;
    }>,
    now: Date,
  ): Promise<void> {
    await this.#knex.transaction(async tx => {
      for (let i = 0; i < snapshots.length; i += INSERT_CHUNK) {
        await tx(TABLE)
          .insert(
            snapshots.slice(i, i + INSERT_CHUNK).map(s => ({
              identity: s.identity,
              source,
              hash: s.hash,
              attributes_json: JSON.stringify(s.attributes),
              updated_at: now,
            })),
          )
          .onConflict('identity')
          .merge();
      }
    });
  }
}
