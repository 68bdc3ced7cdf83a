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
import http from 'node:http';
import { KeyObject, randomUUID, sign as cryptoSign } from 'node:crypto';
import { POLL, PUSH, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { JWKS_PATH, METADATA_PATH, TenantServer } from './tenantServer';

/** The audience the receiver test backends are configured with. */
export const RECEIVER_AUDIENCE = 'https://receiver.example.com/api/ssf';

// Kept for the tests that still take these from here.
export {
  SESSION_REVOKED,
  STREAM_UPDATED,
  VERIFICATION,
} from '../../__testUtils__/specUris';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

/** A JSON request the test transmitter received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: any;
}

/**
 * A real SSF transmitter for tests, on 127.0.0.1 with a random port: it
 * serves its metadata at the SSF §7.2 well-known location and its JWKS, and
 * signs SETs with its own keys. It can rotate its key, serve a metadata
 * document claiming another issuer, queue SETs for RFC 8936 polling, and
 * answer stream management calls.
 */
export class TestTransmitter extends TenantServer {
  readonly alg: 'RS256' | 'ES256';
  #keys: SigningKey[] = [];
  /** Keys that sign but are not published (to forge SETs). */
  #unpublished?: SigningKey;
  jwksRequests = 0;
  metadataRequests = 0;
  metadataIssuerOverride?: string;
  /** SETs waiting to be polled, by jti. */
  readonly pollQueue = new Map<string, string>();
  readonly requests: RecordedRequest[] = [];
  /** Replies for paths other than metadata, JWKS and poll. */
  readonly replies = new Map<string, { status: number; body?: unknown }>();

  private constructor(alg: 'RS256' | 'ES256') {
    super();
    this.alg = alg;
  }

  static async start(
    options: { alg?: 'RS256' | 'ES256' } = {},
  ): Promise<TestTransmitter> {
    const t = new TestTransmitter(options.alg ?? 'RS256');
    t.#keys = [await t.#newKey()];
    await t.listen();
    return t;
  }

  /** Requests for its metadata or its keys: what looking it up has cost. */
  get keyRequests(): number {
    return this.metadataRequests + this.jwksRequests;
  }

  get pollUrl(): string {
    return `${this.origin}/tenant/poll`;
  }

  get kid(): string {
    return this.#keys[0].kid;
  }

  /** Replaces the signing key with a new one (new kid); the old one is no longer published. */
  async rotateKey(): Promise<void> {
    this.#keys = [await this.#newKey()];
  }

  /** Signs a SET with the jti `jti` and queues it for RFC 8936 polling. */
  async queueForPoll(
    jti: string,
    claims: Record<string, unknown> = {},
  ): Promise<void> {
    this.pollQueue.set(jti, await this.sign({ ...claims, jti }));
  }

  /** Default SET claims, overridden (or removed, with undefined) by `claims`. */
  claims(claims: Record<string, unknown> = {}): Record<string, unknown> {
    const base: Record<string, unknown> = {
      iss: this.issuer,
      jti: randomUUID(),
      iat: Math.floor(Date.now() / 1000),
      aud: RECEIVER_AUDIENCE,
      txn: randomUUID(),
      sub_id: { format: 'email', email: 'alice@example.com' },
      events: {
        [SESSION_REVOKED]: {
          event_timestamp: Math.floor(Date.now() / 1000),
          initiating_entity: 'policy',
        },
      },
    };
    const merged = { ...base, ...claims };
    for (const [k, v] of Object.entries(merged)) {
      if (v === undefined) delete merged[k];
    }
    return merged;
  }

  /** Signs a SET; `header` overrides the protected header. */
  async sign(
    claims: Record<string, unknown> = {},
    options: {
      header?: Record<string, unknown>;
      /** Sign with a key that is not published, under the published kid. */
      forge?: boolean;
    } = {},
  ): Promise<string> {
    let key = this.#keys[0];
    if (options.forge) {
      this.#unpublished ??= await this.#newKey();
      key = { ...this.#unpublished, kid: this.#keys[0].kid };
    }
    return new SignJWT(this.claims(claims))
      .setProtectedHeader({
        alg: this.alg,
        kid: key.kid,
        typ: 'secevent+jwt',
        ...options.header,
      } as any)
      .sign(key.privateKey);
  }

  /**
   * Signs arbitrary payload bytes as a compact JWS with the published key,
   * building the JWS by hand (RFC 7515 §7.1) so that nothing stops what
   * jose's signers refuse: a `crit` naming an extension nobody understands,
   * or `b64: false` with the payload inline instead of detached (RFC 7797
   * §5), or a payload that is not a JWT claims set. `payloadEncoded: false`
   * puts the payload in the compact form as it is; otherwise it is
   * base64url-encoded as usual.
   */
  signCompact(
    payload: string,
    header: Record<string, unknown> = {},
    options: { payloadEncoded?: boolean } = {},
  ): string {
    const key = this.#keys[0];
    const protectedHeader = Buffer.from(
      JSON.stringify({
        alg: this.alg,
        kid: key.kid,
        typ: 'secevent+jwt',
        ...header,
      }),
    ).toString('base64url');
    const body =
      options.payloadEncoded === false
        ? payload
        : Buffer.from(payload).toString('base64url');
    const input = Buffer.from(`${protectedHeader}.${body}`, 'ascii');
    // RS256: RSASSA-PKCS1-v1_5 with SHA-256; ES256: ECDSA P-256 with
    // SHA-256, the signature as R || S (RFC 7518 §3.3, §3.4).
    const signature = cryptoSign('sha256', input, {
      key: key.privateKey as KeyObject,
      ...(this.alg === 'ES256' && { dsaEncoding: 'ieee-p1363' as const }),
    });
    return `${protectedHeader}.${body}.${signature.toString('base64url')}`;
  }

  async #newKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(this.alg, {
      extractable: true,
    });
    const kid = randomUUID();
    const publicJwk = {
      ...(await exportJWK(publicKey)),
      kid,
      alg: this.alg,
      use: 'sig',
    };
    return { kid, privateKey, publicJwk };
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      const json = (status: number, body?: unknown) =>
        TenantServer.json(res, status, body);
      if (req.method === 'GET' && path === METADATA_PATH) {
        this.metadataRequests++;
        json(
          200,
          this.metadata(
            {
              delivery_methods_supported: [PUSH, POLL],
              configuration_endpoint: `${this.issuer}/streams`,
              status_endpoint: `${this.issuer}/streams/status`,
              verification_endpoint: `${this.issuer}/streams/verify`,
            },
            this.metadataIssuerOverride,
          ),
        );
        return;
      }
      if (req.method === 'GET' && path === JWKS_PATH) {
        this.jwksRequests++;
        json(200, { keys: this.#keys.map(k => k.publicJwk) });
        return;
      }
      let body: any;
      try {
        body = chunks.length
          ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
          : undefined;
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      this.requests.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        body,
      });
      if (req.method === 'POST' && path === '/tenant/poll') {
        for (const jti of body?.ack ?? []) this.pollQueue.delete(jti);
        for (const jti of Object.keys(body?.setErrs ?? {})) {
          this.pollQueue.delete(jti);
        }
        const max = body?.maxEvents ?? 100;
        const sets = Object.fromEntries([...this.pollQueue].slice(0, max));
        json(200, {
          sets,
          moreAvailable: this.pollQueue.size > Object.keys(sets).length,
        });
        return;
      }
      const reply = this.replies.get(`${req.method} ${path}`);
      if (reply) {
        json(reply.status, reply.body);
        return;
      }
      json(404, { error: 'not found' });
    });
  }
}

