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
import { ProviderRateLimiter } from './ProviderRateLimiter';
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
const CONTROL_OR_LONE_SURROGATE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const textDecoder = new TextDecoder();

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a SET the way RFC 8417/8935 and SSF 1.0 ask, mapping each failure
 * to its RFC 8935 error code:
 *
 * - `invalid_request`: not a compact JWS, a `crit` or `b64` header (refused
 *   before anything else), wrong `typ` (or none, unless the
 *   provider accepts untyped SETs), an unsupported `alg`, a signed payload
 *   that is not a JSON object, missing or
 *   malformed `iss`/`jti`/`iat`/`events`, `iat` in the future beyond the
 *   clock skew, `sub` or `exp` present;
 * - `invalid_issuer`: no provider for `iss`; `access_denied`: its provider
 *   is INACTIVE;
 * - `authentication_failed`: the provider's bearer secret is missing or wrong;
 * - `rate_limited` (429, pushes only): the provider's token bucket
 *   (`ssf.receiver.rateLimit`) is empty;
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
  readonly #rateLimiter?: ProviderRateLimiter;

  constructor(options: {
    config: ReceiverConfig;
    providers: ProviderLookup;
    keys: ProviderKeyCache;
    now?: () => number;
    /** `ssf.receiver.rateLimit`: each provider's bucket for pushed SETs. */
    rateLimiter?: ProviderRateLimiter;
  }) {
    this.#config = options.config;
    this.#providers = options.providers;
    this.#keys = options.keys;
    this.#now = options.now ?? Date.now;
    this.#rateLimiter = options.rateLimiter;
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
    const found = { providerId: options.provider?.id };
    try {
      return await this.#verify(token, options, found);
    } catch (error) {
      // Whose SET was refused, for the metrics.
      if (error instanceof SetError) error.providerId ??= found.providerId;
      throw error;
    }
  }

  async #verify(
    token: string,
    options: { authorization?: string; provider?: ProviderRecord },
    found: { providerId?: string },
  ): Promise<VerifiedSet> {
    const header = decodeHeader(token);
    // Before anything is looked up or fetched for this SET.
    refuseExtensions(header);
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
        `${
          header.alg === undefined
            ? 'The SET has no alg header'
            : `The SET's alg ${describeValue(header.alg)} is not accepted`
        }; use one of ${SET_ALGORITHMS.join(', ')}`,
      );
    }

    const unverified = decodeClaims(token);
    if (typeof unverified.iss !== 'string' || !unverified.iss) {
      throw new SetError('invalid_request', 'The SET has no iss claim');
    }
    if (unverified.iss.length > MAX_ISS_LENGTH) {
      throw new SetError('invalid_request', 'The SET iss claim is too long');
    }
    // Looked up before anything is verified: text the database cannot take
    // (PostgreSQL refuses NUL) would fail the query, a 500 for anyone's
    // request. No issuer contains such characters.
    if (CONTROL_OR_LONE_SURROGATE.test(unverified.iss)) {
      throw new SetError(
        'invalid_request',
        'The SET iss claim must not contain control characters or unpaired surrogates',
      );
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
    found.providerId = provider.id;
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
      // Pushes only (a poll goes at our own pace). After the bearer check,
      // so that without the provider's secret nobody can spend its tokens;
      // before the key fetch and signature check, the work a flood costs.
      this.#admit(provider);
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
    // that only verified bytes are used from here on. A signature that
    // verifies does not make the payload a claims set: what does not parse
    // is the transmitter's fault, a 400 for good, never a 5xx it would
    // retry forever.
    return this.#checkClaims(provider, token, parseVerifiedClaims(payload));
  }

  #admit(provider: ProviderRecord) {
    const decision = this.#rateLimiter?.take(provider.id);
    if (decision && !decision.allowed) {
      throw new SetError(
        'rate_limited',
        `The Security Events Provider for the issuer '${provider.issuer}' is over its rate limit; retry after ${decision.retryAfterSeconds} seconds`,
        decision.retryAfterSeconds,
      );
    }
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
    // The jti is half of the SET's identity in storage: PostgreSQL cannot
    // store NUL, and stores a lone surrogate as U+FFFD (so two jtis would
    // become one). Such a jti is a malformed SET, not a storage failure.
    if (CONTROL_OR_LONE_SURROGATE.test(jti)) {
      throw new SetError(
        'invalid_request',
        'The SET jti claim must not contain control characters or unpaired surrogates',
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
      typ === undefined ? 'none' : describeValue(typ)
    }`,
  );
}

/**
 * Refuses JWS extensions before verification. RFC 7515 §4.1.11: a recipient
 * MUST reject a JWS whose `crit` lists an extension it does not understand,
 * and this receiver understands none. `b64: false` (RFC 7797) would make
 * jose verify the payload as it stands in the compact form rather than as
 * the base64url-encoded claims set that a JWT, and so a SET, is (RFC 7519
 * §3; RFC 8417 §2): the signed bytes would then differ from the claims read
 * before verification. Since b64 takes effect only when listed in `crit`, a
 * `b64` header without it is refused too, as the mistake it is.
 */
/**
 * A header value for an error description. The header is the caller's JSON:
 * `String()` of an object with a `toString` member would throw (a 500 for a
 * bad request), and a long value should not come back whole.
 */
function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 64 ? `${value.slice(0, 64)}…` : value}'`;
  }
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === null
  ) {
    return String(value);
  }
  if (value === undefined) {
    return 'none';
  }
  return Array.isArray(value) ? 'an array' : 'an object';
}

function refuseExtensions(header: Record<string, unknown>) {
  if (header.b64 !== undefined) {
    throw new SetError(
      'invalid_request',
      "The SET's protected header must not carry b64 (RFC 7797): a SET's payload is its base64url-encoded claims set",
    );
  }
  if (header.crit !== undefined) {
    const listed = Array.isArray(header.crit)
      ? header.crit.slice(0, 10).map(describeValue).join(', ')
      : describeValue(header.crit);
    throw new SetError(
      'invalid_request',
      `The SET's protected header lists critical extensions (crit: ${listed}) this receiver does not understand (RFC 7515 §4.1.11)`,
    );
  }
}

function parseVerifiedClaims(payload: Uint8Array): Json {
  let claims: unknown;
  try {
    claims = JSON.parse(textDecoder.decode(payload));
  } catch {
    claims = undefined;
  }
  if (!isObject(claims)) {
    throw new SetError(
      'invalid_request',
      'The body is not a SET: its signed payload is not a JSON object',
    );
  }
  return claims;
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
