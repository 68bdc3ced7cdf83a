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
 * The delivery outbox (one row per SET per stream), verification bookkeeping on
 * streams, and whether an explicitly listed subject is included or excluded.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_outbox', table => {
    table.comment(
      'Signed SETs waiting for, or done with, delivery to one stream',
    );
    table.string('jti', 64).primary().notNullable();
    table
      .string('stream_id', 64)
      .notNullable()
      .references('stream_id')
      .inTable('ssf_streams')
      .onDelete('CASCADE');
    table.string('event_type', 256).notNullable();
    table.string('txn', 64).notNullable();
    table.text('set_jws').notNullable().comment('The compact, signed SET');
    table
      .string('state', 16)
      .notNullable()
      .comment('pending | held | delivered | dead | dropped');
    table
      .boolean('control')
      .notNullable()
      .defaultTo(false)
      .comment('Sent whatever the stream status (stream-updated notices)');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.string('lease_owner', 64).nullable();
    table.timestamp('lease_expires_at', { useTz: true }).nullable();
    table.text('last_error').nullable();
    table.timestamp('last_error_at', { useTz: true }).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('delivered_at', { useTz: true }).nullable();
    table.index(['state', 'next_attempt_at'], 'ssf_outbox_due_idx');
    table.index(['stream_id', 'state', 'created_at'], 'ssf_outbox_stream_idx');
  });

  await knex.schema.alterTable('ssf_streams', table => {
    table.text('verification_state').nullable();
    table.string('verification_jti', 64).nullable();
    table.timestamp('verification_requested_at', { useTz: true }).nullable();
  });

  await knex.schema.alterTable('ssf_stream_subjects', table => {
    table
      .boolean('included')
      .notNullable()
      .defaultTo(true)
      .comment(
        'true: added (SSF subjects:add); false: removed from a default-ALL stream',
      );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ssf_stream_subjects', table => {
    table.dropColumn('included');
  });
  await knex.schema.alterTable('ssf_streams', table => {
    table.dropColumn('verification_state');
    table.dropColumn('verification_jti');
    table.dropColumn('verification_requested_at');
  });
  await knex.schema.dropTable('ssf_outbox');
};
