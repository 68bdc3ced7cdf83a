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

import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ReceiverConfig } from '../config';
import { ProviderKeyCache, SET_ALGORITHMS } from '../keys/ProviderKeyCache';
import { normaliseIssuer } from '../keys/transmitterMetadata';
import { ProviderLookup } from '../providers/ProviderLookup';
import { ProviderRecord } from '../providers/ProviderStore';
import { SetError } from './SetError';
import { setSubject } from './subjects';

type Json = Record<string, unknown>;

/** A SET whose signature and claims checked out. @internal */
export interface VerifiedSet {
  provider: ProviderRecord;
  token: string;
  claims: Json;
  iss: string;
  jti: string;
  issuedAt: Date;
  eventTypes: string[];
  events: Record<string, Json>;
  /** The principal subject's format and value, as indexed. */
  subject?: { format: string; value: string };
  /**
   * The principal subject as an RFC 9493 subject identifier: the top-level
   * `sub_id`, or the normalised `subject` of a pre-1.0 SET's event.
   */
  subId?: Json;
  txn?: string;
}

const MAX_JTI_LENGTH = 256;
const MAX_ISS_LENGTH = 1024;
const textDecoder = new TextDecoder();

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a SET the way RFC 8417/8935 and SSF 1.0 ask, mapping each failure
 * to its RFC 8935 error code:
 *
 * - `invalid_request`: not a compact JWS, wrong `typ` (or none, unless the
 *   provider accepts untyped SETs), an unsupported `alg`, missing or
 *   malformed `iss`/`jti`/`iat`/`events`, `iat` in the future beyond the
 *   clock skew, `sub` or `exp` present;
 * - `invalid_issuer`: no provider for `iss`; `access_denied`: its provider
 *   is INACTIVE;
 * - `authentication_failed`: the provider's bearer secret is missing or wrong;
 * - `invalid_key`: the signature does not verify, or no published key
 *   matches even after a refetch;
 * - `invalid_audience`: `aud` names none of our audiences.
 *
 * The provider is found from the unverified `iss` (the only way to know whose
 * keys to use); nothing else is trusted before the signature checks out.
 *
 * @internal
 */
export class SetVerifier {
  readonly #config: ReceiverConfig;
  readonly #providers: ProviderLookup;
  readonly #keys: ProviderKeyCache;
  readonly #now: () => number;

  constructor(options: {
    config: ReceiverConfig;
    providers: ProviderLookup;
    keys: ProviderKeyCache;
    now?: () => number;
  }) {
    this.#config = options.config;
    this.#providers = options.providers;
    this.#keys = options.keys;
    this.#now = options.now ?? Date.now;
  }

  async verify(
    token: string,
    options: {
      /** The request's Authorization header, for push. */
      authorization?: string;
      /** For poll: the provider polled, whose SETs these must be. */
      provider?: ProviderRecord;
    } = {},
  ): Promise<VerifiedSet> {
    const header = decodeHeader(token);
    // RFC 8417 §2.3 recommends explicit typing and SSF 1.0 §4.1.1 requires
    // it. A SET without typ may still be accepted, but only from a provider
    // that opted in (pre-1.0 transmitters), so whether it is refused waits
    // for the provider; a typ that names something else is refused now.
    const untyped = header.typ === undefined;
    const typ = typeof header.typ === 'string' ? header.typ.toLowerCase() : '';
    if (
      !untyped &&
      typ !== 'secevent+jwt' &&
      typ !== 'application/secevent+jwt'
    ) {
      throw wrongTyp(header.typ);
    }
    if (
      typeof header.alg !== 'string' ||
      !SET_ALGORITHMS.includes(header.alg)
    ) {
      throw new SetError(
        'invalid_request',
        `The SET's alg '${String(
          header.alg,
        )}' is not accepted; use one of ${SET_ALGORITHMS.join(', ')}`,
      );
    }

    const unverified = decodeClaims(token);
    if (typeof unverified.iss !== 'string' || !unverified.iss) {
      throw new SetError('invalid_request', 'The SET has no iss claim');
    }
    if (unverified.iss.length > MAX_ISS_LENGTH) {
      throw new SetError('invalid_request', 'The SET iss claim is too long');
    }
    const issuer = normaliseIssuer(unverified.iss);
    const provider =
      options.provider ?? (await this.#providers.byIssuer(issuer));
    if (!provider || provider.issuer !== issuer) {
      throw new SetError(
        'invalid_issuer',
        `No Security Events Provider is registered for the issuer '${unverified.iss}'`,
      );
    }
    if (provider.status !== 'ACTIVE') {
      throw new SetError(
        'access_denied',
        `The Security Events Provider for the issuer '${unverified.iss}' is not active`,
      );
    }
    if (untyped && !provider.acceptUntypedSets) {
      throw wrongTyp(header.typ);
    }
    if (!options.provider) {
      checkBearer(provider, options.authorization);
    }

    let payload: Uint8Array;
    try {
      ({ payload } = await compactVerify(
        token,
        this.#keys.resolverFor(provider),
        { algorithms: SET_ALGORITHMS },
      ));
    } catch (error) {
      if (error instanceof SetError) {
        throw error;
      }
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        throw new SetError('invalid_key', 'The SET signature does not verify');
      }
      throw new SetError(
        code === 'ERR_JOSE_ALG_NOT_ALLOWED' || code === 'ERR_JWK_INVALID'
          ? 'invalid_key'
          : 'invalid_request',
        `The SET could not be verified: ${(error as Error).message}`,
      );
    }
    // The signed payload is the one decoded above; parse it again anyway so
    // that only verified bytes are used from here on.
    const claims = JSON.parse(textDecoder.decode(payload)) as Json;
    return this.#checkClaims(provider, token, claims);
  }

