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

import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { POLL } from '../../__testUtils__/specUris';
import {
  addPollProvider,
  addProvider,
  asAdmin,
  pollNow,
  pollOnDemand,
  PROVIDERS,
  startReceiverBackend,
  storedEvents,
} from '../__testUtils__/receiverBackend';
import {
  TestTransmitter,
  useTestTransmitter,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

describeOnEachDatabase(
  'poll-connected providers (RFC 8936)',
  (databases, id) => {
    let transmitter: TestTransmitter;
    useTestTransmitter(t => (transmitter = t));

    it('polls, stores once, acknowledges and reports setErrs', async () => {
      const { server, knex } = await startReceiverBackend({
        databases,
        id,
        receiver: pollOnDemand(transmitter, 'poll-token-123', { maxEvents: 2 }),
      });
      const provider = await addPollProvider(server, transmitter);
      expect(provider.delivery).toEqual({
        method: POLL,
        endpoint_url: transmitter.pollUrl,
      });
      for (const jti of ['p1', 'p2', 'p3']) {
        await transmitter.queueForPoll(jti);
      }
      await transmitter.queueForPoll('bad', {
        aud: 'https://other.example.com',
      });

      const res = await pollNow(server, provider.id);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: 4, stored: 3, rejected: 1 });
      expect(transmitter.pollQueue.size).toBe(0);

      const polls = transmitter.requests.filter(r => r.path === '/tenant/poll');
      expect(
        polls.every(p => p.headers.authorization === 'Bearer poll-token-123'),
      ).toBe(true);
      expect(polls[0].body).toEqual({ maxEvents: 2, returnImmediately: true });
      expect(polls[1].body).toEqual({
        maxEvents: 2,
        returnImmediately: true,
        ack: ['p1', 'p2'],
      });
      expect(polls[polls.length - 1].body).toMatchObject({
        maxEvents: 0,
        ack: ['p3'],
        setErrs: {
          bad: { err: 'invalid_audience', description: expect.any(String) },
        },
      });

      const rows = await storedEvents(knex);
      expect(rows.map((r: any) => [r.jti, r.delivery_method])).toEqual([
        ['p1', POLL],
        ['p2', POLL],
        ['p3', POLL],
      ]);

      // A SET offered again (not acknowledged in time) is acknowledged, not stored twice.
      await transmitter.queueForPoll('p1');
      const again = await pollNow(server, provider.id);
      expect(again.body).toEqual({ received: 1, stored: 0, rejected: 0 });
      expect(await storedEvents(knex)).toHaveLength(3);

      const got = await asAdmin(server).get(`${PROVIDERS}/${provider.id}`);
      expect(got.body.remote_stream.last_poll_at).toEqual(expect.any(String));
      expect(got.body.remote_stream).not.toHaveProperty('last_poll_error');
    });

    it('records a failing poll on the provider', async () => {
      const { server } = await startReceiverBackend({
        databases,
        id,
        receiver: { poll: { enabled: false } },
      });
      const provider = await addPollProvider(
        server,
        transmitter,
        `${transmitter.origin}/nowhere`,
      );
      const res = await pollNow(server, provider.id);
      expect(res.status).toBe(200);
      expect(res.body.error).toMatch(/HTTP 404/);
      const got = await asAdmin(server).get(`${PROVIDERS}/${provider.id}`);
      expect(got.body.remote_stream.last_poll_error).toMatch(/HTTP 404/);
    });

    it('refuses to poll a push provider', async () => {
      const { server } = await startReceiverBackend({ databases, id });
      const provider = await addProvider(server, transmitter);
      const res = await pollNow(server, provider.id);
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('E0000001');
    });
  },
);
