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

import { Config } from '@backstage/config';

/** `ssf.receiver.rateLimit`, checked. @internal */
export interface ProviderRateLimit {
  /** Tokens added to each provider's bucket per second (the sustained rate). */
  requestsPerSecond: number;
  /** The bucket's size: how many pushes may arrive at once after a quiet spell. */
  burst: number;
}

/** What the bucket said about one push. @internal */
export type RateDecision =
  | { allowed: true }
  | {
      allowed: false;
      /** Whole seconds (at least 1) until the bucket holds a token again. */
      retryAfterSeconds: number;
    };

/**
 * Past this many buckets, full ones are dropped (a full bucket is the same
 * as none). Keys are provider ids, so only registered providers (and those
 * since deleted) ever get one; this only stops deleted ones accumulating.
 */
const SWEEP_ABOVE = 1000;

/**
 * Reads `ssf.receiver.rateLimit`; absent means no per-provider limit.
 * A wrong value stops the backend at start with a message naming the key.
 *
 * @internal
 */
export function readProviderRateLimit(
  config: Config,
): ProviderRateLimit | undefined {
  const c = config.getOptionalConfig('ssf.receiver.rateLimit');
  if (!c) return undefined;
  const requestsPerSecond = c.getNumber('requestsPerSecond');
  if (!Number.isFinite(requestsPerSecond) || requestsPerSecond <= 0) {
    throw new Error(
      'ssf.receiver.rateLimit.requestsPerSecond must be a number greater than 0',
    );
  }
  const burst =
    c.getOptionalNumber('burst') ?? Math.max(1, Math.ceil(requestsPerSecond));
  if (!Number.isInteger(burst) || burst < 1) {
    throw new Error(
      'ssf.receiver.rateLimit.burst must be an integer of at least 1',
    );
  }
  return { requestsPerSecond, burst };
}

/**
 * One token bucket per provider for pushed SETs, so that one noisy
 * transmitter runs into its own limit instead of using up the receiver for
 * every other one. Each bucket holds up to `burst` tokens, refills at
 * `requestsPerSecond`, and a push takes one token or is refused.
 *
 * The buckets live in this process's memory: each replica has its own, so
 * a deployment of N replicas lets a provider through at up to N times the
 * rate (the transmitter's pushes are spread over them by the load balancer).
 *
 * A small bucket of our own rather than a library: none in the dependency
 * tree is a token bucket (express-rate-limit, which Backstage's own limit
 * uses, counts fixed windows per request), and the arithmetic is a few lines
 * whose Retry-After can then be exact.
 *
 * @internal
 */
export class ProviderRateLimiter {
  readonly #limit: ProviderRateLimit;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    limit: ProviderRateLimit,
    options: {
      /** Milliseconds from a monotonic clock; for tests. */
      now?: () => number;
    } = {},
  ) {
    this.#limit = limit;
    this.#now = options.now ?? (() => performance.now());
  }

  /** The limiter `ssf.receiver.rateLimit` asks for, or none. */
  static fromConfig(config: Config): ProviderRateLimiter | undefined {
    const limit = readProviderRateLimit(config);
    return limit && new ProviderRateLimiter(limit);
  }

  /** Takes a token from the provider's bucket, if it has one. */
  take(providerId: string): RateDecision {
    const { requestsPerSecond, burst } = this.#limit;
    const now = this.#now();
    const bucket = this.#buckets.get(providerId) ?? { tokens: burst, at: now };
    // Never negative: a clock that steps back must not drain the bucket.
    const elapsedSeconds = Math.max(0, now - bucket.at) / 1000;
    bucket.tokens = Math.min(
      burst,
      bucket.tokens + elapsedSeconds * requestsPerSecond,
    );
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.#buckets.set(providerId, bucket);
      this.#sweep(now);
      return { allowed: true };
    }
    this.#buckets.set(providerId, bucket);
    return {
      allowed: false,
      // RFC 9110 §10.2.3: Retry-After is whole seconds; rounding up means
      // the transmitter that waits as told finds a token.
      retryAfterSeconds: Math.max(
        1,
        Math.ceil((1 - bucket.tokens) / requestsPerSecond),
      ),
    };
  }

  #sweep(now: number) {
    if (this.#buckets.size <= SWEEP_ABOVE) return;
    const { requestsPerSecond, burst } = this.#limit;
    for (const [id, b] of this.#buckets) {
      if (b.tokens + ((now - b.at) / 1000) * requestsPerSecond >= burst) {
        this.#buckets.delete(id);
      }
    }
  }
}
