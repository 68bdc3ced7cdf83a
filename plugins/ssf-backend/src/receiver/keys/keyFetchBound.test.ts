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

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { compactVerify } from 'jose';
import { useCleanups } from '../../__testUtils__/cleanups';
import { PUSH } from '../../__testUtils__/specUris';
import { readReceiverConfig } from '../config';
import {
  BrokenKeyServer,
  KeyEndpointFailure,
} from '../__testUtils__/brokenKeyServer';
import { receiverConfig } from '../__testUtils__/receiverBackend';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../__testUtils__/testTransmitter';
import { SetError } from '../ingestion/SetError';
import { ProviderRecord } from '../providers/ProviderStore';
import { ProviderKeyCache } from './ProviderKeyCache';

jest.setTimeout(30_000);

// The key cache alone, on a clock the test moves: every outbound key fetch
// for a provider, whatever it answers, is bounded by the refetch cooldown,
// and concurrent callers share one fetch. (No storage is involved: the cache
// is in memory; the end-to-end burst on both databases is in
// src/hostileInput/jwksAmplification.test.ts.)

const COOLDOWN_MS = 30_000;
const TTL_MS = 60 * 60_000;
const FETCH_TIMEOUT_MS = 300;

function keyCache(now: () => number) {
  const config = readReceiverConfig(
    new ConfigReader(
      receiverConfig({
        keys: {
          cacheTtl: { milliseconds: TTL_MS },
          refetchCooldown: { milliseconds: COOLDOWN_MS },
          fetchTimeout: { milliseconds: FETCH_TIMEOUT_MS },
        },
      }),
    ),
    { baseUrl: RECEIVER_AUDIENCE },
  );
  return new ProviderKeyCache({
    config,
    logger: mockServices.logger.mock(),
    now,
  });
}

function provider(
  fields: Partial<ProviderRecord> & { issuer: string; jwksUrl: string },
): ProviderRecord {
  return {
    id: 'sse0000000000000001',
    name: 'p',
    type: 'ssf',
    status: 'ACTIVE',
    deliveryMethod: PUSH,
    ...fields,
  } as ProviderRecord;
}

/** Verifies a SET with the cache's resolver; the SetError it fails with, if any. */
async function verifyWith(
  cache: ProviderKeyCache,
  p: ProviderRecord,
  set: string,
): Promise<SetError | undefined> {
  try {
    await compactVerify(set, cache.resolverFor(p));
    return undefined;
  } catch (error) {
    if (error instanceof SetError) return error;
    throw error;
  }
}

/** Verifies a SET `times` times at once; the SetErrors they fail with. */
function verifyConcurrently(
  cache: ProviderKeyCache,
  p: ProviderRecord,
  set: string,
  times: number,
): Promise<Array<SetError | undefined>> {
  return Promise.all(
    Array.from({ length: times }, () => verifyWith(cache, p, set)),
  );
}

