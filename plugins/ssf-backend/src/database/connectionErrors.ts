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

// PostgreSQL SQLSTATEs (Appendix A of its manual) that mean the connection,
// not the statement, failed: class 08 (connection exception) and, in class
// 57, admin_shutdown (57P01: pg_terminate_backend, a restart or failover),
// crash_shutdown (57P02) and cannot_connect_now (57P03).
// Node's own socket errors are added: a pooled connection whose server end
// was closed can also fail with "read ECONNRESET" or "write EPIPE".
const CONNECTION_LEVEL_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNRESET',
  'EPIPE',
]);

// node-postgres (pg) reports a socket that went away with no SQLSTATE, only
// in words: "Connection terminated unexpectedly", "Connection terminated"
// (ended while a query was queued) and "Client has encountered a connection
// error and is not queryable".
const CONNECTION_LEVEL_MESSAGE =
  /Connection terminated|connection error and is not queryable|Client was closed and is not queryable/i;

/**
 * Whether a database error says the connection it ran on was dead (a pooled
 * PostgreSQL connection whose backend was terminated, say), rather than that
 * the statement was wrong. Such a statement never ran to completion, and
 * running it again on a fresh connection can succeed.
 *
 * @internal
 */
export function isConnectionLevelError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  if (typeof e?.code === 'string') {
    if (CONNECTION_LEVEL_CODES.has(e.code) || /^08[0-9A-Z]{3}$/.test(e.code)) {
      return true;
    }
  }
  return (
    typeof e?.message === 'string' && CONNECTION_LEVEL_MESSAGE.test(e.message)
  );
}
