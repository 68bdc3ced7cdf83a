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

import { LoggerService } from '@backstage/backend-plugin-api';
import { randomUUID, hkdfSync } from 'node:crypto';
import {
  calculateJwkThumbprint,
  compactDecrypt,
  CompactEncrypt,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  JWK,
  KeyLike,
} from 'jose';
import { SigningConfig } from '../config';
import { SigningKeyStore } from './SigningKeyStore';

/** A private key ready to sign SETs with. @internal */
export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyLike;
}

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MIN_RSA_BITS = 2048;
const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder();

function publicPart(jwk: JWK, kid: string, alg: string): JWK {
  const pub: JWK = { ...jwk };
  for (const m of PRIVATE_JWK_MEMBERS) delete (pub as any)[m];
  return { ...pub, kid, alg, use: 'sig' };
}

/**
 * Owns the keys the transmitter signs SETs with and the public keys it
 * publishes at `/jwks`. Three sources, in order of precedence:
 *
 * 1. `signing.privateKey` from config: one fixed key, rotated by the operator.
 * 2. Generated keys stored with their private part encrypted (JWE, `dir` +
 *    A256GCM, key derived from `signing.keyEncryptionSecret` by HKDF), so all
 *    replicas and restarts share the active key.
 * 3. Without that secret, each process generates a key and keeps its private
 *    part in memory only; just the public part is stored and published. No
 *    private key is ever written in clear.
 *
 * Generated keys sign for `rotationInterval`, then a new key takes over; a
 * retired key stays published for `retiredKeyRetention` more, so SETs it
 * signed that are still queued or held verify at the receiver.
 *
 * @internal
 */
export class SigningKeyManager {
  readonly #store: SigningKeyStore;
  readonly #config: SigningConfig;
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  readonly #encryptionKey?: Uint8Array;
  #configured?: Promise<{ key: SigningKey; publicJwk: JWK }>;
  #current?: { key: SigningKey; retireAt: Date };
  #pending?: Promise<SigningKey>;

