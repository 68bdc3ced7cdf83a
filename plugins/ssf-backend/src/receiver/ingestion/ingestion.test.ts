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

import { createBackendModule } from '@backstage/backend-plugin-api';
import { EventParams } from '@backstage/plugin-events-node';
import {
  ReceivedSsfEvent,
  ssfReceivedEventHandlersExtensionPoint,
} from '@shared-signals/plugin-ssf-node';
import request from 'supertest';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import {
  CREDENTIAL_CHANGE,
  PUSH,
  SESSION_REVOKED,
  STREAM_UPDATED,
  VERIFICATION,
} from '../../__testUtils__/specUris';
import {
  addProvider,
  asAdmin,
  collectReceivedTopic,
  PROVIDERS,
  push,
  startReceiverBackend,
  storedEvents,
} from '../__testUtils__/receiverBackend';
import {
  eventually,
  TestTransmitter,
  useTestTransmitter,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

describeOnEachDatabase('SET push ingestion (RFC 8935)', (databases, id) => {
  let transmitter: TestTransmitter;
  useTestTransmitter(t => (transmitter = t));

  const start = (
    options: Partial<Parameters<typeof startReceiverBackend>[0]> = {},
  ) => startReceiverBackend({ databases, id, ...options });

  it('accepts a signed SET with 202 and an empty body, and stores it', async () => {
    const { server, knex } = await start();
    const provider = await addProvider(server, transmitter);
    const set = await transmitter.sign({ jti: 'set-1' });

    const res = await push(server, set);
    expect(res.status).toBe(202);
    expect(res.text).toBe('');

    const rows = await storedEvents(knex);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      provider_id: provider.id,
      iss: transmitter.issuer,
      jti: 'set-1',
      event_type: SESSION_REVOKED,
      subject_format: 'email',
      subject_value: 'alice@example.com',
      delivery_method: PUSH,
      set_jwt: set,
    });
  });

  it('accepts ES256 SETs too', async () => {
    const es = await TestTransmitter.start({ alg: 'ES256' });
    try {
      const { server } = await start();
      await addProvider(server, es);
      expect((await push(server, await es.sign())).status).toBe(202);
    } finally {
      await es.close();
    }
  });

  it('answers a redelivered SET with 202 again but stores and handles it once', async () => {
    const handled: ReceivedSsfEvent[] = [];
    const { server, knex } = await start({
      extraFeatures: [handlerModule(async e => void handled.push(e))],
    });
    await addProvider(server, transmitter);
    const set = await transmitter.sign({ jti: 'again' });
    const answers = await Promise.all([1, 2, 3].map(() => push(server, set)));
    expect(answers.map(a => a.status)).toEqual([202, 202, 202]);
    expect((await push(server, set)).status).toBe(202);
    expect(await storedEvents(knex)).toHaveLength(1);
    await eventually(() => expect(handled).toHaveLength(1));
    // Give a (wrong) second dispatch the chance to show up.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(handled).toHaveLength(1);
  });

  it('publishes on ssf.received and hands the event to handlers; a failing handler loses nothing', async () => {
    const published: EventParams[] = [];
    const handled: ReceivedSsfEvent[] = [];
    const { server, knex } = await start({
      extraFeatures: [
        handlerModule(async e => void handled.push(e), [SESSION_REVOKED]),
        handlerModule(async () => {
          throw new Error('downstream is down');
        }),
        collectReceivedTopic(published),
      ],
    });
    const provider = await addProvider(server, transmitter);
    const set = await transmitter.sign({ jti: 'published' });
    expect((await push(server, set)).status).toBe(202);

    await eventually(() => expect(published).toHaveLength(1));
    expect(published[0]).toMatchObject({
      topic: 'ssf.received',
      eventPayload: {
        providerId: provider.id,
        iss: transmitter.issuer,
        jti: 'published',
        eventTypes: [SESSION_REVOKED],
        subId: { format: 'email', email: 'alice@example.com' },
        deliveryMethod: 'push',
      },
      metadata: { iss: transmitter.issuer, eventType: SESSION_REVOKED },
    });
    await eventually(() => expect(handled).toHaveLength(1));
    expect(handled[0]).toMatchObject({
      jti: 'published',
      providerName: provider.name,
      events: { [SESSION_REVOKED]: expect.any(Object) },
    });
    expect(handled[0].issuedAt).toBeInstanceOf(Date);

    // The failing handler's error is recorded; the event stays.
    await eventually(async () => {
      const [row] = await storedEvents(knex);
      expect(row.handler_error).toMatch(/downstream is down/);
    });

    // A handler for other event types is not called.
    await push(
      server,
      await transmitter.sign({ events: { [CREDENTIAL_CHANGE]: {} } }),
    );
    await eventually(async () =>
      expect(await storedEvents(knex)).toHaveLength(2),
    );
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(handled).toHaveLength(1);
  });

  describe('refuses bad SETs with the RFC 8935 error codes', () => {
    it.each<
      [string, (t: TestTransmitter) => Promise<string> | string, string, RegExp]
    >([
      [
        'a body that is not a JWT',
        () => 'hello',
        'invalid_request',
        /not a SET/,
      ],
      [
        'an unsigned JWT',
        t =>
          `${Buffer.from('{"alg":"none","typ":"secevent+jwt"}').toString(
            'base64url',
          )}.${Buffer.from(JSON.stringify(t.claims())).toString('base64url')}.`,
        'invalid_request',
        /alg 'none' is not accepted/,
      ],
      [
        // The payload inline and unencoded (RFC 7797 §3, §5): here the
        // base64url text of real claims, which verifies as signed bytes
        // but is not the claims set a JWT's payload is (RFC 7519 §3).
        'an unencoded payload (b64: false, RFC 7797)',
        t =>
          t.signCompact(
            Buffer.from(JSON.stringify(t.claims())).toString('base64url'),
            { b64: false, crit: ['b64'] },
            { payloadEncoded: false },
          ),
        'invalid_request',
        /must not carry b64 \(RFC 7797\)/,
      ],
      [
        // RFC 7515 §4.1.11: an extension in crit the recipient does not
        // understand makes the JWS invalid.
        'a critical header extension it does not understand',
        t =>
          t.signCompact(JSON.stringify(t.claims()), {
            crit: ['urn:example:policy'],
            'urn:example:policy': 1,
          }),
        'invalid_request',
        /critical extensions \(crit: 'urn:example:policy'\)/,
      ],
      [
        'a signed payload that is not JSON',
        t => t.signCompact('this is not JSON'),
        'invalid_request',
        /payload is not a JSON object/,
      ],
      [
        'a wrong typ',
        t => t.sign({}, { header: { typ: 'JWT' } }),
        'invalid_request',
        /typ header must be 'secevent\+jwt'/,
      ],
      [
        'no typ',
        t => t.sign({}, { header: { typ: undefined } }),
        'invalid_request',
        /typ header/,
      ],
      [
        'no events',
        t => t.sign({ events: undefined }),
        'invalid_request',
        /events claim/,
      ],
      [
        'empty events',
        t => t.sign({ events: {} }),
        'invalid_request',
        /events claim/,
      ],
      ['no jti', t => t.sign({ jti: undefined }), 'invalid_request', /jti/],
      ['no iat', t => t.sign({ iat: undefined }), 'invalid_request', /iat/],
      [
        'an iat in the future',
        t => t.sign({ iat: Math.floor(Date.now() / 1000) + 3600 }),
        'invalid_request',
        /iat claim is in the future/,
      ],
      [
        'a sub claim',
        t => t.sign({ sub: 'alice' }),
        'invalid_request',
        /must not have a sub claim/,
      ],
      [
        'an exp claim',
        t => t.sign({ exp: Math.floor(Date.now() / 1000) + 60 }),
        'invalid_request',
        /must not have an exp claim/,
      ],
      [
        'a bad signature',
        t => t.sign({}, { forge: true }),
        'invalid_key',
        /signature does not verify/,
      ],
      [
        'an unknown key id',
        t => t.sign({}, { header: { kid: 'nobody-knows-me' } }),
        'invalid_key',
        /signed with key 'nobody-knows-me'/,
      ],
      [
        'an unknown issuer',
        t => t.sign({ iss: 'https://stranger.example.com' }),
        'invalid_issuer',
        /No Security Events Provider is registered for the issuer/,
      ],
      [
        'no issuer',
        t => t.sign({ iss: undefined }),
        'invalid_request',
        /no iss claim/,
      ],
      [
        'another audience',
        t => t.sign({ aud: 'https://someone-else.example.com' }),
        'invalid_audience',
        /does not name this receiver/,
      ],
      [
        'no audience',
        t => t.sign({ aud: undefined }),
        'invalid_audience',
        /no aud claim/,
      ],
    ])('%s', async (_what, make, err, description) => {
      // No refetch cooldown: an unknown kid is refused once refetched.
      const { server, knex } = await start({
        receiver: { keys: { refetchCooldown: { seconds: 0 } } },
      });
      await addProvider(server, transmitter);
      const res = await push(server, await make(transmitter));
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ err, description: expect.any(String) });
      expect(res.body.description).toMatch(description);
      expect(await storedEvents(knex)).toHaveLength(0);
    });

    it('a wrong content type, an empty body and an oversized body: invalid_request', async () => {
      const { server, knex } = await start({
        receiver: { maxSetBytes: 2048 },
      });
      await addProvider(server, transmitter);
      const set = await transmitter.sign();

      const asJson = await request(server)
        .post('/api/ssf/security-events')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ set }));
      expect(asJson.status).toBe(400);
      expect(asJson.body.err).toBe('invalid_request');
      expect(asJson.body.description).toMatch(/application\/secevent\+jwt/);

      const asText = await request(server)
        .post('/api/ssf/security-events')
        .set('Content-Type', 'text/plain')
        .send(set);
      expect(asText.status).toBe(400);
      expect(asText.body.err).toBe('invalid_request');

      const empty = await push(server, '');
      expect(empty.status).toBe(400);
      expect(empty.body.err).toBe('invalid_request');

      const big = await push(
        server,
        await transmitter.sign({
          events: {
            [SESSION_REVOKED]: { reason_admin: { en: 'x'.repeat(4000) } },
          },
        }),
      );
      expect(big.status).toBe(400);
      expect(big.body).toEqual({
        err: 'invalid_request',
        description: 'The SET is larger than 2048 bytes',
      });
      expect(await storedEvents(knex)).toHaveLength(0);
    });

    it('a deactivated provider: access_denied, until it is activated again', async () => {
      const { server, knex } = await start();
      const provider = await addProvider(server, transmitter);
      const lifecycle = `${PROVIDERS}/${provider.id}/lifecycle`;
      await asAdmin(server).post(`${lifecycle}/deactivate`);
      const refused = await push(server, await transmitter.sign());
      expect(refused.status).toBe(400);
      expect(refused.body.err).toBe('access_denied');
      expect(await storedEvents(knex)).toHaveLength(0);

      await asAdmin(server).post(`${lifecycle}/activate`);
      expect((await push(server, await transmitter.sign())).status).toBe(202);
    });

    it('a deleted provider: invalid_issuer', async () => {
      const { server } = await start();
      const provider = await addProvider(server, transmitter);
      expect((await push(server, await transmitter.sign())).status).toBe(202);
      await asAdmin(server).delete(`${PROVIDERS}/${provider.id}`);
      const res = await push(server, await transmitter.sign());
      expect(res.body.err).toBe('invalid_issuer');
    });

    it('a missing or wrong bearer secret: authentication_failed', async () => {
      const { server, knex } = await start();
      const secret = 'push-secret-0123456789abcdef';
      await addProvider(server, transmitter, {
        authorization_secret: secret,
      });
      const missing = await push(server, await transmitter.sign());
      expect(missing.status).toBe(400);
      expect(missing.body.err).toBe('authentication_failed');
      const wrong = await push(
        server,
        await transmitter.sign(),
        'Bearer not-the-secret',
      );
      expect(wrong.status).toBe(400);
      expect(wrong.body.err).toBe('authentication_failed');
      expect(await storedEvents(knex)).toHaveLength(0);
      const right = await push(
        server,
        await transmitter.sign(),
        `Bearer ${secret}`,
      );
      expect(right.status).toBe(202);
    });

    it('a verification event with a state we did not issue: invalid_state', async () => {
      const { server, knex } = await start();
      await addProvider(server, transmitter);
      const res = await push(
        server,
        await transmitter.sign({
          sub_id: { format: 'opaque', id: 'stream-1' },
          events: { [VERIFICATION]: { state: 'made-up' } },
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.err).toBe('invalid_state');
      expect(await storedEvents(knex)).toHaveLength(0);
    });
  });

  it('accepts SETs signed with a rotated key after refetching the JWKS', async () => {
    const { server, knex } = await start({
      receiver: { keys: { refetchCooldown: { seconds: 0 } } },
    });
    await addProvider(server, transmitter);
    expect((await push(server, await transmitter.sign())).status).toBe(202);
    const fetchesBefore = transmitter.jwksRequests;
    const oldKid = transmitter.kid;

    await transmitter.rotateKey();
    expect(transmitter.kid).not.toBe(oldKid);
    const res = await push(server, await transmitter.sign());
    expect(res.status).toBe(202);
    expect(transmitter.jwksRequests).toBe(fetchesBefore + 1);
    // The new key is cached now: no further fetch.
    expect((await push(server, await transmitter.sign())).status).toBe(202);
    expect(transmitter.jwksRequests).toBe(fetchesBefore + 1);
    expect(await storedEvents(knex)).toHaveLength(3);
  });

  it('rate-limits refetches for unknown key ids', async () => {
    const { server } = await start({
      receiver: { keys: { refetchCooldown: { minutes: 5 } } },
    });
    await addProvider(server, transmitter);
    expect((await push(server, await transmitter.sign())).status).toBe(202);
    const fetches = transmitter.jwksRequests;
    for (let i = 0; i < 5; i++) {
      const res = await push(
        server,
        await transmitter.sign({}, { header: { kid: `made-up-${i}` } }),
      );
      // The first unknown kid refetches (nothing new) and is refused; the
      // next ones, within the cooldown, are asked to come back later.
      // Within the cooldown the keys are not fetched again, so the SET is
      // neither accepted nor refused for good: the transmitter may retry.
      expect(res.status).toBe(503);
      expect(res.body.err).toBe('temporarily_unavailable');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Within the cooldown a made-up kid costs the transmitter nothing.
    expect(transmitter.jwksRequests).toBe(fetches);
  });

  it('uses the jwks_url of a provider configured by issuer and JWKS URL', async () => {
    const { server } = await start();
    await addProvider(server, transmitter, {
      settings: { issuer: transmitter.issuer, jwks_url: transmitter.jwksUrl },
    });
    expect(transmitter.metadataRequests).toBe(0);
    expect((await push(server, await transmitter.sign())).status).toBe(202);
    expect(transmitter.metadataRequests).toBe(0);
  });

  it('answers 503 when the keys cannot be fetched, so the transmitter retries, and fetches them at most once per cooldown', async () => {
    const { server } = await start();
    await addProvider(server, transmitter, {
      settings: {
        issuer: transmitter.issuer,
        jwks_url: `${transmitter.origin}/nowhere`,
      },
    });
    const res = await push(server, await transmitter.sign());
    expect(res.status).toBe(503);
    expect(res.body.err).toBe('temporarily_unavailable');
    expect(res.body.description).toMatch(/could not be fetched/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    const again = await push(server, await transmitter.sign());
    expect(again.status).toBe(503);
    expect(again.body.err).toBe('temporarily_unavailable');
    // The second SET, within the cooldown, did not fetch again.
    expect(
      transmitter.requests.filter(r => r.path === '/nowhere'),
    ).toHaveLength(1);
  });

  it('records verification and stream-updated events on the provider', async () => {
    const { server, knex } = await start();
    const provider = await addProvider(server, transmitter);
    // SETs about the stream (SSF 1.0 §8.1.4, §8.1.5) name it as subject.
    const pushAboutStream = async (claims: Record<string, unknown>) =>
      (
        await push(
          server,
          await transmitter.sign({
            sub_id: { format: 'opaque', id: 'stream-1' },
            ...claims,
          }),
        )
      ).status;

    // A verification the transmitter sent on its own (no state).
    expect(await pushAboutStream({ events: { [VERIFICATION]: {} } })).toBe(202);
    // One that echoes the state we sent.
    await knex('ssf_providers')
      .where({ id: provider.id })
      .update({ verification_state: 'our-state' });
    expect(
      await pushAboutStream({
        events: { [VERIFICATION]: { state: 'our-state' } },
      }),
    ).toBe(202);
    const updatedAt = Math.floor(Date.now() / 1000) - 5;
    expect(
      await pushAboutStream({
        iat: updatedAt,
        events: {
          [STREAM_UPDATED]: { status: 'paused', reason: 'maintenance' },
        },
      }),
    ).toBe(202);

    const got = await asAdmin(server).get(`${PROVIDERS}/${provider.id}`);
    expect(got.body.remote_stream).toEqual({
      status: 'paused',
      reason: 'maintenance',
      status_updated_at: new Date(updatedAt * 1000).toISOString(),
      last_verified_at: expect.any(String),
    });
    expect(await storedEvents(knex)).toHaveLength(3);
  });
});

let moduleCount = 0;
function handlerModule(
  handle: (e: ReceivedSsfEvent) => Promise<void>,
  eventTypes?: string[],
) {
  const n = ++moduleCount;
  return createBackendModule({
    pluginId: 'ssf',
    moduleId: `test-handler-${n}`,
    register(reg) {
      reg.registerInit({
        deps: { handlers: ssfReceivedEventHandlersExtensionPoint },
        async init({ handlers }) {
          handlers.addHandler({ id: `handler-${n}`, eventTypes, handle });
        },
      });
    },
  });
}