  #checkClaims(
    provider: ProviderRecord,
    token: string,
    claims: Json,
  ): VerifiedSet {
    const { jti, iat, aud, events } = claims;
    if (typeof jti !== 'string' || !jti || jti.length > MAX_JTI_LENGTH) {
      throw new SetError(
        'invalid_request',
        `The SET must have a jti claim (a string of 1 to ${MAX_JTI_LENGTH} characters)`,
      );
    }
    if (typeof iat !== 'number' || !Number.isFinite(iat) || iat < 0) {
      throw new SetError(
        'invalid_request',
        'The SET must have a numeric iat claim',
      );
    }
    if (iat * 1000 > this.#now() + this.#config.clockSkewMs) {
      throw new SetError(
        'invalid_request',
        'The SET iat claim is in the future',
      );
    }
    if ('sub' in claims) {
      throw new SetError(
        'invalid_request',
        'A SET must not have a sub claim (RFC 8417 §2.2); use sub_id',
      );
    }
    if ('exp' in claims) {
      throw new SetError(
        'invalid_request',
        'A SET must not have an exp claim (RFC 8417 §2.2)',
      );
    }
    if (
      !isObject(events) ||
      Object.keys(events).length === 0 ||
      !Object.values(events).every(isObject)
    ) {
      throw new SetError(
        'invalid_request',
        'The SET must have an events claim mapping at least one event type to an object',
      );
    }
    const audiences = typeof aud === 'string' ? [aud] : aud;
    // Besides ssf.receiver.audience: the aud the provider's transmitter chose
    // for the stream we created there (Transmitter-Supplied, SSF 1.0 §8.1.1;
    // a string or an array, RFC 7519 §4.1.3), for this provider's SETs only.
    const accepted = [
      ...this.#config.audience,
      ...[provider.remoteStreamAud ?? []].flat(),
    ];
    if (
      !Array.isArray(audiences) ||
      !audiences.some(a => accepted.includes(a as string))
    ) {
      throw new SetError(
        'invalid_audience',
        aud === undefined
          ? 'The SET has no aud claim; it must name this receiver'
          : "The SET's aud claim does not name this receiver",
      );
    }
    if (claims.sub_id !== undefined && !isObject(claims.sub_id)) {
      throw new SetError(
        'invalid_request',
        'The SET sub_id claim must be an object',
      );
    }
    const typedEvents = events as Record<string, Json>;
    const subject = setSubject(claims, typedEvents);
    return {
      provider,
      token,
      claims,
      iss: provider.issuer,
      jti,
      issuedAt: new Date(iat * 1000),
      eventTypes: Object.keys(typedEvents),
      events: typedEvents,
      subject: subject?.index,
      subId: subject?.subId,
      txn:
        typeof claims.txn === 'string' ? claims.txn.slice(0, 256) : undefined,
    };
  }
}

function wrongTyp(typ: unknown) {
  return new SetError(
    'invalid_request',
    `The SET's typ header must be 'secevent+jwt', got ${
      typ === undefined ? 'none' : `'${String(typ)}'`
    }`,
  );
}

function decodeHeader(token: string) {
  try {
    return decodeProtectedHeader(token);
  } catch {
    throw new SetError(
      'invalid_request',
      'The body is not a SET: expected a JWS in compact serialization',
    );
  }
}

function decodeClaims(token: string): Json {
  if (token.split('.').length !== 3) {
    throw new SetError(
      'invalid_request',
      'The body is not a SET: expected a signed JWT (three dot-separated parts)',
    );
  }
  try {
    return decodeJwt(token) as Json;
  } catch {
    throw new SetError(
      'invalid_request',
      'The body is not a SET: its payload is not a JSON object',
    );
  }
}

function checkBearer(provider: ProviderRecord, authorization?: string) {
  if (!provider.authorizationSecretHash) {
    return;
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    throw new SetError(
      'authentication_failed',
      'This provider must authenticate its pushes with its bearer secret',
    );
  }
  const presented = createHash('sha256').update(match[1], 'utf8').digest();
  const expected = Buffer.from(provider.authorizationSecretHash, 'hex');
  if (
    presented.length !== expected.length ||
    !timingSafeEqual(presented, expected)
  ) {
    throw new SetError('authentication_failed', 'The bearer secret is wrong');
  }
}
