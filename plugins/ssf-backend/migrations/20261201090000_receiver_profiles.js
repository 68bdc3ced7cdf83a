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
 * Receiver profiles: how a stream's SETs are shaped for its kind of receiver
 * (`ssf` for SSF 1.0 as written, `okta` for Okta Identity Threat
 * Protection, more from modules). Existing streams are plain SSF.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ssf_streams', table => {
    table
      .string('receiver_profile', 32)
      .notNullable()
      .defaultTo('ssf')
      .comment("Receiver profile id that shapes this stream's SETs");
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ssf_streams', table => {
    table.dropColumn('receiver_profile');
  });
};

// On SQLite, dropping a column rebuilds the table; inside a transaction knex
// cannot switch foreign keys off for that, and dropping the old ssf_streams
// would cascade to its subjects and outbox rows. Outside one, knex turns them
// off around the rebuild.
exports.config = { transaction: false };
