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

import { EventParams } from '@backstage/plugin-events-node';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { TestServer } from '../../__testUtils__/testBackend';
import {
  CAEP_COMPLEX_SUB_ID,
  GOOGLE_RISC_TOKEN,
} from '../__testUtils__/publishedExamples';
import {
  addProvider,
  asAdmin,
  collectReceivedTopic,
  push,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import {
  eventually,
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(90_000);

type Claims = Record<string, unknown>;

/**
 * A SET as a peer publishes it. The claims are copied from the peer's
 * published example, verbatim except `iss`, which must be the stand-in
 * transmitter's so that its keys verify the signature; the receiver is
 * configured with every published `aud` so that those stay as published.
 */
interface PeerSet {
  peer: 'google' | 'okta' | 'oktaReceiverApi' | 'openid';
  source: string;
  claims: Claims;
  /** The indexed principal subject, filterable through the API. */
  subject: { format: string; value: string };
  /**
   * `subId` on the `ssf.received` topic, an RFC 9493 subject; absent where
   * it is the SET's top-level `sub_id`, published as it was sent.
   */
  subId?: Record<string, unknown>;
}

/**
 * The FIDO2 authenticator CAEP 1.0 §3.3.3's credential-change example
 * provisions, which Okta's example keeps.
 */
const FIDO2_ROAMING_CREATED = {
  credential_type: 'fido2-roaming',
  change_type: 'create',
  fido2_aaguid: 'accced6a-63f5-490a-9eea-e59bc1896cfc',
};

const PEER_SETS: PeerSet[] = [
  {
    peer: 'google',
    // Google's published token (see GOOGLE_RISC_TOKEN).
    source:
      'https://developers.google.com/identity/protocols/risc#handle_security_events',
    claims: GOOGLE_RISC_TOKEN,
    subject: { format: 'iss_sub', value: '7375626A656374' },
    subId: {
      format: 'iss_sub',
      iss: 'https://accounts.google.com/',
      sub: '7375626A656374',
    },
  },
  {
    peer: 'okta',
    // "CAEP Session Revoked - user.session.end", Okta SSF Transmitter SET
    // payload structures: a complex subject without `format` in the event.
    source:
      'https://developer.okta.com/docs/reference/ssf-transmitter-sets/#caep-session-revoked-user-session-end',
    claims: {
      iss: 'https://org.okta.com',
      jti: '24c63fb56e5a2d77a6b512616ca9fa24',
      iat: 1615305159,
      aud: 'https://sp.example.com/caep',
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked': {
          subject: {
            user: {
              format: 'iss_sub',
              iss: 'https://org.okta.com',
              sub: 'okta-user-id1',
            },
          },
          reason_admin: { en: 'Policy Violation: C076E822' },
          reason_user: { en: 'This device is no longer compliant.' },
          event_timestamp: 1615304991643,
        },
      },
    },
    subject: { format: 'iss_sub', value: 'okta-user-id1' },
    subId: {
      format: 'iss_sub',
      iss: 'https://org.okta.com',
      sub: 'okta-user-id1',
    },
  },
  {
    peer: 'okta',
    // "CAEP Credential Change - user.mfa.factor.activate", same page: a
    // simple subject inside the event.
    source:
      'https://developer.okta.com/docs/reference/ssf-transmitter-sets/#caep-credential-change-user-mfa-factor-activate',
    claims: {
      iss: 'https://transmitter.okta.com',
      jti: 'set-07efd930f0977e4fcc1149a733ce7f78',
      iat: 1615305159,
      aud: 'https://receiverexample.com',
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/credential-change':
          {
            subject: {
              format: 'iss_sub',
              iss: 'https://transmitter.okta.com',
              sub: 'okta-user-id1',
            },
            ...FIDO2_ROAMING_CREATED,
            friendly_name: 'FIDO_WEBAUTHN',
            initiating_entity: 'user',
            reason_admin: { en: 'Activate factor for user' },
            event_timestamp: 1615304991643,
          },
      },
    },
    subject: { format: 'iss_sub', value: 'okta-user-id1' },
    subId: {
      format: 'iss_sub',
      iss: 'https://transmitter.okta.com',
      sub: 'okta-user-id1',
    },
  },
  {
    peer: 'oktaReceiverApi',
    // Okta's SSF Security Event Tokens API (what a provider sends Okta),
    // schemas SecurityEventTokenRequestJwtBody, OktaDeviceRiskChangeEvent
    // and SecurityEventSubject, assembled from their `example` values:
    // `subject: {device, user}` with the user as an email.
    source:
      'https://developer.okta.com/docs/api/openapi/okta-management/management/tag/SSFSecurityEventToken/',
    claims: {
      iss: 'https://transmitter.example.com',
      aud: 'https://receiverexample.okta.com/',
      // The schema's example elides it ("24c63fb56f ... a9fa24").
      jti: '24c63fb56fe5a2d77a6b512616ca9fa24',
      iat: 1702448550,
      events: {
        'https://schemas.okta.com/secevent/okta/event-type/device-risk-change':
          {
            subject: {
              device: { format: 'opaque', id: 'device-identifier-001' },
              user: { format: 'email', email: 'john@doe.net' },
            },
            event_timestamp: 1702448550,
            previous_level: 'medium',
            current_level: 'low',
          },
      },
    },
    subject: { format: 'email', value: 'john@doe.net' },
    subId: { format: 'email', email: 'john@doe.net' },
  },
  {
    peer: 'openid',
    // CAEP 1.0 §3.1.3, "Session Revoked - subject as `sub` claim (includes
    // optional claims)": complex sub_id with the session before the user.
    // It is what the CAEP Interoperability Profile 1.0 asks of a session
    // revocation (§"Session Revocation / Logout": reason_admin non-empty;
    // §"Event Subjects": iss_sub; one event per SET).
    source:
      'https://openid.net/specs/openid-caep-1_0.html#session-revoked-examples',
    claims: {
      iss: 'https://idp.example.com/123456789/',
      jti: '24c63fb56e5a2d77a6b512616ca9fa24',
      iat: 1615305159,
      aud: 'https://sp.example.com/caep',
      txn: '8675309',
      sub_id: CAEP_COMPLEX_SUB_ID,
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/session-revoked': {
          initiating_entity: 'policy',
          reason_admin: { en: 'Landspeed Policy Violation: C076E82F' },
          reason_user: {
            en: 'Access attempt from multiple regions.',
            'es-410': 'Intento de acceso desde varias regiones.',
          },
          event_timestamp: 1615304991,
        },
      },
    },
    subject: {
      format: 'iss_sub',
      value: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
    },
  },
  {
    peer: 'openid',
    // CAEP 1.0 §3.3.3, "Provisioning a new FIDO2 authenticator": what the
    // CAEP Interoperability Profile 1.0 §"Credential Change" asks for
    // (change_type, credential_type, a non-empty reason_admin).
    source:
      'https://openid.net/specs/openid-caep-1_0.html#credential-change-examples',
    claims: {
      iss: 'https://idp.example.com/3456789/',
      jti: '07efd930f0977e4fcc1149a733ce7f78',
      iat: 1615305159,
      aud: 'https://sp.example2.net/caep',
      txn: '8675309',
      sub_id: {
        format: 'iss_sub',
        iss: 'https://idp.example.com/3456789/',
        sub: 'jane.smith@example.com',
      },
      events: {
        'https://schemas.openid.net/secevent/caep/event-type/credential-change':
          {
            ...FIDO2_ROAMING_CREATED,
            friendly_name: "Jane's USB authenticator",
            initiating_entity: 'user',
            reason_admin: { en: 'User self-enrollment' },
            event_timestamp: 1615304991,
          },
      },
    },
    subject: { format: 'iss_sub', value: 'jane.smith@example.com' },
  },
  {
    peer: 'openid',
    // RISC 1.0 §2.5, "Example: Identifier Changed".
    source:
      'https://openid.net/specs/openid-risc-1_0-final.html#identifier-changed',
    claims: {
      iss: 'https://idp.example.com/',
      jti: '756E69717565206964656E746966696572',
      iat: 1508184845,
      aud: '636C69656E745F6964',
      sub_id: { format: 'email', email: 'john.doe@example.com' },
      events: {
        'https://schemas.openid.net/secevent/risc/event-type/identifier-changed':
          { 'new-value': 'john.roe@example.com' },
      },
    },
    subject: { format: 'email', value: 'john.doe@example.com' },
  },
];

