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

/** The refusals that are not RFC 8935 §2.3's 400s. */
const STATUS = { temporarily_unavailable: 503, rate_limited: 429 } as const;

/**
 * Why a SET was refused, as RFC 8935 §2.3 reports it: `{err, description}`
 * with HTTP 400. `temporarily_unavailable` (503) is ours: the SET may be fine
 * but we could not check it now (an unknown `kid` within the refetch
 * cooldown: the key may be brand new), so the transmitter should retry
 * rather than drop it. `rate_limited` (429) is ours too: the provider is
 * over `ssf.receiver.rateLimit`. RFC 8935 §2.4 lets a recipient answer a
 * general HTTP condition with its own status (RFC 6585 §4 for 429, which
 * carries `Retry-After`); the body keeps RFC 8935's shape so a transmitter
 * that logs `err` says why.
 *
 * @internal
 */
export class SetError extends Error {
  readonly err: SetErrorCode | 'temporarily_unavailable' | 'rate_limited';
  readonly status: number;
  /** For 503 and 429: when the transmitter should try again, in seconds. */
  readonly retryAfterSeconds?: number;
  /**
   * The provider whose SET it was, once the verifier found it (unset for an
   * unknown issuer): the received-SETs metric counts refusals per provider.
   */
  providerId?: string;

  constructor(
    err: SetErrorCode | 'temporarily_unavailable' | 'rate_limited',
    description: string,
    retryAfterSeconds?: number,
  ) {
    super(description);
    this.name = 'SetError';
    this.err = err;
    this.status = STATUS[err as keyof typeof STATUS] ?? 400;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  toJSON() {
    return { err: this.err, description: this.message };
  }
}
