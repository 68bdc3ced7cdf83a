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
 * When a stream's receiver last called the transmitter (stream management,
 * status, verification, subjects or a poll): the clock of SSF 1.0 §8.1.1
 * `inactivity_timeout`. Null for existing streams; the inactivity check
 * starts their clock the first time it sees them, rather than pausing a
 * stream for idleness it never observed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // Only if missing: this migration runs without a transaction (see below),
  // so a run that stopped halfway can be redone.
  if (
    !(await knex.schema.hasColumn('ssf_streams', 'last_receiver_activity_at'))
  ) {
    await knex.schema.alterTable('ssf_streams', table => {
      table
        .timestamp('last_receiver_activity_at', { useTz: true })
        .nullable()
        .comment(
          "The stream's receiver's last call to the transmitter (inactivity_timeout)",
        );
    });
  }
};

// On SQLite, dropping a column rebuilds the table; inside the migration's
// transaction knex cannot switch foreign keys off for that, and dropping the
// old ssf_streams would cascade to every stream's subjects and outbox rows.
// Outside one, knex turns them off around the rebuild (which it runs in a
// transaction of its own).
exports.config = { transaction: false };

/**
 * Drops the column; the inactivity check, if still configured, would start
 * every stream's clock afresh.
 *
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  if (await knex.schema.hasColumn('ssf_streams', 'last_receiver_activity_at')) {
    await knex.schema.alterTable('ssf_streams', table => {
      table.dropColumn('last_receiver_activity_at');
    });
  }
};
