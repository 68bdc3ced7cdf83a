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

// The first outbox migration described `ssf_outbox.state` with a `held`
// value that no row ever takes (a paused stream's SETs stay `pending`; the
// admin view counts them as held). Migrations that have run are never
// edited, so the column's description is corrected here. Only PostgreSQL
// keeps column comments; on SQLite this changes nothing.

const TABLE = 'ssf_outbox';
const COLUMN = 'state';

/**
 * @param {import('knex').Knex} knex
 * @param {string} text
 */
async function describeState(knex, text) {
  if (knex.client.config.client !== 'pg') return;
  // COMMENT takes no bind parameters: the text (ours, constant) is quoted here.
  const literal = `'${text.replace(/'/g, "''")}'`;
  await knex.raw(`COMMENT ON COLUMN ??.?? IS ${literal}`, [TABLE, COLUMN]);
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await describeState(
    knex,
    "pending | delivered | dead | dropped (a paused stream's pending SETs are shown as held)",
  );
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await describeState(knex, 'pending | held | delivered | dead | dropped');
};
