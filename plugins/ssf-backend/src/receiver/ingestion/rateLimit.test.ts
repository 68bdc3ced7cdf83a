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

import { ConfigReader } from '@backstage/config';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { installTestMeterProvider } from '../../__testUtils__/metrics';
import {
  addPollProvider,
  addProvider,
  pollNow,
  pollOnDemand,
  push,
  startReceiverBackend,
  storedEvents,
} from '../__testUtils__/receiverBackend';
import { useTestTransmitters } from '../__testUtils__/testTransmitter';
import {
  ProviderRateLimiter,
  readProviderRateLimit,
} from './ProviderRateLimiter';

// Before any backend starts: the plugin takes its meter once, at setup.
const meter = installTestMeterProvider();
afterAll(() => meter.shutdown());

jest.setTimeout(60_000);

const RECEIVED = 'ssf.receiver.sets.received';

describe('ProviderRateLimiter', () => {
  it('lets a burst through, then refuses until tokens refill at the rate', () => {
    let now = 0;
    const limiter = new ProviderRateLimiter(
      { requestsPerSecond: 2, burst: 3 },
      { now: () => now },
    );
    expect([1, 2, 3].map(() => limiter.take('a').allowed)).toEqual([
      true,
      true,
      true,
    ]);
    // Empty: one token comes back in 1/2 s, so Retry-After rounds up to 1.
    expect(limiter.take('a')).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    now += 499;
    expect(limiter.take('a').allowed).toBe(false);
    now += 1;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    // A long quiet spell refills to the burst, never beyond it.
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a').allowed)).toEqual([
      true,
      true,
      true,
      false,
    ]);
  });

  it('keeps one bucket per provider', () => {
    const limiter = new ProviderRateLimiter(
      { requestsPerSecond: 1, burst: 1 },
      { now: () => 0 },
    );
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('answers Retry-After in whole seconds, at least 1, enough for one token', () => {
    let now = 0;
    const slow = new ProviderRateLimiter(
      { requestsPerSecond: 0.25, burst: 1 },
      { now: () => now },
    );
    expect(slow.take('a').allowed).toBe(true);
    expect(slow.take('a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
    now += 1500;
    // 0.375 of a token: 2.5 s to go, rounded up.
    expect(slow.take('a')).toEqual({ allowed: false, retryAfterSeconds: 3 });
    now += 3000;
    expect(slow.take('a').allowed).toBe(true);

    const fast = new ProviderRateLimiter(
      { requestsPerSecond: 1000, burst: 1 },
      { now: () => 0 },
    );
    fast.take('a');
    expect(fast.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('does not drain when the clock steps back', () => {
    let now = 10_000;
    const limiter = new ProviderRateLimiter(
      { requestsPerSecond: 1, burst: 2 },
      { now: () => now },
    );
    limiter.take('a');
    now = 0;
    expect(limiter.take('a').allowed).toBe(true);
  });

  it('reads ssf.receiver.rateLimit: absent is off, burst defaults to one second', () => {
    const read = (rateLimit?: unknown) =>
      readProviderRateLimit(
        new ConfigReader({ ssf: { receiver: rateLimit ? { rateLimit } : {} } }),
      );
    expect(read()).toBeUndefined();
    expect(read({ requestsPerSecond: 2.5 })).toEqual({
      requestsPerSecond: 2.5,
      burst: 3,
    });
    expect(read({ requestsPerSecond: 0.1 })).toEqual({
      requestsPerSecond: 0.1,
      burst: 1,
    });
    expect(read({ requestsPerSecond: 5, burst: 50 })).toEqual({
      requestsPerSecond: 5,
      burst: 50,
    });
    expect(() => read({ requestsPerSecond: 0 })).toThrow(
      /rateLimit.requestsPerSecond/,
    );
    expect(() => read({ requestsPerSecond: 1, burst: 0.5 })).toThrow(
      /rateLimit.burst/,
    );
    expect(() => read({ burst: 5 })).toThrow(/requestsPerSecond/);
  });
});

describeOnEachDatabase(
  'per-provider rate limit and unknown issuers',
  (databases, id) => {
    const t = useTestTransmitters({ a: 'RS256', b: 'RS256' });

    it("answers a provider over its bucket 429 with Retry-After, stores nothing of it, and keeps taking another provider's SETs", async () => {
      const { server, knex } = await startReceiverBackend({
        databases,
        id,
        // One token every 2 s: the third push within 2 s is over.
        receiver: { rateLimit: { requestsPerSecond: 0.5, burst: 2 } },
      });
      const providerA = await addProvider(server, t.a);
      const providerB = await addProvider(server, t.b);

      expect((await push(server, await t.a.sign())).status).toBe(202);
      expect((await push(server, await t.a.sign())).status).toBe(202);
      const limitedSet = await t.a.sign({ jti: 'over-the-limit' });
      const limited = await push(server, limitedSet);
      expect(limited.status).toBe(429);
      // RFC 9110 §10.2.3 delta-seconds; pushSet (our transmitter) honours it.
      expect(limited.headers['retry-after']).toMatch(/^[12]$/);
      expect(limited.headers['content-type']).toMatch(/^application\/json/);
      expect(limited.body).toEqual({
        err: 'rate_limited',
        description: expect.stringContaining('rate limit'),
      });
      expect(
        await meter.value(RECEIVED, {
          provider_id: providerA.id,
          outcome: 'rate_limited',
          delivery_method: 'push',
        }),
      ).toBe(1);

      // Provider B has its own bucket.
      for (let i = 0; i < 2; i++) {
        expect((await push(server, await t.b.sign())).status).toBe(202);
      }

      // The refused SET is not stored, not even in part.
      expect(
        await knex('ssf_received_events').where({ jti: 'over-the-limit' }),
      ).toHaveLength(0);
      expect(
        await knex('ssf_received_events').where({
          provider_id: providerA.id,
        }),
      ).toHaveLength(2);
      expect(
        await knex('ssf_received_events').where({
          provider_id: providerB.id,
        }),
      ).toHaveLength(2);

      // Delivered again after Retry-After, it is taken like any new SET.
      await new Promise(resolve =>
        setTimeout(resolve, Number(limited.headers['retry-after']) * 1000 + 50),
      );
      expect((await push(server, limitedSet)).status).toBe(202);
      expect(
        await knex('ssf_received_events').where({ jti: 'over-the-limit' }),
      ).toHaveLength(1);
    });

    it('refuses a limited push before any key fetch', async () => {
      const { server } = await startReceiverBackend({
        databases,
        id,
        receiver: {
          rateLimit: { requestsPerSecond: 0.01, burst: 1 },
          // Without the limit, a new kid would be refetched at once.
          keys: { refetchCooldown: { milliseconds: 0 } },
        },
      });
      await addProvider(server, t.a);
      expect((await push(server, await t.a.sign())).status).toBe(202);
      const fetches = t.a.keyRequests;
      // A new kid makes the receiver refetch the keys; over the limit it
      // does not get that far.
      await t.a.rotateKey();
      const res = await push(server, await t.a.sign());
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBe(100);
      expect(t.a.keyRequests).toBe(fetches);
    });

    it('does not limit polled SETs: a poll goes at our own pace', async () => {
      const { server, knex } = await startReceiverBackend({
        databases,
        id,
        receiver: {
          rateLimit: { requestsPerSecond: 0.01, burst: 1 },
          ...pollOnDemand(t.a),
        },
      });
      const provider = await addPollProvider(server, t.a);
      for (const jti of ['p1', 'p2', 'p3']) {
        await t.a.queueForPoll(jti);
      }
      const polled = await pollNow(server, provider.id);
      expect(polled.status).toBe(200);
      expect(polled.body).toEqual({ received: 3, stored: 3, rejected: 0 });
      expect(await storedEvents(knex)).toHaveLength(3);
    });

    it('refuses a SET whose iss names no provider without fetching anything', async () => {
      const { server } = await startReceiverBackend({
        databases,
        id,
        receiver: { rateLimit: { requestsPerSecond: 1, burst: 5 } },
      });
      // B is registered; A is not, though its issuer URL serves metadata and
      // keys a receiver that discovered from `iss` would fetch.
      await addProvider(server, t.b);
      const before = {
        a: t.a.keyRequests,
        b: t.b.keyRequests,
      };

      for (let i = 0; i < 10; i++) {
        const res = await push(server, await t.a.sign());
        // RFC 8935 §2.3: no provider for iss is invalid_issuer, a 400, and
        // no bucket: an unknown issuer neither has one nor drains another.
        expect(res.status).toBe(400);
        expect(res.body.err).toBe('invalid_issuer');
      }
      expect(t.a.keyRequests).toBe(before.a);
      expect(t.b.keyRequests).toBe(before.b);
      expect(t.a.requests).toEqual([]);
      // B's bucket is untouched by the flood.
      for (let i = 0; i < 5; i++) {
        expect((await push(server, await t.b.sign())).status).toBe(202);
      }
    });
  },
);