/** Retries an assertion until it passes (for work the backend does after answering). */
export async function eventually(
  assertion: () => Promise<void> | void,
  attempts = 100,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

/**
 * A fresh TestTransmitter for each test of the enclosing describe, closed
 * after it: `let transmitter; useTestTransmitter(t => (transmitter = t));`.
 */
export function useTestTransmitter(
  assign: (transmitter: TestTransmitter) => void,
): void {
  const transmitters = useTestTransmitters({ only: 'RS256' });
  beforeEach(() => assign(transmitters.only));
}

/**
 * TestTransmitters for the tests of the enclosing describe, one per key of
 * `algs`, signing with its algorithm: started fresh before each test and
 * closed after it, or with `scope` 'all' shared by the tests and closed
 * after the last. Read them from the returned object inside the tests:
 * `const t = useTestTransmitters({ a: 'RS256' }); ... t.a.sign()`.
 */
export function useTestTransmitters<Name extends string>(
  algs: Record<Name, 'RS256' | 'ES256'>,
  scope: 'each' | 'all' = 'each',
): Record<Name, TestTransmitter> {
  const transmitters = {} as Record<Name, TestTransmitter>;
  const names = Object.keys(algs) as Name[];
  (scope === 'all' ? beforeAll : beforeEach)(async () => {
    for (const name of names) {
      transmitters[name] = await TestTransmitter.start({ alg: algs[name] });
    }
  });
  (scope === 'all' ? afterAll : afterEach)(async () => {
    for (const name of names) await transmitters[name]?.close();
  });
  return transmitters;
}
