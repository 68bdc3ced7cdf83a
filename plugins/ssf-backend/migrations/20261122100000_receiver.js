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
 * The receiver: Security Events Providers (transmitters we accept SETs from)
 * and the SETs received from them, stored once per (iss, jti).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ssf_providers', table => {
    table.comment(
      'Security Events Providers: transmitters the receiver trusts',
    );
    table.string('id', 32).primary().notNullable();
    table
      .string('name', 255)
      .notNullable()
      .unique({ indexName: 'ssf_providers_name_uq' });
    table.string('type', 64).notNullable();
    table.string('status', 16).notNullable().comment('ACTIVE or INACTIVE');
    table
      .string('issuer', 1024)
      .notNullable()
      .unique({ indexName: 'ssf_providers_issuer_uq' })
      .comment(
        'The iss of its SETs; read from the metadata for well-known providers',
      );
    table.string('jwks_url', 2048).notNullable();
    table
      .string('well_known_url', 2048)
      .nullable()
      .comment('Set when configured by the transmitter metadata URL');
    table
      .text('authorization_secret_hash')
      .nullable()
      .comment('SHA-256 (hex) of the bearer secret pushes must carry');
    table
      .string('delivery_method', 64)
      .notNullable()
      .defaultTo('urn:ietf:rfc:8935');
    table.string('poll_endpoint_url', 2048).nullable();
    table.string('remote_stream_id', 256).nullable();
    table
      .string('verification_state', 256)
      .nullable()
      .comment('The state sent with our last verification request');
    table.timestamp('last_verified_at', { useTz: true }).nullable();
    table.string('remote_stream_status', 16).nullable();
    table.text('remote_stream_reason').nullable();
    table.timestamp('remote_stream_updated_at', { useTz: true }).nullable();
    table.timestamp('last_poll_at', { useTz: true }).nullable();
    table.text('last_poll_error').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('ssf_received_events', table => {
    table.comment('SETs received, verified and stored once per (iss, jti)');
    table.bigIncrements('id').primary();
    table
      .string('provider_id', 32)
      .nullable()
      .references('id')
      .inTable('ssf_providers')
      .onDelete('SET NULL')
      .comment('Null once the provider is deleted; the history stays');
    table.string('iss', 1024).notNullable();
    table.string('jti', 256).notNullable();
    table
      .string('event_type', 512)
      .notNullable()
      .comment('The first event type');
    table.text('event_types_json').notNullable();
    table.string('subject_format', 64).nullable();
    table
      .string('subject_value', 1024)
      .nullable()
      .comment('The identifying value of the principal subject, for filtering');
    table.string('txn', 256).nullable();
    table.timestamp('iat', { useTz: true }).notNullable();
    table.timestamp('received_at', { useTz: true }).notNullable();
    table.string('delivery_method', 64).notNullable();
    table.text('claims_json').notNullable();
    table.text('set_jwt').notNullable().comment('The compact SET as received');
    table.text('handler_error').nullable();
    table.unique(['iss', 'jti'], {
      indexName: 'ssf_received_events_iss_jti_uq',
    });
    table.index(['provider_id', 'id'], 'ssf_received_events_provider_idx');
    table.index(['event_type', 'id'], 'ssf_received_events_type_idx');
    table.index(['subject_value', 'id'], 'ssf_received_events_subject_idx');
    table.index(['received_at'], 'ssf_received_events_received_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ssf_received_events');
  await knex.schema.dropTable('ssf_providers');
};
