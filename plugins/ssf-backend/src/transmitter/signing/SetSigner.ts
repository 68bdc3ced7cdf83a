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

import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import { SsfSetClaims } from '@shared-signals/plugin-ssf-node';
import { CompactSign } from 'jose';
import { randomUUID } from 'node:crypto';
import { SigningKeyManager } from './SigningKeyManager';

const encoder = new TextEncoder();

/** What one SET says. @internal */
export interface SetContent {
  iss: string;
  aud: string | string[];
  txn: string;
  subject: SubjectIdentifier;
  eventType: string;
  payload: Record<string, unknown>;
  /**
   * Extension claims beside the standard ones (the relay's `relayed_from`);
   * one named like a standard claim is ignored, never replacing it.
   */
  extensionClaims?: Record<string, unknown>;
  /** The stream's receiver profile's reshaping, applied last. */
  shape?: (claims: SsfSetClaims) => SsfSetClaims;
}

/** A signed SET and its identifier. @internal */
export interface SignedSet {
  jti: string;
  jws: string;
}

/**
 * Builds and signs Security Event Tokens as SSF 1.0 §4 profiles RFC 8417:
 * header `typ: secevent+jwt` with the signing key's `kid` and algorithm;
 * claims `iss`, `aud`, `iat`, a fresh `jti`, `txn`, `sub_id` and an
 * `events` object with exactly one event. Never `sub` or `exp`.
 *
 * Signing does not hold up the event loop: jose signs with Node's
 * asynchronous `crypto.sign`, which runs on libuv's thread pool and so on
 * every core (`UV_THREADPOOL_SIZE` threads, 4 by default).
 *
 * @internal
 */
export class SetSigner {
  readonly #keys: SigningKeyManager;
  readonly #now: () => Date;

  constructor(keys: SigningKeyManager, options: { now?: () => Date } = {}) {
    this.#keys = keys;
    this.#now = options.now ?? (() => new Date());
  }

  async sign(content: SetContent): Promise<SignedSet> {
    const key = await this.#keys.getSigningKey();
    const jti = randomUUID();
    const header = { alg: key.alg, kid: key.kid, typ: 'secevent+jwt' };
    const claims: SsfSetClaims = {
      iss: content.iss,
      aud: content.aud,
      iat: Math.floor(this.#now().getTime() / 1000),
      jti,
      txn: content.txn,
      sub_id: content.subject,
      events: { [content.eventType]: content.payload },
    };
    for (const [name, value] of Object.entries(content.extensionClaims ?? {})) {
      if (!(name in claims)) claims[name] = value;
    }
    // A profile reshapes claims but never the identity of the SET.
    const payload = JSON.stringify(
      content.shape
        ? { ...content.shape(claims), iss: claims.iss, jti }
        : claims,
    );
    const jws = await new CompactSign(encoder.encode(payload))
      .setProtectedHeader(header)
      .sign(key.privateKey);
    return { jti, jws };
  }
}
