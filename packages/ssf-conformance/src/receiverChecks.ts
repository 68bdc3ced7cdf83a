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
import { call, expectThat, serveJson } from './support';
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
