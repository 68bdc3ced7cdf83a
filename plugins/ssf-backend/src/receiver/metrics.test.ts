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

import request from 'supertest';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { installTestMeterProvider } from '../__testUtils__/metrics';
import { BrokenKeyServer } from './__testUtils__/brokenKeyServer';
import {
  addPollProvider,
  addProvider,
  pollNow,
  pollOnDemand,
  push,
  startReceiverBackend,
} from './__testUtils__/receiverBackend';
import {
  TestTransmitter,
  useTestTransmitter,
} from './__testUtils__/testTransmitter';

// Before any backend: the plugin's MetricsService takes its meter at setup.
const meter = installTestMeterProvider();

jest.setTimeout(60_000);

const RECEIVED = 'ssf.receiver.sets.received';
const FETCHES = 'ssf.receiver.keys.fetches';

/** The attributes of one provider's SETs delivered one way, by outcome. */
const setsFrom =
  (provider: { id: string }, deliveryMethod: 'push' | 'poll') =>
  (outcome: string) => ({
    provider_id: provider.id,
    outcome,
    delivery_method: deliveryMethod,
  });

/** How many key set fetches for a provider ended with `outcome`. */
const keyFetches = (provider: { id: string }, outcome: string) =>
  meter.value(FETCHES, { provider_id: provider.id, outcome });

afterAll(() => meter.shutdown());

describeOnEachDatabase('receiver metrics', (databases, id) => {
  let transmitter: TestTransmitter;
  useTestTransmitter(t => (transmitter = t));

  it('counts pushed SETs by provider and answer, and key set fetches', async () => {
    const { server } = await startReceiverBackend({ databases, id });
    const provider = await addProvider(server, transmitter);
    const of = setsFrom(provider, 'push');

    expect((await push(server, await transmitter.sign())).status).toBe(202);
    expect(await meter.value(RECEIVED, of('accepted'))).toBe(1);
    // The first SET fetched the provider's keys; the second uses them.
    expect((await push(server, await transmitter.sign())).status).toBe(202);
    expect(await meter.value(RECEIVED, of('accepted'))).toBe(2);
    expect(await keyFetches(provider, 'success')).toBe(1);

    // RFC 8935 §2.3: refused with 400 and the err code, counted by it.
    const wrongAudience = await push(
      server,
      await transmitter.sign({ aud: 'https://other.example.com' }),
    );
    expect(wrongAudience.status).toBe(400);
    expect(wrongAudience.body.err).toBe('invalid_audience');
    expect(await meter.value(RECEIVED, of('invalid_audience'))).toBe(1);

    const forged = await push(
      server,
      await transmitter.sign({}, { forge: true }),
    );
    expect(forged.body.err).toBe('invalid_key');
    expect(await meter.value(RECEIVED, of('invalid_key'))).toBe(1);
    expect(await meter.value(RECEIVED, { provider_id: provider.id })).toBe(4);

    // No provider has the issuer: counted under `unknown`.
    const stranger = await TestTransmitter.start();
    try {
      const unknown = {
        provider_id: 'unknown',
        outcome: 'invalid_issuer',
      };
      const before = await meter.value(RECEIVED, unknown);
      const res = await push(server, await stranger.sign());
      expect(res.body.err).toBe('invalid_issuer');
      expect(await meter.value(RECEIVED, unknown)).toBe(before + 1);
    } finally {
      await stranger.close();
    }

    // Refused before the SET is read at all.
    const notASet = {
      provider_id: 'unknown',
      outcome: 'invalid_request',
    };
    const before = await meter.value(RECEIVED, notASet);
    await request(server)
      .post('/api/ssf/security-events')
      .set('Content-Type', 'application/json')
      .send({ not: 'a SET' })
      .expect(400);
    expect(await meter.value(RECEIVED, notASet)).toBe(before + 1);
  });

  it('counts a key set fetch that fails, and the SET it held up', async () => {
    const broken = await BrokenKeyServer.start('error');
    try {
      const { server } = await startReceiverBackend({ databases, id });
      const provider = await addProvider(server, broken, {
        settings: { issuer: broken.issuer, jwks_url: broken.jwksUrl },
      });

      const answer = await push(
        server,
        await transmitter.sign({ iss: broken.issuer }),
      );
      expect(answer.status).toBe(503);
      expect(await keyFetches(provider, 'failure')).toBe(1);
      expect(await keyFetches(provider, 'success')).toBe(0);
      expect(
        await meter.value(RECEIVED, {
          provider_id: provider.id,
          outcome: 'temporarily_unavailable',
        }),
      ).toBe(1);
    } finally {
      await broken.close();
    }
  });

  it('counts polled SETs by provider and answer', async () => {
    const { server } = await startReceiverBackend({
      databases,
      id,
      receiver: pollOnDemand(transmitter),
    });
    const provider = await addPollProvider(server, transmitter);
    for (const jti of ['p1', 'p2']) {
      await transmitter.queueForPoll(jti);
    }
    await transmitter.queueForPoll('bad', { aud: 'https://other.example.com' });
    const res = await pollNow(server, provider.id);
    expect(res.body).toEqual({ received: 3, stored: 2, rejected: 1 });
    const of = setsFrom(provider, 'poll');
    expect(await meter.value(RECEIVED, of('accepted'))).toBe(2);
    expect(await meter.value(RECEIVED, of('invalid_audience'))).toBe(1);
    expect(
      await meter.value(RECEIVED, {
        provider_id: provider.id,
        delivery_method: 'push',
      }),
    ).toBe(0);
  });
});
