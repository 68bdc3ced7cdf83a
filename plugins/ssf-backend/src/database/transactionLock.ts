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

import { Knex } from 'knex';

/**
 * The keys of the plugin's PostgreSQL advisory locks: arbitrary constants,
 * the same on every replica, one per operation that must not run twice at
 * once across replicas.
 *
 * @internal
 */
export const TRANSACTION_LOCKS = {
  /** Creating a stream: one per client, maxStreams, unique audiences. */
  streamCreate: 0x55f0_0001,
  /** Installing the hooks named in config at start. */
  configHooksInstall: 0x55f0_0002,
} as const;

/**
 * Holds a lock until the transaction ends, so that the same operation on
 * another replica waits instead of both reading "not there yet" under READ
 * COMMITTED and then colliding. SQLite allows one writer at a time, which
 * already serialises these transactions.
 *
 * @internal
 */
export async function lockForTransaction(
  tx: Knex.Transaction,
  key: (typeof TRANSACTION_LOCKS)[keyof typeof TRANSACTION_LOCKS],
): Promise<void> {
  if (tx.client.config.client === 'pg') {
    await tx.raw('SELECT pg_advisory_xact_lock(?)', [key]);
  }
}
