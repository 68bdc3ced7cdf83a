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
import { createTestDatabases } from '../../__testUtils__/databases';
import {
  addProvider,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import {
  TestTransmitter,
  useTestTransmitter,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

describe.each(createTestDatabases().eachSupportedId())(
  'poll-connected providers (RFC 8936) on %p',
  id => {
    const databases = createTestDatabases();
    let transmitter: TestTransmitter;
    useTestTransmitter(t => (transmitter = t));

    it('polls, stores once, acknowledges and reports setErrs', async () => {
      const { server, knex } = await startReceiverBackend({
        databases,
        id,
        receiver: {
          poll: { enabled: false, maxEvents: 2 },
          credentials: [
            { issuer: transmitter.issuer, token: 'poll-token-123' },
          ],
        },
      });
      const provider = await addProvider(server, transmitter, {
        delivery: {
          method: 'urn:ietf:rfc:8936',
          endpoint_url: transmitter.pollUrl,
        },
      });
      expect(provider.delivery).toEqual({
        method: 'urn:ietf:rfc:8936',
        endpoint_url: transmitter.pollUrl,
      });
      for (const jti of ['p1', 'p2', 'p3']) {
        transmitter.pollQueue.set(jti, await transmitter.sign({ jti }));
      }
      transmitter.pollQueue.set(
        'bad',
        await transmitter.sign({
          jti: 'bad',
          aud: 'https://other.example.com',
        }),
      );

      const res = await request(server).post(
        `/api/ssf/security-events-providers/${provider.id}/poll`,
      );
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

      const rows = await knex('ssf_received_events').orderBy('id');
      expect(rows.map((r: any) => [r.jti, r.delivery_method])).toEqual([
        ['p1', 'urn:ietf:rfc:8936'],
        ['p2', 'urn:ietf:rfc:8936'],
        ['p3', 'urn:ietf:rfc:8936'],
      ]);

      // A SET offered again (not acknowledged in time) is acknowledged, not stored twice.
      transmitter.pollQueue.set('p1', await transmitter.sign({ jti: 'p1' }));
      const again = await request(server).post(
        `/api/ssf/security-events-providers/${provider.id}/poll`,
      );
      expect(again.body).toEqual({ received: 1, stored: 0, rejected: 0 });
      expect(await knex('ssf_received_events')).toHaveLength(3);

      const got = await request(server).get(
        `/api/ssf/security-events-providers/${provider.id}`,
      );
      expect(got.body.remote_stream.last_poll_at).toEqual(expect.any(String));
      expect(got.body.remote_stream).not.toHaveProperty('last_poll_error');
    });

    it('records a failing poll on the provider', async () => {
      const { server } = await startReceiverBackend({
        databases,
        id,
        receiver: { poll: { enabled: false } },
      });
      const provider = await addProvider(server, transmitter, {
        delivery: {
          method: 'urn:ietf:rfc:8936',
          endpoint_url: `${transmitter.origin}/nowhere`,
        },
      });
      const res = await request(server).post(
        `/api/ssf/security-events-providers/${provider.id}/poll`,
      );
      expect(res.status).toBe(200);
      expect(res.body.error).toMatch(/HTTP 404/);
      const got = await request(server).get(
        `/api/ssf/security-events-providers/${provider.id}`,
      );
      expect(got.body.remote_stream.last_poll_error).toMatch(/HTTP 404/);
    });

    it('refuses to poll a push provider', async () => {
      const { server } = await startReceiverBackend({ databases, id });
      const provider = await addProvider(server, transmitter);
      const res = await request(server).post(
        `/api/ssf/security-events-providers/${provider.id}/poll`,
      );
      expect(res.status).toBe(400);
      expect(res.body.errorCode).toBe('E0000001');
    });
  },
);