const PUBLISHED_AUDIENCES = [
  RECEIVER_AUDIENCE,
  ...new Set(PEER_SETS.map(s => s.claims.aud as string)),
];

/** Signs a peer's published claims as they are, with the stand-in's issuer. */
function signAsPublished(t: TestTransmitter, claims: Claims) {
  // The stand-in's own defaults (sub_id, txn) must not leak into the SET.
  return t.sign({
    sub_id: undefined,
    txn: undefined,
    ...claims,
    iss: t.issuer,
  });
}

describeOnEachDatabase(
  'SETs shaped as the peers publish them,',
  (databases, id) => {
    const transmitters = new Map<PeerSet['peer'], TestTransmitter>();

    beforeAll(async () => {
      for (const peer of new Set(PEER_SETS.map(s => s.peer))) {
        transmitters.set(peer, await TestTransmitter.start());
      }
    });
    afterAll(async () => {
      for (const t of transmitters.values()) await t.close();
    });

    const published: EventParams[] = [];
    let server: TestServer;
    let knex: Awaited<ReturnType<typeof startReceiverBackend>>['knex'];
    const providers = new Map<PeerSet['peer'], string>();

    beforeAll(async () => {
      ({ server, knex } = await startReceiverBackend({
        databases,
        id,
        receiver: { audience: PUBLISHED_AUDIENCES },
        extraFeatures: [collectReceivedTopic(published)],
      }));
      for (const [peer, t] of transmitters) {
        providers.set(peer, (await addProvider(server, t)).id);
      }
    });

    it.each(PEER_SETS.map(set => [set.source, set] as const))(
      '%s: 202, stored once, subject indexed and filterable, subId published',
      async (_source, set) => {
        const t = transmitters.get(set.peer)!;
        const jwt = await signAsPublished(t, set.claims);
        const mine = (e: EventParams) =>
          (e.eventPayload as any).iss === t.issuer &&
          (e.eventPayload as any).jti === set.claims.jti;

        const first = await push(server, jwt);
        expect(first.status).toBe(202);
        expect(first.text).toBe('');
        // A redelivery is answered the same and stored no second time.
        expect((await push(server, jwt)).status).toBe(202);
        const rows = await knex('ssf_received_events').where({
          iss: t.issuer,
          jti: set.claims.jti,
        });
        expect(rows).toHaveLength(1);
        expect([rows[0].subject_format, rows[0].subject_value]).toEqual([
          set.subject.format,
          set.subject.value,
        ]);

        const listed = await asAdmin(server)
          .get('/api/ssf/received-events')
          .query({ subject: set.subject.value });
        expect(listed.status).toBe(200);
        const item = listed.body.items.find(
          (e: any) => e.iss === t.issuer && e.jti === set.claims.jti,
        );
        expect(item?.subject).toEqual(set.subject);
        expect(item?.provider_id).toBe(providers.get(set.peer));

        await eventually(() => expect(published.filter(mine)).toHaveLength(1));
        expect((published.find(mine)!.eventPayload as any).subId).toEqual(
          set.subId ?? set.claims.sub_id,
        );
      },
    );

    it("filters by the user both of Okta's SETs name, and only them", async () => {
      const okta = transmitters.get('okta')!;
      const byUser = await asAdmin(server)
        .get('/api/ssf/received-events')
        .query({ subject: 'okta-user-id1' });
      expect(byUser.body.items.map((e: any) => [e.iss, e.jti]).sort()).toEqual(
        [
          [okta.issuer, '24c63fb56e5a2d77a6b512616ca9fa24'],
          [okta.issuer, 'set-07efd930f0977e4fcc1149a733ce7f78'],
        ].sort(),
      );
      expect(await knex('ssf_received_events')).toHaveLength(PEER_SETS.length);
    });
  },
);
