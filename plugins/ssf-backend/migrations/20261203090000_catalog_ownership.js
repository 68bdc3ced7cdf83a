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

// @ts-check

const TABLES = ['ssf_streams', 'ssf_providers'];
const COLUMNS = {
  owner: 'Catalog entity ref of the owner (e.g. group:default/security)',
  consumer:
    'Catalog entity ref of the component that consumes it (e.g. component:default/payments)',
};

/**
 * Who owns a stream or provider, and which component consumes it, as
 * normalised catalog entity refs: the catalog module publishes them as the
 * resource's owner and as a dependsOn relation from the consumer. Null for
 * existing rows (the catalog falls back to its default owner).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // One column at a time, each only if missing: this migration runs without
  // a transaction (see below), so a run that stopped halfway can be redone.
  for (const table of TABLES) {
    for (const [column, comment] of Object.entries(COLUMNS)) {
      if (!(await knex.schema.hasColumn(table, column))) {
        await knex.schema.alterTable(table, t => {
          t.string(column, 512).nullable().comment(comment);
        });
      }
    }
  }
};

// On SQLite, dropping a column rebuilds the table; inside the migration's
// transaction knex cannot switch foreign keys off for that, and dropping the
// old tables would cascade to every stream's subjects and outbox rows, and
// null the provider of every received event. Outside one, knex turns them
// off around the rebuild (which it runs in a transaction of its own).
exports.config = { transaction: false };

/**
 * Drops the columns; the catalog shows every stream and provider with its
 * default owner again, and no consumer.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of TABLES) {
    for (const column of Object.keys(COLUMNS)) {
      if (await knex.schema.hasColumn(table, column)) {
        await knex.schema.alterTable(table, t => {
          t.dropColumn(column);
        });
      }
    }
  }
};
