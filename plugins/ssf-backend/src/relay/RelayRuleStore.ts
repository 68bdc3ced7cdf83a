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
import { toDate } from '../database/dates';

const TABLE = 'ssf_relay_rules';

/** Which event types received from one provider are relayed. @internal */
export interface RelayRule {
  providerId: string;
  /** Event type URIs; never empty (no rule is stored for none). */
  eventTypes: string[];
  updatedBy?: string;
  updatedAt: Date;
}

/**
 * Reads and writes `ssf_relay_rules`, one row per provider. A rule with no
 * event types is no row: the provider relays nothing.
 *
 * @internal
 */
export class RelayRuleStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async get(providerId: string): Promise<RelayRule | undefined> {
    const row = await this.#knex(TABLE)
      .where({ provider_id: providerId })
      .first();
    return row ? fromRow(row) : undefined;
  }

  /** The rules of these providers, by provider id, read in `tx`. */
  async forProviders(
    providerIds: string[],
    tx?: Knex.Transaction,
  ): Promise<Map<string, RelayRule>> {
    if (providerIds.length === 0) return new Map();
    const rows = await (tx ?? this.#knex)(TABLE).whereIn(
      'provider_id',
      providerIds,
    );
    return new Map(rows.map(r => [r.provider_id, fromRow(r)]));
  }

  /** Replaces a provider's rule; no event types deletes it. */
  async put(rule: RelayRule): Promise<RelayRule | undefined> {
    if (rule.eventTypes.length === 0) {
      await this.#knex(TABLE).where({ provider_id: rule.providerId }).delete();
      return undefined;
    }
    await this.#knex(TABLE)
      .insert({
        provider_id: rule.providerId,
        event_types_json: JSON.stringify(rule.eventTypes),
        updated_by: rule.updatedBy ?? null,
        updated_at: rule.updatedAt,
      })
      .onConflict('provider_id')
      .merge();
    return rule;
  }
}

function fromRow(row: any): RelayRule {
  return {
    providerId: row.provider_id,
    eventTypes: JSON.parse(row.event_types_json),
    updatedBy: row.updated_by ?? undefined,
    updatedAt: toDate(row.updated_at),
  };
}
