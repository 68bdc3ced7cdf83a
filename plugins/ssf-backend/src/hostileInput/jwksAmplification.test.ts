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

import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { TestServer } from '../__testUtils__/testBackend';
import {
  BrokenKeyServer,
  KeyEndpointFailure,
} from '../receiver/__testUtils__/brokenKeyServer';
import {
  asAdmin,
  PROVIDERS,
  push,
  startReceiverBackend,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';

jest.setTimeout(120_000);

// Anyone can push a SET naming a registered issuer (RFC 8935 push is
// unauthenticated at the Backstage layer), and the receiver must fetch that
// issuer's keys to check it. A burst of such SETs against a provider whose
// JWKS fails must not become a burst of outbound fetches: the refetch
// cooldown bounds them per provider whatever the JWKS answers, and the
// failure is remembered. A SET whose issuer's keys cannot be had is answered
// 503 temporarily_unavailable with Retry-After (the cooldown's rest), so an
// honest transmitter delivers it later; a made-up kid meanwhile too. These
// are the receiver's deliberate answers while its dependency is down, never a
// 500 from the input.
// The failing endpoints, counting their requests, are in
// receiver/__testUtils__/brokenKeyServer.ts.

const BURST = 40;

describeOnEachDatabase('JWKS amplification', (databases, id) => {
  let transmitter: TestTransmitter;

  beforeAll(async () => {
    transmitter = await TestTransmitter.start();
  });
  afterAll(async () => {
    await transmitter.close();
  });

  const cleanUp = useCleanups();
  /** A key server failing as told, closed after the test. */
  async function brokenKeys(failure: KeyEndpointFailure) {
    const broken = await BrokenKeyServer.start(failure);
    cleanUp(() => broken.close());
    return broken;
  }

  async function start() {
    return startReceiverBackend({
      databases,
      id,
      receiver: {
        keys: {
          refetchCooldown: { minutes: 5 },
          fetchTimeout: { milliseconds: 500 },
        },
      },
    });
  }

  /** A burst of unauthenticated SETs, half with made-up key ids; their answers. */
  async function burst(server: TestServer, iss: string) {
    const sets = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        transmitter.sign(
          { iss },
          i % 2 ? { header: { kid: `made-up-${i}` } } : { forge: true },
        ),
      ),
    );
    return Promise.all(sets.map(set => push(server, set)));
  }

  function expectAllRefused(
    answers: Array<{
      status: number;
      body: any;
      text: string;
      headers?: any;
    }>,
  ) {
    const outcomes = answers.map(a => `${a.status} ${a.body?.err}`);
    // Every one the deliberate "come back later", none a crash.
    expect(outcomes).toEqual(answers.map(() => '503 temporarily_unavailable'));
    for (const a of answers) {
      expect(Number(a.headers?.['retry-after'])).toBeGreaterThan(0);
    }
  }

  it.each<KeyEndpointFailure>(['error', 'hang', 'invalid-json', 'not-a-jwks'])(
    'a burst of %p JWKS answers costs one outbound fetch per cooldown',
    async failure => {
      const broken = await brokenKeys(failure);
      const { server, knex } = await start();
      const created = await asAdmin(server).post(PROVIDERS, {
        name: `broken ${failure}`,
        type: 'ssf',
        settings: {
          issuer: transmitter.issuer,
          jwks_url: broken.jwksUrl,
        },
      });
      expect(created.status).toBe(200);
      expect(broken.totalRequests).toBe(0);

      const answers = await burst(server, transmitter.issuer);
      expect(broken.jwksRequests).toBe(1);
      // Later ones within the cooldown, one by one and in a burst again.
      for (let i = 0; i < 10; i++) {
        answers.push(await push(server, await transmitter.sign()));
      }
      answers.push(...(await burst(server, transmitter.issuer)));
      // 90 unauthenticated SETs, one outbound request.
      expect(broken.totalRequests).toBe(1);
      expectAllRefused(answers);

      expect(await rowCount(knex, 'ssf_received_events')).toBe(0);
    },
  );

  it('counts the well-known metadata read with the JWKS, both bounded', async () => {
    const broken = await brokenKeys('error');
    const { server } = await start();
    const created = await asAdmin(server).post(PROVIDERS, {
      name: 'broken well-known',
      type: 'ssf',
      settings: { well_known_url: broken.wellKnownUrl },
    });
    expect(created.status).toBe(200);
    // Creating the provider read its metadata, once.
    expect(broken.metadataRequests).toBe(1);
    broken.metadataFailure = 'error';

    const answers = await burst(server, broken.issuer);
    answers.push(...(await burst(server, broken.issuer)));
    // One key fetch: the metadata (failing; the last known jwks_uri is
    // used) and the JWKS (failing), nothing more.
    expect(broken.metadataRequests).toBe(2);
    expect(broken.jwksRequests).toBe(1);
    expect(broken.totalRequests).toBe(3);
    expectAllRefused(answers);
  });

  it('keeps the bound per provider: one failing JWKS does not stop another provider', async () => {
    const broken = await brokenKeys('error');
    const healthy = await TestTransmitter.start();
    cleanUp(() => healthy.close());
    const { server } = await start();
    for (const [name, settings] of [
      ['broken', { issuer: transmitter.issuer, jwks_url: broken.jwksUrl }],
      ['healthy', { issuer: healthy.issuer, jwks_url: healthy.jwksUrl }],
    ] as const) {
      const res = await asAdmin(server).post(PROVIDERS, {
        name,
        type: 'ssf',
        settings,
      });
      expect(res.status).toBe(200);
    }
    const answers = await burst(server, transmitter.issuer);
    answers.push(...(await burst(server, transmitter.issuer)));
    const good = await push(server, await healthy.sign());
    expect(good.status).toBe(202);
    expect(broken.jwksRequests).toBe(1);
    expect(healthy.jwksRequests).toBe(1);
    expectAllRefused(answers);
  });
});
