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
 * What a provider's transmitter answered about the stream this receiver made
 * there (SSF 1.0 §8.1.1): the Transmitter-Supplied `aud` and
 * `events_delivered`, the delivery it set up (for poll, the `endpoint_url` it
 * chose, RFC 8936 §2), and the Receiver-Supplied members as it now holds them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Each column only if missing: this migration runs without a transaction
  // (see below), so a run that stopped halfway can be redone.
  /** @type {Array<[string, (t: import('knex').Knex.CreateTableBuilder) => void]>} */
  const columns = [
    [
      'remote_stream_aud_json',
      t =>
        t
          .text('remote_stream_aud_json')
          .nullable()
          .comment(
            'JSON string or array: the aud the transmitter chose for our stream; SETs naming it are accepted',
          ),
    ],
    [
      'remote_stream_events_requested_json',
      t => t.text('remote_stream_events_requested_json').nullable(),
    ],
    [
      'remote_stream_events_delivered_json',
      t => t.text('remote_stream_events_delivered_json').nullable(),
    ],
    [
      'remote_stream_description',
      t => t.text('remote_stream_description').nullable(),
    ],
    [
      'remote_stream_delivery_method',
      t => t.string('remote_stream_delivery_method', 64).nullable(),
    ],
    [
      'remote_stream_endpoint_url',
      t =>
        t
          .text('remote_stream_endpoint_url')
          .nullable()
          .comment(
            'For push our ingestion URL; for poll the URL the transmitter chose, which the poller uses',
          ),
    ],
  ];
  for (const [name, add] of columns) {
    if (!(await knex.schema.hasColumn('ssf_providers', name))) {
      await knex.schema.alterTable('ssf_providers', add);
    }
  }
};

// On SQLite, dropping a column rebuilds the table; inside the migration's
// transaction knex cannot switch foreign keys off for that, and dropping the
// old ssf_providers would null the provider_id of every received event (ON
// DELETE SET NULL). Outside one, knex turns them off around the rebuild.
exports.config = { transaction: false };

/**
 * Drops the columns; a stream made at a transmitter stays there, but SETs
 * naming only its transmitter-chosen aud are refused again.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const column of [
    'remote_stream_endpoint_url',
    'remote_stream_delivery_method',
    'remote_stream_description',
    'remote_stream_events_delivered_json',
    'remote_stream_events_requested_json',
    'remote_stream_aud_json',
  ]) {
    if (await knex.schema.hasColumn('ssf_providers', column)) {
      await knex.schema.alterTable('ssf_providers', table => {
        table.dropColumn(column);
      });
    }
  }
};
