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

import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { toDate } from '../../database/dates';
import {
  lockForTransaction,
  TRANSACTION_LOCKS,
} from '../../database/transactionLock';
import { isUniqueViolation } from '../../database/uniqueViolation';
import { HookDefinition, LifecycleHook } from './types';

const TABLE = 'ssf_lifecycle_hooks';

type HookRow = {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean | number;
  trigger_json: string;
  event_type: string;
  payload_template_json: string;
  subject_format: string;
  source: string;
  created_at: Date | string;
  updated_at: Date | string;
};

function fromRow(row: HookRow): LifecycleHook {
  return {
    id: row.id,
    name: row.name,
    ...(row.description !== null && { description: row.description }),
    enabled: Boolean(row.enabled),
    trigger: JSON.parse(row.trigger_json),
    eventType: row.event_type,
    payloadTemplate: JSON.parse(row.payload_template_json),
    subjectFormat: row.subject_format as LifecycleHook['subjectFormat'],
    source: row.source as LifecycleHook['source'],
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
  };
}

function toColumns(definition: HookDefinition) {
  return {
    name: definition.name,
    description: definition.description ?? null,
    enabled: definition.enabled,
    trigger_json: JSON.stringify(definition.trigger),
    event_type: definition.eventType,
    payload_template_json: JSON.stringify(definition.payloadTemplate),
    subject_format: definition.subjectFormat,
  };
}

/**
 * Reads and writes `ssf_lifecycle_hooks`. Names are unique; hooks installed
 * from config are replaced on every start and refused to API changes.
 *
 * @internal
 */
export class HookStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  async list(
    filter: { enabled?: boolean } = {},
    tx?: Knex.Transaction,
  ): Promise<LifecycleHook[]> {
    const query = (tx ?? this.#knex)<HookRow>(TABLE)
      .orderBy('created_at', 'asc')
      .orderBy('name', 'asc');
    if (filter.enabled !== undefined) query.where({ enabled: filter.enabled });
    return (await query).map(fromRow);
  }

  async get(id: string): Promise<LifecycleHook> {
    const row = await this.#knex<HookRow>(TABLE).where({ id }).first();
    if (!row) throw new NotFoundError(`No lifecycle hook with id ${id}`);
    return fromRow(row);
  }

  async create(definition: HookDefinition): Promise<LifecycleHook> {
    return this.#nameRace(definition.name, () => this.#create(definition));
  }

  async #create(definition: HookDefinition): Promise<LifecycleHook> {
    return this.#knex.transaction(async tx => {
      await this.#assertNameFree(definition.name, undefined, tx);
      const now = new Date();
      const id = `hook_${randomUUID()}`;
      await tx(TABLE).insert({
        id,
        ...toColumns(definition),
        source: 'api',
        created_at: now,
        updated_at: now,
      });
      return fromRow((await tx<HookRow>(TABLE).where({ id }).first())!);
    });
  }

  /** Replaces an API hook's definition (all of it; PATCH merges first). */
  async update(
    id: string,
    change: (current: LifecycleHook) => HookDefinition,
  ): Promise<LifecycleHook> {
    let name = '';
    return this.#nameRace(
      () => name,
      () =>
        this.#knex.transaction(async tx => {
          const current = await this.#getApiHook(id, tx);
          const definition = change(current);
          name = definition.name;
          await this.#assertNameFree(definition.name, id, tx);
          await tx(TABLE)
            .where({ id })
            .update({ ...toColumns(definition), updated_at: new Date() });
          return fromRow((await tx<HookRow>(TABLE).where({ id }).first())!);
        }),
    );
  }

  // The name check above cannot see a concurrent writer's uncommitted hook;
  // the unique index can, and its violation means the same as the check.
  async #nameRace<T>(
    name: string | (() => string),
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) {
        const taken = typeof name === 'string' ? name : name();
        throw new ConflictError(
          `A lifecycle hook named ${taken} already exists`,
        );
      }
      throw error;
    }
  }

  async delete(id: string): Promise<LifecycleHook> {
    return this.#knex.transaction(async tx => {
      const current = await this.#getApiHook(id, tx);
      await tx(TABLE).where({ id }).delete();
      return current;
    });
  }

  /**
   * Makes the config hooks in the database exactly `definitions`: adds new
   * ones, updates changed ones in place (keeping their id, so firings still
   * point at them) and deletes those no longer configured. Runs in one
   * transaction, so replicas starting together agree and a restart never
   * duplicates. A config hook whose name an API hook already has is skipped
   * and reported.
   */
  async installFromConfig(definitions: HookDefinition[]): Promise<{
    added: number;
    updated: number;
    removed: number;
    skipped: string[];
  }> {
    return this.#knex.transaction(async tx => {
      // Replicas starting together install one after the other: otherwise
      // both could find a name missing and the second insert would fail.
      await lockForTransaction(tx, TRANSACTION_LOCKS.configHooksInstall);
      const existing = await tx<HookRow>(TABLE).select();
      const byName = new Map(existing.map(r => [r.name, r]));
      const wanted = new Set(definitions.map(d => d.name));
      const result = {
        added: 0,
        updated: 0,
        removed: 0,
        skipped: [] as string[],
      };
      const now = new Date();
      for (const definition of definitions) {
        const row = byName.get(definition.name);
        const columns = toColumns(definition);
        if (!row) {
          await tx(TABLE).insert({
            id: `hook_${randomUUID()}`,
            ...columns,
            source: 'config',
            created_at: now,
            updated_at: now,
          });
          result.added += 1;
        } else if (row.source !== 'config') {
          result.skipped.push(definition.name);
        } else if (
          Object.entries(columns).some(
            ([k, v]) =>
              (k === 'enabled'
                ? Boolean(row.enabled)
                : row[k as keyof HookRow]) !== v,
          )
        ) {
          await tx(TABLE)
            .where({ id: row.id })
            .update({ ...columns, updated_at: now });
          result.updated += 1;
        }
      }
      const stale = existing
        .filter(r => r.source === 'config' && !wanted.has(r.name))
        .map(r => r.id);
      if (stale.length) {
        result.removed = await tx(TABLE).whereIn('id', stale).delete();
      }
      return result;
    });
  }

  async #getApiHook(id: string, tx: Knex.Transaction) {
    const row = await tx<HookRow>(TABLE).where({ id }).first();
    if (!row) throw new NotFoundError(`No lifecycle hook with id ${id}`);
    if (row.source === 'config') {
      throw new ConflictError(
        `The lifecycle hook ${row.name} is defined in app-config (ssf.lifecycle); change it there`,
      );
    }
    return fromRow(row);
  }

  async #assertNameFree(
    name: string,
    exceptId: string | undefined,
    tx: Knex.Transaction,
  ) {
    const row = await tx<HookRow>(TABLE).where({ name }).first();
    if (row && row.id !== exceptId) {
      throw new ConflictError(`A lifecycle hook named ${name} already exists`);
    }
  }
}
