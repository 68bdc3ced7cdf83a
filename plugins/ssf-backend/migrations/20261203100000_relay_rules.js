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
 * The relay: per provider, which received event types are re-sent to the
 * portal's own streams. A relayed SET keeps the received SET's txn (or its
 * jti when it had none), so the outbox gets an index on txn (the relay's
 * loop guard asks which streams already have a SET with a txn) and the
 * column is widened to what the receiver stores of a txn (256).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_relay_rules', table => {
    table.comment(
      'Which event types received from a provider are re-sent to the portal streams',
    );
    table
      .string('provider_id', 32)
      .primary()
      .notNullable()
      .references('id')
      .inTable('ssf_providers')
      .onDelete('CASCADE');
    table
      .text('event_types_json')
      .notNullable()
      .comment('JSON array of the event type URIs relayed');
    table.string('updated_by', 255).nullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  // SQLite does not enforce a varchar's length (and widening one there
  // would rebuild the table); every other database is told.
  if (!String(knex.client.config.client).includes('sqlite')) {
    await knex.schema.alterTable('ssf_outbox', table => {
      table.string('txn', 256).notNullable().alter();
    });
  }
  await knex.schema.alterTable('ssf_outbox', table => {
    table.index(['txn', 'stream_id'], 'ssf_outbox_txn_idx');
  });
};

/**
 * Drops the rules and the index. The txn column stays 256 wide: narrowing
 * it would fail on the relayed SETs' longer txns.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ssf_outbox', table => {
    table.dropIndex(['txn', 'stream_id'], 'ssf_outbox_txn_idx');
  });
  await knex.schema.dropTable('ssf_relay_rules');
};
