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

// Per-minute counters behind the admin pages' charts. The outbox cannot
// answer "how many pushes failed between 14:00 and 15:00": a row keeps only
// its attempt count and its last error time, a redelivered dead SET loses
// its dead-letter time, and finished rows are deleted after the history
// retention. So each delivery outcome and each refused SET adds one to a
// (owner, minute) row here, which the history routes sum by hour.
// `minute` is whole minutes since the Unix epoch: an integer compares and
// divides the same on SQLite and PostgreSQL, with no time zone in between.

const DELIVERY = 'ssf_delivery_counts';
const REJECTIONS = 'ssf_received_rejections';

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  // Each table only if missing: the migration runs without a transaction
  // (see below), so a run that stopped halfway can be redone.
  if (!(await knex.schema.hasTable(DELIVERY))) {
    await knex.schema.createTable(DELIVERY, table => {
      table.comment('Delivery outcomes per stream per minute (admin charts)');
      table.string('stream_id', 128).notNullable();
      table
        .bigInteger('minute')
        .notNullable()
        .comment('Whole minutes since the Unix epoch (UTC)');
      table
        .integer('delivered')
        .notNullable()
        .defaultTo(0)
        .comment('SETs delivered (push answered 202, or poll acknowledged)');
      table
        .integer('failed')
        .notNullable()
        .defaultTo(0)
        .comment('Push attempts that failed and were scheduled again');
      table
        .integer('dead')
        .notNullable()
        .defaultTo(0)
        .comment('SETs dead-lettered');
      table.primary(['stream_id', 'minute']);
      table.index(['minute'], 'ssf_delivery_counts_minute_idx');
    });
  }
  if (!(await knex.schema.hasTable(REJECTIONS))) {
    await knex.schema.createTable(REJECTIONS, table => {
      table.comment(
        'SETs refused by ingestion per provider, error code and minute',
      );
      table.string('provider_id', 32).notNullable();
      table
        .bigInteger('minute')
        .notNullable()
        .comment('Whole minutes since the Unix epoch (UTC)');
      table
        .string('err', 64)
        .notNullable()
        .comment('The RFC 8935 error code answered');
      table.integer('count').notNullable().defaultTo(0);
      table.primary(['provider_id', 'minute', 'err']);
      table.index(['minute'], 'ssf_received_rejections_minute_idx');
    });
  }
};

// Like its neighbours, outside a transaction; each step checks first, so a
// partial run is finished by the next.
exports.config = { transaction: false };

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTableIfExists(REJECTIONS);
  await knex.schema.dropTableIfExists(DELIVERY);
};
