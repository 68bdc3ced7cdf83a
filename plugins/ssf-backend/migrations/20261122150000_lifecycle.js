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
 * Identity lifecycle hooks: the hooks themselves, the last seen state of
 * every identity (to diff against), one row per processed identity change
 * (its idempotency key makes a change emit once however many sources see
 * it), the SETs each hook fired, and the catalog reconciliation's last run.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_lifecycle_hooks', table => {
    table.comment('When an identity attribute changes, emit an event');
    table.string('id', 48).primary().notNullable();
    table
      .string('name', 100)
      .notNullable()
      .unique({ indexName: 'ssf_lifecycle_hooks_name_uq' });
    table.text('description').nullable();
    table.boolean('enabled').notNullable();
    table
      .text('trigger_json')
      .notNullable()
      .comment('{on, path?, from?, to?}: what change fires the hook');
    table.string('event_type', 512).notNullable();
    table.text('payload_template_json').notNullable();
    table.string('subject_format', 16).notNullable();
    table
      .string('source', 16)
      .notNullable()
      .comment('config (seeded from app-config, read-only) or api');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ssf_identity_snapshots', table => {
    table.comment('The last seen attributes of each identity');
    table
      .string('identity', 512)
      .primary()
      .notNullable()
      .comment('A catalog entity ref, or subject: and the canonical subject');
    table
      .string('source', 64)
      .notNullable()
      .comment('catalog, api or an extension source id');
    table
      .string('hash', 64)
      .notNullable()
      .comment('SHA-256 of the attributes, for a cheap comparison');
    table.text('attributes_json').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['source'], 'ssf_identity_snapshots_source_idx');
  });

  await knex.schema.createTable('ssf_identity_changes', table => {
    table.comment('Identity changes processed, once each');
    table
      .string('idempotency_key', 64)
      .primary()
      .notNullable()
      .comment('SHA-256 of identity, state before and change');
    table.string('identity', 512).notNullable();
    table.string('source', 64).notNullable();
    table.text('changes_json').notNullable();
    table.integer('events').notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('processed_at', { useTz: true }).notNullable();
    table.index(['processed_at'], 'ssf_identity_changes_processed_idx');
  });

  await knex.schema.createTable('ssf_hook_firings', table => {
    table.comment('Each event a hook emitted, and why');
    table.bigIncrements('id').primary();
    table
      .string('hook_id', 48)
      .nullable()
      .references('id')
      .inTable('ssf_lifecycle_hooks')
      .onDelete('SET NULL')
      .comment('Null once the hook is deleted; the record stays');
    table.string('hook_name', 100).notNullable();
    table.string('change_key', 64).notNullable();
    table.string('identity', 512).notNullable();
    table.text('subject_json').notNullable();
    table.text('change_json').notNullable();
    table.string('event_type', 512).notNullable();
    table.string('txn', 64).notNullable();
    table.text('sets_json').notNullable().comment('[{stream_id, jti}]');
    table.string('source', 64).notNullable();
    table.timestamp('observed_at', { useTz: true }).notNullable();
    table.timestamp('fired_at', { useTz: true }).notNullable();
    table.index(['hook_id', 'id'], 'ssf_hook_firings_hook_idx');
    table.index(['identity', 'id'], 'ssf_hook_firings_identity_idx');
    table.index(['fired_at'], 'ssf_hook_firings_fired_idx');
  });

  await knex.schema.createTable('ssf_lifecycle_runs', table => {
    table.comment('The last run of each identity reconciliation');
    table.string('source', 64).primary().notNullable();
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('finished_at', { useTz: true }).notNullable();
    table.text('result_json').notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ssf_lifecycle_runs');
  await knex.schema.dropTable('ssf_hook_firings');
  await knex.schema.dropTable('ssf_identity_changes');
  await knex.schema.dropTable('ssf_identity_snapshots');
  await knex.schema.dropTable('ssf_lifecycle_hooks');
};
