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

import { decodeJwt } from 'jose';
import request from 'supertest';
import { captureAudits } from '../__testUtils__/capturedAudits';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import { CREDENTIAL_CHANGE, SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  createPushStream,
  startSsfBackend,
  userAuth,
} from '../__testUtils__/testBackend';
import {
  addProvider,
  PROVIDERS,
  push,
} from '../receiver/__testUtils__/receiverBackend';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../receiver/__testUtils__/testTransmitter';
import {
  putRelayRule,
  relayPortalConfig,
  verifiedSets,
} from './__testUtils__/relayPortal';

jest.setTimeout(90_000);

const PORTAL_ISSUER = 'https://portal.example.com/api/ssf';
const STREAM_AUDIENCE = 'https://downstream.example.com';

describeOnEachDatabase('relay of received SETs', (databases, id) => {
  async function setup() {
    const audits = captureAudits();
    const portal = await startSsfBackend({
      databases,
      id,
      config: relayPortalConfig({
        issuer: PORTAL_ISSUER,
        audience: RECEIVER_AUDIENCE,
      }),
      extraFeatures: [audits.factory],
    });
    const provider = await TestTransmitter.start();
    const downstream = await startTestReceiver();
    const registered = await addProvider(portal.server, provider);
    const stream = await createPushStream(
      portal.server,
      'downstream',
      downstream.url,
      [SESSION_REVOKED, CREDENTIAL_CHANGE],
      { aud: STREAM_AUDIENCE },
    );
    expect(stream.status).toBe(201);
    return {
      ...portal,
      audits,
      provider,
      providerId: registered.id as string,
      downstream,
      streamId: stream.body.stream_id as string,
      /** Relays `eventTypes` from a provider (the upstream one by default). */
      relay: (eventTypes: string[], providerId = registered.id as string) =>
        putRelayRule(portal.server, providerId, {
          event_types: eventTypes,
        }).expect(200),
      /** How many received SETs are stored (matching `where`). */
      storedCount: async (where: Record<string, string> = {}) => {
        const [{ n }] = await portal
          .knex('ssf_received_events')
          .where(where)
          .count({ n: '*' });
        return Number(n);
      },
      async stop() {
        await portal.backend.stop();
        await provider.close();
        await downstream.close();
      },
    };
  }

  /** A test on a fresh portal, stopped afterwards. */
  const withPortal =
    (test: (env: Awaited<ReturnType<typeof setup>>) => Promise<void>) =>
    async () => {
      const env = await setup();
      try {
        await test(env);
      } finally {
        await env.stop();
      }
    };

  /** The outbox rows of a txn, as the push that stored the SET left them. */
  const outboxOf = (
    knex: Awaited<ReturnType<typeof setup>>['knex'],
    txn: string,
  ) => knex('ssf_outbox').where({ txn }).select('stream_id', 'event_type');

  it(
    're-sends a covered SET as ours: our iss and key, the stream aud, same event, subject and txn, and its source',
    withPortal(async env => {
      const rule = await putRelayRule(env.server, env.providerId, {
        event_types: [SESSION_REVOKED],
      });
      expect(rule.status).toBe(200);
      expect(rule.body).toMatchObject({
        event_types: [SESSION_REVOKED],
        updated_by: 'user:default/admin',
      });
      expect(
        (
          await request(env.server)
            .get(`${PROVIDERS}/${env.providerId}/relay`)
            .set('Authorization', userAuth())
        ).body,
      ).toEqual(rule.body);
      expect(
        env.audits.events.find(e => e.options.meta.actionType === 'relay'),
      ).toMatchObject({
        options: {
          eventId: 'provider-mutate',
          meta: { actor: 'user:default/admin', providerId: env.providerId },
        },
        outcome: {
          success: {
            meta: { providerId: env.providerId, eventTypes: [SESSION_REVOKED] },
          },
        },
      });

      const event = { event_timestamp: 1767225600, initiating_entity: 'admin' };
      const subject = { format: 'email', email: 'leaver@example.com' };
      const set = await env.provider.sign({
        txn: 'upstream-trace-1',
        sub_id: subject,
        events: { [SESSION_REVOKED]: event },
      });
      expect((await push(env.server, set)).status).toBe(202);
      // Stored with the received SET, before the push was answered.
      expect(await outboxOf(env.knex, 'upstream-trace-1')).toEqual([
        { stream_id: env.streamId, event_type: SESSION_REVOKED },
      ]);

      await waitFor(
        () => env.downstream.received.length > 0,
        30_000,
        'the relayed SET',
      );
      const [relayed] = await verifiedSets(
        env.server,
        env.downstream.received,
        SESSION_REVOKED,
      );
      expect(relayed).toMatchObject({
        iss: PORTAL_ISSUER,
        aud: STREAM_AUDIENCE,
        txn: 'upstream-trace-1',
        sub_id: subject,
        events: { [SESSION_REVOKED]: event },
        relayed_from: {
          iss: env.provider.issuer,
          jti: decodeJwt(set).jti,
          provider_id: env.providerId,
        },
      });
      expect(relayed.jti).not.toBe(decodeJwt(set).jti);
    }),
  );

  it(
    'keeps the received jti as txn when the SET had none',
    withPortal(async env => {
      await env.relay([SESSION_REVOKED]);
      const set = await env.provider.sign({
        jti: 'upstream-jti-without-txn',
        txn: undefined,
      });
      expect((await push(env.server, set)).status).toBe(202);
      expect(await outboxOf(env.knex, 'upstream-jti-without-txn')).toEqual([
        { stream_id: env.streamId, event_type: SESSION_REVOKED },
      ]);
    }),
  );

  it(
    'relays nothing of an event type the rule does not name, nor for a provider without a rule',
    withPortal(async env => {
      const credentialChange = {
        event_timestamp: 1767225600,
        credential_type: 'password',
        change_type: 'update',
      };
      // No rule yet: nothing is relayed.
      const before = await env.provider.sign({
        txn: 'no-rule',
        events: { [CREDENTIAL_CHANGE]: credentialChange },
      });
      expect((await push(env.server, before)).status).toBe(202);

      await env.relay([SESSION_REVOKED]);
      const other = await env.provider.sign({
        txn: 'not-in-rule',
        events: { [CREDENTIAL_CHANGE]: credentialChange },
      });
      expect((await push(env.server, other)).status).toBe(202);

      expect(await outboxOf(env.knex, 'no-rule')).toEqual([]);
      expect(await outboxOf(env.knex, 'not-in-rule')).toEqual([]);
      expect(await env.storedCount()).toBe(2);
    }),
  );

  it('never relays a SET whose iss is our own transmitter', async () => {
    const env = await setup();
    // A provider that claims the portal's own issuer (a stream of ours
    // pushing back into our receiver, say), signing with its own keys.
    const impostor = await TestTransmitter.start();
    try {
      const own = await addProvider(env.server, impostor, {
        name: 'Ourselves',
        settings: { issuer: PORTAL_ISSUER, jwks_url: impostor.jwksUrl },
      });
      await env.relay([SESSION_REVOKED], own.id);
      const set = await impostor.sign({ iss: PORTAL_ISSUER, txn: 'ours' });
      expect((await push(env.server, set)).status).toBe(202);
      expect(await env.storedCount({ iss: PORTAL_ISSUER })).toBe(1);
      expect(await outboxOf(env.knex, 'ours')).toEqual([]);
    } finally {
      await impostor.close();
      await env.stop();
    }
  });

  it(
    'does not relay one txn and type twice to a stream',
    withPortal(async env => {
      await env.relay([SESSION_REVOKED]);
      // Two SETs (new jtis) of one cause and type: the second is stored,
      // but the stream already has that txn.
      for (let i = 0; i < 2; i++) {
        const set = await env.provider.sign({ txn: 'same-cause' });
        expect((await push(env.server, set)).status).toBe(202);
      }
      expect(await outboxOf(env.knex, 'same-cause')).toEqual([
        { stream_id: env.streamId, event_type: SESSION_REVOKED },
      ]);
    }),
  );
});
