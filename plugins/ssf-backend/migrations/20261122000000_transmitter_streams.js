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
 * Transmitter streams, their subjects, and the transmitter's signing keys.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_streams', table => {
    table.comment('SSF transmitter event streams, one per receiver client ID');
    table.string('stream_id', 64).primary().notNullable();
    table
      .string('client_id', 256)
      .notNullable()
      .unique({ indexName: 'ssf_streams_client_id_uq' })
      .comment('Owner: the OAuth client ID (service principal subject)');
    table.string('iss', 1024).notNullable();
    table.text('aud_json').notNullable().comment('JSON string or array');
    table.text('events_requested_json').notNullable().comment('JSON array');
    table.string('delivery_method', 64).notNullable();
    table.string('endpoint_url', 2048).notNullable();
    table
      .text('authorization_header')
      .nullable()
      .comment('Secret: sent to push receivers, never returned by the API');
    table.text('description').nullable();
    table.string('status', 16).notNullable().defaultTo('enabled');
    table.text('status_reason').nullable();
    table.integer('min_verification_interval').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ssf_stream_subjects', table => {
    table.comment('Subjects explicitly added to or removed from a stream');
    table
      .string('stream_id', 64)
      .notNullable()
      .references('stream_id')
      .inTable('ssf_streams')
      .onDelete('CASCADE');
    table
      .string('subject_key', 512)
      .notNullable()
      .comment('Canonical form of the subject identifier, for matching');
    table.text('subject_json').notNullable();
    table.boolean('verified').notNullable().defaultTo(true);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.primary(['stream_id', 'subject_key']);
  });

  await knex.schema.createTable('ssf_signing_keys', table => {
    table.comment(
      'Keys the transmitter signs SETs with; public parts are published',
    );
    table.string('kid', 128).primary().notNullable();
    table.string('algorithm', 16).notNullable();
    table.text('public_jwk').notNullable();
    table
      .text('private_jwe')
      .nullable()
      .comment(
        'Private JWK encrypted (JWE dir/A256GCM); null when held in memory only',
      );
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('retire_at', { useTz: true })
      .notNullable()
      .comment('No new SETs are signed with the key after this');
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('The key is no longer published after this');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ssf_signing_keys');
  await knex.schema.dropTable('ssf_stream_subjects');
  await knex.schema.dropTable('ssf_streams');
};
