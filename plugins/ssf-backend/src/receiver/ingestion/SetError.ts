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

import { SetErrorCode } from '@shared-signals/plugin-ssf-common';

/**
 * Why a SET was refused, as RFC 8935 §2.3 reports it: `{err, description}`
 * with HTTP 400. `temporarily_unavailable` (503) is ours: the SET may be fine
 * but we could not check it now (an unknown `kid` within the refetch
 * cooldown: the key may be brand new), so the transmitter should retry
 * rather than drop it.
 *
 * @internal
 */
export class SetError extends Error {
  readonly err: SetErrorCode | 'temporarily_unavailable';
  readonly status: number;
  /** For 503: when the transmitter should try again, in seconds. */
  readonly retryAfterSeconds?: number;

  constructor(
    err: SetErrorCode | 'temporarily_unavailable',
    description: string,
    retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'SetError';
    this.err = err;
    this.status = err === 'temporarily_unavailable' ? 503 : 400;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  toJSON() {
    return { err: this.err, description: this.message };
  }
}
