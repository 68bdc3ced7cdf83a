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

/**
 * Hooks that fire on a received SET emit with its txn (or its jti when it
 * has none), which the receiver stores up to 256 characters: the firings'
 * txn column is widened to match the outbox's.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // SQLite does not enforce a varchar's length (and widening one there
  // would rebuild the table); every other database is told.
  if (!String(knex.client.config.client).includes('sqlite')) {
    await knex.schema.alterTable('ssf_hook_firings', table => {
      table.string('txn', 256).notNullable().alter();
    });
  }
};

/**
 * Nothing to undo: narrowing the column would fail on the longer txns of
 * firings on received SETs.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
