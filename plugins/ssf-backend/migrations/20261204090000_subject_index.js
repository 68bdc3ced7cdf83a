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
 * The people index: which received and sent SETs name which person, by the
 * keys of their `email` and `iss_sub` identifiers (see src/people). A row
 * belongs to one received event or to one outbox SET and goes with it. The
 * index is keyed by identifier rather than by user so that it follows the
 * catalog: a user added later, or whose email changes, finds the SETs that
 * name their identities. SETs stored before this migration are not indexed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_subject_index', table => {
    table.comment(
      'Email and iss_sub identifiers named by received and sent SETs, for the Security signals card',
    );
    table.bigIncrements('id').primary();
    table
      .string('subject_key', 64)
      .notNullable()
      .comment('sha256 of the canonical identifier (email lower-cased)');
    table
      .bigInteger('received_event_id')
      .nullable()
      .references('id')
      .inTable('ssf_received_events')
      .onDelete('CASCADE');
    table
      .string('outbox_jti', 64)
      .nullable()
      .references('jti')
      .inTable('ssf_outbox')
      .onDelete('CASCADE');
    table
      .timestamp('at', { useTz: true })
      .notNullable()
      .comment('When the SET was received or stored for sending');
    table.index(['subject_key', 'at'], 'ssf_subject_index_key_idx');
    // The cascades look rows up by their event.
    table.index(['received_event_id'], 'ssf_subject_index_received_idx');
    table.index(['outbox_jti'], 'ssf_subject_index_outbox_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ssf_subject_index');
};
