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

import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { call, claimsOf, expectThat, serveJson } from './support';
import { Check } from './transmitterChecks';

/** What the receiver checks need. */
export interface ReceiverTarget {
  /** The receiver's base, e.g. http://localhost:7007/api/ssf. */
  baseUrl: string;
  /** A portal user token allowed to manage Security Events Providers. */
  adminToken: string;
  /** The `aud` the receiver accepts. */
  audience: string;
  /** The host the receiver reaches this machine's JWKS server on. */
  keysHost: string;
}

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const VERIFICATION =
  'https://schemas.openid.net/secevent/ssf/event-type/verification';

/**
 * The receiver checks: the suite plays a transmitter with its own issuer and
 * keys, registers itself as a provider, and pushes crafted SETs.
 */
export function receiverChecks(r: ReceiverTarget): {
  checks: Check[];
  close: () => Promise<void>;
} {
  const issuer = `https://conformance-${randomUUID().slice(0, 8)}.example.com`;
  let keys: { kid: string; privateKey: KeyLike; jwk: JWK }[] = [];
  let jwksServer: Awaited<ReturnType<typeof serveJson>> | undefined;
  let providerId: string | undefined;

  async function newKey() {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = randomUUID();
    return {
      kid,
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' },
    };
  }

  async function set(
    options: {
      iss?: string;
      aud?: string;
      key?: { kid: string; privateKey: KeyLike };
      events?: object;
      jti?: string;
    } = {},
  ) {
    const key = options.key ?? keys[0];
    return new SignJWT({
      sub_id: { format: 'email', email: 'conformance@example.com' },
      events: options.events ?? {
        [SESSION_REVOKED]: { initiating_entity: 'policy' },
      },
    })
      .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'secevent+jwt' })
      .setIssuer(options.iss ?? issuer)
      .setAudience(options.aud ?? r.audience)
      .setIssuedAt()
      .setJti(options.jti ?? randomUUID())
      .sign(key.privateKey);
  }

  /** Signs claims as given (no sub_id added), with the suite's issuer and key. */
  async function rawSet(
    claims: Record<string, unknown>,
    header: { typ?: string } = { typ: 'secevent+jwt' },
  ) {
    return new SignJWT({ ...claims, iss: issuer, aud: r.audience })
      .setProtectedHeader({ alg: 'ES256', kid: keys[0].kid, ...header })
      .setIssuedAt()
      .setJti(randomUUID())
      .sign(keys[0].privateKey);
  }

  /**
   * Pushes a SET shaped as a peer publishes it and finds it through the
   * received-events API by the value of its principal subject.
   */
  async function expectFilterable(
    claims: Record<string, unknown>,
    subject: { format: string; value: string },
  ) {
    const jws = await rawSet(claims);
    const res = await push(jws);
    expectThat(
      res.status === 202,
      `answered ${res.status} ${res.text.slice(0, 200)}`,
    );
    const jti = claimsOf(jws).jti;
    const listed = await call(
      'GET',
      `${r.baseUrl}/received-events?provider_id=${encodeURIComponent(
        providerId ?? '',
      )}&subject=${encodeURIComponent(subject.value)}`,
      { token: r.adminToken },
    );
    const item = listed.json?.items?.find((e: any) => e.jti === jti);
    expectThat(
      item?.subject?.format === subject.format &&
        item?.subject?.value === subject.value,
      `GET /received-events?subject=${subject.value} answered ${
        listed.status
      } without the SET as ${JSON.stringify(subject)}: ${listed.text.slice(
        0,
        300,
      )}`,
    );
  }

  // A receiver may answer 503 with Retry-After while it cannot refresh keys
  // yet (RFC 8935 leaves retrying to the transmitter); do as a transmitter would.
  async function push(jws: string) {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const res = await call('POST', `${r.baseUrl}/security-events`, {
        body: jws,
        contentType: 'application/secevent+jwt',
      });
      const wait = Number(res.headers.get('retry-after') ?? '1') * 1000;
      if (res.status !== 503 || Date.now() + wait > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, wait));
    }
  }

  async function expectErr(jws: string, err: string) {
    const res = await push(jws);
    expectThat(
      res.status === 400 && res.json?.err === err,
      `expected 400 ${err}, got ${res.status} ${res.text.slice(0, 200)}`,
    );
  }

  const checks: Check[] = [
    {
      group: 'receiver',
      name: 'register the suite as a Security Events Provider',
      run: async () => {
        keys = [await newKey()];
        jwksServer = await serveJson(r.keysHost, () => ({
          keys: keys.map(k => k.jwk),
        }));
        const res = await call(
          'POST',
          `${r.baseUrl}/security-events-providers`,
          {
            token: r.adminToken,
            json: {
              name: `SSF conformance ${issuer}`,
              type: 'SSF',
              settings: { issuer, jwks_url: jwksServer.url },
            },
          },
        );
        expectThat(
          res.status < 300 && res.json?.id,
          `create provider answered ${res.status} ${res.text.slice(0, 300)}`,
        );
        providerId = res.json.id;
      },
    },
    {
      group: 'receiver',
      name: 'a valid SET is accepted with 202',
      run: async () => {
        const res = await push(await set());
        expectThat(
          res.status === 202,
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
      },
    },
    {
      group: 'receiver',
      name: 'a redelivered SET is accepted again',
      run: async () => {
        const jws = await set({ jti: randomUUID() });
        for (const attempt of [1, 2]) {
          const res = await push(jws);
          expectThat(
            res.status === 202,
            `attempt ${attempt} answered ${res.status}`,
          );
        }
      },
    },
    {
      group: 'receiver',
      name: 'a bad signature answers invalid_key',
      run: async () => {
        const jws = await set();
        const [h, p, s] = jws.split('.');
        const flipped = Buffer.from(s, 'base64url');
        flipped[0] ^= 0xff;
        await expectErr(
          `${h}.${p}.${flipped.toString('base64url')}`,
          'invalid_key',
        );
      },
    },
    {
      group: 'receiver',
      name: 'an unknown kid answers invalid_key',
      run: async () => {
        const stranger = await newKey();
        await expectErr(await set({ key: stranger }), 'invalid_key');
      },
    },
    {
      group: 'receiver',
      name: 'a rotated key (new kid in the JWKS) is accepted',
      run: async () => {
        const rotated = await newKey();
        keys = [rotated, ...keys];
        const res = await push(await set({ key: rotated }));
        expectThat(
          res.status === 202,
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
      },
    },
    {
      group: 'receiver',
      name: 'a wrong issuer answers invalid_issuer',
      run: async () => {
        await expectErr(
          await set({ iss: 'https://not-a-provider.example.com' }),
          'invalid_issuer',
        );
      },
    },
    {
      group: 'receiver',
      name: 'a wrong audience answers invalid_audience',
      run: async () => {
        await expectErr(
          await set({ aud: 'https://someone-else.example.com' }),
          'invalid_audience',
        );
      },
    },
    {
      group: 'receiver',
      name: 'not a JWT answers invalid_request',
      run: async () => {
        await expectErr('this is not a jwt', 'invalid_request');
      },
    },
    {
      group: 'receiver',
      // SSF 1.0 §4.1.1: SETs MUST be explicitly typed.
      name: 'a SET without typ is refused with invalid_request by default',
      run: async () => {
        await expectErr(
          await rawSet(
            {
              sub_id: { format: 'email', email: 'conformance@example.com' },
              events: { [SESSION_REVOKED]: { initiating_entity: 'policy' } },
            },
            {},
          ),
          'invalid_request',
        );
      },
    },
    {
      group: 'receiver',
      // developers.google.com/identity/protocols/risc, "Handle security
      // events": the subject inside the event, subject_type iss-sub.
      name: 'a Google-RISC-shaped SET is accepted and its subject filterable',
      run: async () => {
        await expectFilterable(
          {
            events: {
              'https://schemas.openid.net/secevent/risc/event-type/account-disabled':
                {
                  subject: {
                    subject_type: 'iss-sub',
                    iss: 'https://accounts.google.com/',
                    sub: '7375626A656374',
                  },
                  reason: 'hijacking',
                },
            },
          },
          { format: 'iss_sub', value: '7375626A656374' },
        );
      },
    },
    {
      group: 'receiver',
      // developer.okta.com/docs/reference/ssf-transmitter-sets, "CAEP Session
      // Revoked - user.session.end": a complex subject without format.
      name: 'an Okta-transmitter-shaped SET is accepted and its user filterable',
      run: async () => {
        await expectFilterable(
          {
            events: {
              [SESSION_REVOKED]: {
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
          { format: 'iss_sub', value: 'okta-user-id1' },
        );
      },
    },
    {
      group: 'receiver',
      // Okta's SSF Security Event Tokens API, SecurityEventSubject:
      // {device, user} with the user as an email.
      name: 'an Okta device-and-user-shaped SET is accepted and its user filterable',
      run: async () => {
        await expectFilterable(
          {
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
          { format: 'email', value: 'john@doe.net' },
        );
      },
    },
    {
      group: 'receiver',
      // CAEP 1.0 §3.1.3 example as the CAEP Interoperability Profile 1.0 asks
      // for a session revocation: complex sub_id, reason_admin set.
      name: 'a CAEP-interop-shaped SET is accepted and its user filterable',
      run: async () => {
        await expectFilterable(
          {
            txn: '8675309',
            sub_id: {
              format: 'complex',
              session: {
                format: 'opaque',
                id: 'dMTlD|1600802906337.16|16008.16',
              },
              user: {
                format: 'iss_sub',
                iss: 'https://idp.example.com/123456789/',
                sub: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
              },
              tenant: { format: 'opaque', id: '123456789' },
            },
            events: {
              [SESSION_REVOKED]: {
                initiating_entity: 'policy',
                reason_admin: { en: 'Landspeed Policy Violation: C076E82F' },
                event_timestamp: 1615304991,
              },
            },
          },
          {
            format: 'iss_sub',
            value: '99beb27c-c1c2-4955-882a-e0dc4996fcbc',
          },
        );
      },
    },
    {
      group: 'receiver',
      name: 'an unsolicited verification (no state) is accepted',
      run: async () => {
        const res = await push(await set({ events: { [VERIFICATION]: {} } }));
        expectThat(
          res.status === 202,
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
      },
    },
    {
      group: 'receiver',
      name: 'events about a subject the receiver removed are still accepted',
      run: async () => {
        const res = await push(
          await set({
            events: { [SESSION_REVOKED]: { initiating_entity: 'admin' } },
          }),
        );
        expectThat(res.status === 202, `answered ${res.status}`);
      },
    },
  ];

  return {
    checks,
    close: async () => {
      if (providerId) {
        await call(
          'DELETE',
          `${r.baseUrl}/security-events-providers/${providerId}`,
          { token: r.adminToken },
        );
      }
      await jwksServer?.close();
    },
  };
}
