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

import { JsonObject } from '@backstage/types';
import { decodeJwt } from 'jose';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../../__testUtils__/receiver';
import {
  CAEP,
  OKTA,
  POLL,
  PUSH,
  RISC,
  TEST_ISSUER,
} from '../../__testUtils__/specUris';
import { clientAuth, userAuth } from '../../__testUtils__/testBackend';
import { pushStream } from '../__testUtils__/transmitterApi';
import { startPushTransmitter } from '../__testUtils__/transmitterBackend';
import { startOktaReceiver } from './__testUtils__/oktaReceiver';

jest.setTimeout(60_000);

const ADMIN = userAuth();

const alice = { format: 'email', email: 'alice@example.com' };
const bobIssSub = {
  format: 'iss_sub',
  iss: TEST_ISSUER,
  sub: 'user:default/bob',
};

// One event of every type Okta ingests, with the payload a hook or plugin
// would emit (no subject, no event_timestamp: the profile adds them).
const EVENTS: Array<[string, object, object]> = [
  [`${CAEP}session-revoked`, alice, { initiating_entity: 'policy' }],
  [
    `${CAEP}device-compliance-change`,
    alice,
    { previous_status: 'compliant', current_status: 'not-compliant' },
  ],
  [
    `${RISC}identifier-changed`,
    alice,
    { 'new-value': 'alice@new.example.com' },
  ],
  [
    `${OKTA}user-risk-change`,
    bobIssSub,
    { previous_level: 'low', current_level: 'high' },
  ],
  [
    `${OKTA}device-risk-change`,
    alice,
    {
      previous_level: 'low',
      current_level: 'medium',
      reason_admin: { en: 'Malware found' },
    },
  ],
  [
    `${OKTA}ip-change`,
    alice,
    { previous_ip_address: '198.51.100.1', current_ip_address: '203.0.113.7' },
  ],
];

describeOnEachDatabase('the okta receiver profile', (databases, id) => {
  async function setUp(transmitter: JsonObject = {}) {
    const started = await startPushTransmitter({
      databases,
      id,
      transmitter,
      delivery: { timeout: { milliseconds: 1000 }, maxAttempts: 2 },
    });
    const okta = await startOktaReceiver({
      issuer: TEST_ISSUER,
      jwksUrl: `http://127.0.0.1:${started.server.port()}/api/ssf/jwks`,
    });
    /** An admin's request for a stream with the okta receiver profile. */
    const createOktaStream = (body: object = {}) =>
      started.api.createStream(ADMIN, {
        receiver_profile: 'okta',
        delivery: { method: PUSH, endpoint_url: okta.endpointUrl },
        ...body,
      });
    return { ...started, okta, createOktaStream };
  }

  it('pushes SETs that an Okta-rules receiver accepts, every one', async () => {
    const { api, okta, createOktaStream } = await setUp();
    const plain = await startTestReceiver();
    try {
      const created = await createOktaStream({ client_id: 'okta-org' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        receiver_profile: 'okta',
        aud: okta.orgUrl,
        events_requested: EVENTS.map(e => e[0]),
        events_delivered: EVENTS.map(e => e[0]),
      });
      expect(created.body.events_supported).toEqual(EVENTS.map(e => e[0]));

      // A plain SSF stream for comparison.
      const ssf = await api.createStream(
        clientAuth('client-a'),
        pushStream(plain.url),
      );
      expect(ssf.status).toBe(201);
      expect(ssf.body.receiver_profile).toBeUndefined();

      for (const [type, subject, payload] of EVENTS) {
        const emitted = await api.emit({ type, subject, payload });
        expect(emitted.status).toBe(202);
      }
      await waitFor(
        () => okta.answers.length === EVENTS.length,
        15_000,
        'Okta to answer every SET',
      );
      expect(okta.answers.filter(a => a.status !== 202)).toEqual([]);
      const byType = new Map(
        okta.answers.map(a => [
          Object.keys(a.payload!.events as object)[0],
          a.payload!,
        ]),
      );
      const events = (t: string) =>
        (byType.get(t)!.events as Record<string, any>)[t];
      expect(events(`${CAEP}session-revoked`).subject).toEqual({
        user: alice,
      });
      expect(events(`${OKTA}user-risk-change`).subject).toEqual({
        user: bobIssSub,
      });
      expect(events(`${RISC}identifier-changed`).new_value).toBe(
        'alice@new.example.com',
      );

      // The SSF stream's SET keeps the plain SSF 1.0 shape, which an
      // Okta-rules receiver refuses: the subject only in sub_id, aud the
      // client ID, no event_timestamp.
      await waitFor(() => plain.received.length === 1, 10_000, 'the SSF SET');
      const set = decodeJwt(plain.received[0].body) as any;
      expect(set.aud).toBe('client-a');
      expect(set.sub_id).toEqual(alice);
      expect(set.events[`${CAEP}session-revoked`]).toEqual({
        initiating_entity: 'policy',
      });
      const refused = await okta.judge(plain.received[0].body);
      expect(refused.status).toBe(400);
    } finally {
      await plain.close();
      await okta.close();
    }
  });

  it('sends an okta stream no SSF stream events and refuses its verification', async () => {
    const { api, okta, knex, createOktaStream } = await setUp();
    try {
      const created = await createOktaStream({ client_id: 'okta-org' });
      const streamId = created.body.stream_id;
      const paused = await api.setStatus(ADMIN, {
        stream_id: streamId,
        status: 'paused',
        reason: 'maintenance',
      });
      expect(paused.status).toBe(200);
      const verify = await api.verify(ADMIN, { stream_id: streamId });
      expect(verify.status).toBe(400);
      expect(verify.body.error.message).toMatch(
        /receiver profile 'okta'.*no SSF verification events/,
      );
      const [{ n }] = await knex('ssf_outbox')
        .where({ stream_id: streamId })
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
    } finally {
      await okta.close();
    }
  });

  it('refuses an okta stream that Okta could not take, with a clear 400', async () => {
    const { api, okta, createOktaStream } = await setUp();
    try {
      const poll = await createOktaStream({ delivery: { method: POLL } });
      expect(poll.status).toBe(400);
      expect(poll.body.error.message).toMatch(/must use push delivery/);

      const arrayAud = await createOktaStream({
        aud: [okta.orgUrl, 'other'],
      });
      expect(arrayAud.status).toBe(400);
      expect(arrayAud.body.error.message).toMatch(/aud as one string/);

      const unknown = await api.createStream(ADMIN, {
        receiver_profile: 'splunk',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toMatch(
        /receiver_profile 'splunk' is not offered.*ssf, okta/,
      );
    } finally {
      await okta.close();
    }
  });

  it('refuses an okta stream when the transmitter does not sign with RS256', async () => {
    const { okta, createOktaStream } = await setUp({
      signing: { algorithm: 'ES256' },
    });
    try {
      const created = await createOktaStream();
      expect(created.status).toBe(400);
      expect(created.body.error.message).toMatch(
        /needs SETs signed with RS256, but this transmitter signs with ES256/,
      );
    } finally {
      await okta.close();
    }
  });

  it('lists the receiver profiles', async () => {
    const { api, okta } = await setUp();
    await okta.close();
    const res = await api.receiverProfiles(ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([
      'ssf',
      'okta',
    ]);
    expect(res.body.items[1]).toMatchObject({
      title: 'Okta Identity Threat Protection',
      signing_algorithms: ['RS256'],
      accepts_stream_events: false,
    });
  });
});
