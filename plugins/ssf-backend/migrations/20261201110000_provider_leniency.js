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
 * Per-provider leniency for pre-1.0 transmitters, off (strict) for every
 * existing provider: SETs without a `typ` header, and issuers that are not
 * URLs (RFC 7519 StringOrURI).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // One column at a time, each only if missing: this migration runs without
  // a transaction (see below), so a run that stopped halfway can be redone.
  if (!(await knex.schema.hasColumn('ssf_providers', 'accept_untyped_sets'))) {
    await knex.schema.alterTable('ssf_providers', table => {
      table
        .boolean('accept_untyped_sets')
        .notNullable()
        .defaultTo(false)
        .comment('Accept SETs without a typ header (pre-1.0 transmitters)');
    });
  }
  if (
    !(await knex.schema.hasColumn('ssf_providers', 'accept_non_url_issuer'))
  ) {
    await knex.schema.alterTable('ssf_providers', table => {
      table
        .boolean('accept_non_url_issuer')
        .notNullable()
        .defaultTo(false)
        .comment('The issuer is a StringOrURI that is not a URL');
    });
  }
};

// On SQLite, dropping a column rebuilds the table; inside the migration's
// transaction knex cannot switch foreign keys off for that, and dropping the
// old ssf_providers would null the provider_id of every received event (ON
// DELETE SET NULL). Outside one, knex turns them off around the rebuild
// (which it runs in a transaction of its own).
exports.config = { transaction: false };

/**
 * Drops the flags. A provider whose issuer is not a URL stays as it is (its
 * SETs still match it), but it can no longer be replaced without a URL
 * issuer; providers that relied on untyped SETs get them refused again.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const column of ['accept_untyped_sets', 'accept_non_url_issuer']) {
    if (await knex.schema.hasColumn('ssf_providers', column)) {
      await knex.schema.alterTable('ssf_providers', table => {
        table.dropColumn(column);
      });
    }
  }
};