describe('ProviderKeyCache: the refetch cooldown bounds every key fetch', () => {
  let transmitter: TestTransmitter;
  let clock: number;
  const now = () => clock;
  const cleanUp = useCleanups();

  /** A BrokenKeyServer closed after the test. */
  async function brokenKeys(failure: KeyEndpointFailure) {
    const broken = await BrokenKeyServer.start(failure);
    cleanUp(() => broken.close());
    return broken;
  }

  /**
   * A fresh cache, and a provider of the transmitter's SETs whose JWKS is
   * a BrokenKeyServer failing with `failure`; `set` is one of its SETs.
   */
  async function atBrokenJwks(failure: KeyEndpointFailure) {
    const broken = await brokenKeys(failure);
    const p = provider({ issuer: transmitter.issuer, jwksUrl: broken.jwksUrl });
    return { broken, cache: keyCache(now), p, set: await transmitter.sign() };
  }

  beforeAll(async () => {
    transmitter = await TestTransmitter.start();
  });
  afterAll(async () => {
    await transmitter.close();
  });
  beforeEach(() => {
    clock = 1_000_000;
  });

  describe.each<KeyEndpointFailure>([
    'error',
    'hang',
    'invalid-json',
    'not-a-jwks',
  ])('a JWKS that fails with %p', failure => {
    it('is fetched once for 40 concurrent SETs, not again within the cooldown, and again after it', async () => {
      const { broken, cache, p, set } = await atBrokenJwks(failure);

      const burst = await verifyConcurrently(cache, p, set, 40);
      expect(broken.jwksRequests).toBe(1);
      // Answered "come back later" (503, Retry-After), never a crash.
      for (const error of burst) {
        expect(error).toBeInstanceOf(SetError);
        expect(error!.err).toBe('temporarily_unavailable');
        expect(error!.status).toBe(503);
        expect(error!.retryAfterSeconds).toBeGreaterThan(0);
      }

      // Within the cooldown after the failure: refused without a fetch.
      clock += COOLDOWN_MS - 1;
      const within = await verifyWith(cache, p, set);
      expect(within?.err).toBe('temporarily_unavailable');
      expect(within?.retryAfterSeconds).toBe(1);
      expect(broken.jwksRequests).toBe(1);

      // Once it is over, one more fetch (still failing).
      clock += 1;
      await verifyConcurrently(cache, p, set, 10);
      expect(broken.jwksRequests).toBe(2);
    });
  });

  it('counts the well-known metadata read too, whether it answers or hangs', async () => {
    const broken = await brokenKeys('error');
    const cache = keyCache(now);
    const p = provider({
      issuer: broken.issuer,
      jwksUrl: broken.jwksUrl,
      wellKnownUrl: broken.wellKnownUrl,
    });
    // Any SET naming the provider: its keys are fetched before its
    // signature can be checked.
    const set = await transmitter.sign({ iss: broken.issuer });
    for (let i = 0; i < 20; i++) {
      expect((await verifyWith(cache, p, set))?.err).toBe(
        'temporarily_unavailable',
      );
    }
    expect(broken.metadataRequests).toBe(1);
    expect(broken.jwksRequests).toBe(1);

    broken.metadataFailure = 'hang';
    clock += COOLDOWN_MS;
    await verifyConcurrently(cache, p, set, 20);
    expect(broken.metadataRequests).toBe(2);
    expect(broken.jwksRequests).toBe(2);
    expect(broken.totalRequests).toBe(4);
  });

  it('keeps serving a stale key set whose refresh fails, refreshing at most once per cooldown', async () => {
    const cache = keyCache(now);
    const p = provider({
      issuer: transmitter.issuer,
      jwksUrl: transmitter.jwksUrl,
    });
    const set = await transmitter.sign();
    expect(await verifyWith(cache, p, set)).toBeUndefined();
    const fetched = transmitter.jwksRequests;

    // The cached set is stale, and the JWKS now fails.
    const broken = await brokenKeys('error');
    const moved = { ...p, jwksUrl: broken.jwksUrl };
    clock += TTL_MS + 1;
    for (let i = 0; i < 20; i++) {
      expect(await verifyWith(cache, moved, set)).toBeUndefined();
    }
    expect(broken.jwksRequests).toBe(1);
    clock += COOLDOWN_MS;
    for (let i = 0; i < 20; i++) {
      expect(await verifyWith(cache, moved, set)).toBeUndefined();
    }
    expect(broken.jwksRequests).toBe(2);
    expect(transmitter.jwksRequests).toBe(fetched);
  });

  it('bounds the refetch for unknown key ids the same way', async () => {
    const cache = keyCache(now);
    const p = provider({
      issuer: transmitter.issuer,
      jwksUrl: transmitter.jwksUrl,
    });
    expect(
      await verifyWith(cache, p, await transmitter.sign()),
    ).toBeUndefined();
    const fetched = transmitter.jwksRequests;
    /** `times` SETs under made-up key ids, verified at once. */
    const verifyMadeUpKids = (prefix: string, times: number) =>
      Promise.all(
        Array.from({ length: times }, (_, i) =>
          transmitter
            .sign({}, { header: { kid: `${prefix}-${i}` } })
            .then(set => verifyWith(cache, p, set)),
        ),
      );
    const madeUp = await verifyMadeUpKids('made-up', 40);
    // Within the cooldown after the first fetch: no fetch at all.
    expect(transmitter.jwksRequests).toBe(fetched);
    for (const error of madeUp) {
      expect(error?.err).toBe('temporarily_unavailable');
    }
    clock += COOLDOWN_MS;
    await verifyMadeUpKids('made-up-again', 40);
    expect(transmitter.jwksRequests).toBe(fetched + 1);
  });

  it('fetches at once again after the provider changed (invalidate)', async () => {
    const { cache, p, set } = await atBrokenJwks('error');
    expect((await verifyWith(cache, p, set))?.err).toBe(
      'temporarily_unavailable',
    );
    // An admin points the provider at the working JWKS.
    cache.invalidate(p.id);
    expect(
      await verifyWith(cache, { ...p, jwksUrl: transmitter.jwksUrl }, set),
    ).toBeUndefined();
  });
});