  constructor(options: {
    store: SigningKeyStore;
    config: SigningConfig;
    logger: LoggerService;
    now?: () => Date;
  }) {
    this.#store = options.store;
    this.#config = options.config;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    if (this.#config.keyEncryptionSecret) {
      this.#encryptionKey = new Uint8Array(
        hkdfSync(
          'sha256',
          this.#config.keyEncryptionSecret,
          'ssf-signing-keys',
          'backstage ssf private key encryption',
          32,
        ),
      );
    }
  }

  /** The key to sign a SET with now. */
  /**
   * The key to sign a SET with now. Once a key exists this never waits on the
   * database: SETs are signed inside the transactions that store them, and on
   * a single-connection database (SQLite) a key write there would wait on
   * itself. A key past its rotation time keeps signing until its successor,
   * generated in the background, is stored and published.
   */
  async getSigningKey(): Promise<SigningKey> {
    if (this.#config.privateKeyPem) {
      return (await this.#loadConfiguredKey()).key;
    }
    const current = this.#current;
    if (current) {
      if (current.retireAt <= this.#now()) {
        this.#rotate().catch(error =>
          this.#logger.error(
            `SSF signing key rotation failed: ${(error as Error).message}`,
          ),
        );
      }
      return current.key;
    }
    return this.#rotate();
  }

  /**
   * Loads or makes the signing key, and rotates it when due; called at start
   * and from outside any transaction, so rotation is normally done here.
   */
  async refresh(): Promise<SigningKey> {
    if (this.#config.privateKeyPem) {
      return (await this.#loadConfiguredKey()).key;
    }
    const current = this.#current;
    if (current && current.retireAt > this.#now()) {
      return current.key;
    }
    return this.#rotate();
  }

  #rotate(): Promise<SigningKey> {
    if (!this.#pending) {
      this.#pending = this.#loadOrGenerate().finally(() => {
        this.#pending = undefined;
      });
    }
    return this.#pending;
  }

  /** The public keys receivers verify SETs with, as a JWK Set. */
  async getJwks(): Promise<{ keys: JWK[] }> {
    if (this.#config.privateKeyPem) {
      return { keys: [(await this.#loadConfiguredKey()).publicJwk] };
    }
    // Make sure the key this process will sign with is published before any
    // receiver asks for it.
    await this.refresh();
    const now = this.#now();
    const keys = await this.#store.listPublished(now);
    await this.#store.deleteExpired(now);
    return { keys: keys.map(k => k.publicJwk) };
  }

  #loadConfiguredKey() {
    if (!this.#configured) {
      this.#configured = (async () => {
        const alg = this.#config.algorithm;
        let privateKey: KeyLike;
        try {
          privateKey = await importPKCS8(this.#config.privateKeyPem!, alg, {
            extractable: true,
          });
        } catch (e) {
          throw new Error(
            `ssf.transmitter.signing.privateKey is not a PKCS#8 PEM ${alg} private key: ${
              (e as Error).message
            }`,
          );
        }
        const jwk = await exportJWK(privateKey);
        assertStrongEnough(jwk, 'ssf.transmitter.signing.privateKey');
        const kid =
          this.#config.keyId ??
          (await calculateJwkThumbprint(publicPart(jwk, '', alg)));
        return {
          key: { kid, alg, privateKey },
          publicJwk: publicPart(jwk, kid, alg),
        };
      })();
    }
    return this.#configured;
  }

  async #loadOrGenerate(): Promise<SigningKey> {
    const now = this.#now();
    if (this.#encryptionKey) {
      const stored = await this.#store.findNewestActive(
        this.#config.algorithm,
        now,
      );
      if (stored?.privateJwe) {
        try {
          const { plaintext } = await compactDecrypt(
            stored.privateJwe,
            this.#encryptionKey,
          );
          const jwk = JSON.parse(textDecoder.decode(plaintext)) as JWK;
          const privateKey = (await importJWK(
            jwk,
            stored.algorithm,
          )) as KeyLike;
          const key: SigningKey = {
            kid: stored.kid,
            alg: this.#config.algorithm,
            privateKey,
          };
          this.#current = { key, retireAt: stored.retireAt };
          return key;
        } catch {
          this.#logger.warn(
            `Stored signing key ${stored.kid} cannot be decrypted with the configured ssf.transmitter.signing.keyEncryptionSecret; generating a new key`,
          );
        }
      }
    }
    return this.#generate(now);
  }

  async #generate(now: Date): Promise<SigningKey> {
    const alg = this.#config.algorithm;
    const { privateKey } = await generateKeyPair(alg, {
      modulusLength: MIN_RSA_BITS,
      extractable: true,
    });
    const jwk = await exportJWK(privateKey);
    const kid = randomUUID();
    const retireAt = new Date(now.getTime() + this.#config.rotationIntervalMs);
    const expiresAt = new Date(
      retireAt.getTime() + this.#config.retiredKeyRetentionMs,
    );
    const privateJwe = this.#encryptionKey
      ? await new CompactEncrypt(textEncoder.encode(JSON.stringify(jwk)))
          .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid })
          .encrypt(this.#encryptionKey)
      : undefined;
    // The public key is stored before the key signs anything, so every SET
    // it signs can be verified.
    await this.#store.add({
      kid,
      algorithm: alg,
      publicJwk: publicPart(jwk, kid, alg),
      privateJwe,
      createdAt: now,
      retireAt,
      expiresAt,
    });
    this.#logger.info(`Generated SSF signing key ${kid} (${alg})`);
    const key: SigningKey = { kid, alg, privateKey };
    this.#current = { key, retireAt };
    return key;
  }
}

function assertStrongEnough(jwk: JWK, field: string) {
  if (jwk.kty === 'RSA') {
    const bits = Buffer.from(jwk.n!, 'base64url').length * 8;
    if (bits < MIN_RSA_BITS) {
      throw new Error(
        `${field} must be an RSA key of at least ${MIN_RSA_BITS} bits`,
      );
    }
  }
}
