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

import { isConnectionLevelError } from './connectionErrors';

describe('isConnectionLevelError', () => {
  it.each([
    // PostgreSQL Appendix A: admin_shutdown, crash_shutdown, cannot_connect_now.
    [
      {
        code: '57P01',
        message: 'terminating connection due to administrator command',
      },
    ],
    [{ code: '57P02' }],
    [{ code: '57P03' }],
    // Class 08, connection exception.
    [{ code: '08006' }],
    [{ code: '08P01' }],
    // Node's socket errors on a pooled connection the server closed.
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    [Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    // node-postgres, with no SQLSTATE.
    [new Error('Connection terminated unexpectedly')],
    [
      new Error(
        'Client has encountered a connection error and is not queryable',
      ),
    ],
  ])('takes %p for a dead connection', error => {
    expect(isConnectionLevelError(error)).toBe(true);
  });

  it.each([
    [
      {
        code: '23505',
        message: 'duplicate key value violates unique constraint',
      },
    ],
    [
      {
        code: '57014',
        message: 'canceling statement due to statement timeout',
      },
    ],
    [{ code: '40001' }],
    [new Error('SQLITE_BUSY: database is locked')],
    [undefined],
  ])('does not take %p for one', error => {
    expect(isConnectionLevelError(error)).toBe(false);
  });
});
