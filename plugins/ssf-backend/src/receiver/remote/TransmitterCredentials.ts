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

import { outboundRequest, OutboundResponse } from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig, TransmitterCredential } from '../config';
import {
  normaliseIssuer,
  receiverPolicyMessage,
} from '../keys/transmitterMetadata';

interface CachedToken {
  value: string;
  expiresAt: number;
}

// A token is renewed when 90% of its lifetime is gone, and at most a minute
// before it expires: a margin of a full minute would never cache the
// 60-second tokens some authorization servers issue.
const MAX_EXPIRY_MARGIN_MS = 60_000;
const EXPIRY_MARGIN_FRACTION = 0.1;
const DEFAULT_LIFETIME_MS = 300_000;

/**
 * The token endpoint could not be reached or gave no access token. The
 * message names the issuer and status, never the credential.
 *
 * @internal
 */
export class TokenRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

/**
 * The Authorization header the receiver sends to a provider's transmitter
 * (poll endpoint, stream management), from `ssf.receiver.credentials`
 * matched by issuer: a static token, or an OAuth 2.0 client credentials
 * grant (RFC 6749 §4.4) whose access token is cached until shortly before it
 * expires, and dropped as soon as the transmitter refuses it. Concurrent
 * callers share one token request. Secrets never appear in errors or logs.
 *
 * @internal
 */
export class TransmitterCredentials {
  readonly #config: ReceiverConfig;
  readonly #resolve?: HostResolver;
  readonly #now: () => number;
  readonly #tokens = new Map<string, CachedToken>();
  readonly #pending = new Map<string, Promise<CachedToken>>();

  constructor(options: {
    config: ReceiverConfig;
    resolve?: HostResolver;
    now?: () => number;
  }) {
    this.#config = options.config;
    this.#resolve = options.resolve;
    this.#now = options.now ?? Date.now;
  }

  has(issuer: string): boolean {
    return this.#find(issuer) !== undefined;
  }

  /** The header value, or undefined when no credential is configured. */
  async authorizationFor(issuer: string): Promise<string | undefined> {
    const credential = this.#find(issuer);
    if (!credential) {
      return undefined;
    }
    if ('token' in credential) {
      return `Bearer ${credential.token}`;
    }
    const cached = this.#tokens.get(credential.issuer);
    if (cached && cached.expiresAt > this.#now()) {
      return `Bearer ${cached.value}`;
    }
    let pending = this.#pending.get(credential.issuer);
    if (!pending) {
      pending = this.#requestToken(credential).finally(() =>
        this.#pending.delete(credential.issuer),
      );
      this.#pending.set(credential.issuer, pending);
    }
    return `Bearer ${(await pending).value}`;
  }

  /**
   * Forgets the access token behind `authorization` after the transmitter
   * refused it. Returns whether asking again can give a different one (an
   * OAuth credential; a static token stays what it is). A token already
   * replaced by another caller is left alone.
   */
  invalidate(issuer: string, authorization: string): boolean {
    const credential = this.#find(issuer);
    if (!credential || 'token' in credential) {
      return false;
    }
    const cached = this.#tokens.get(credential.issuer);
    if (cached && `Bearer ${cached.value}` === authorization) {
      this.#tokens.delete(credential.issuer);
    }
    return true;
  }

  /**
   * Sends a request with the issuer's Authorization header. When the
   * transmitter answers 401 to an OAuth access token (expired or revoked:
   * RFC 6750 §3.1 `invalid_token`), the token is dropped, a new one obtained
   * and the request sent once more; a second 401 is the caller's to report.
   */
  async send(
    issuer: string,
    request: (authorization: string | undefined) => Promise<OutboundResponse>,
  ): Promise<OutboundResponse> {
    const authorization = await this.authorizationFor(issuer);
    const response = await request(authorization);
    if (
      response.status !== 401 ||
      !authorization ||
      !this.invalidate(issuer, authorization)
    ) {
      return response;
    }
    return request(await this.authorizationFor(issuer));
  }

  async #requestToken(
    credential: Extract<TransmitterCredential, { tokenUrl: string }>,
  ): Promise<CachedToken> {
    // RFC 6749 §4.4.2, with the client authenticated by HTTP Basic (§2.3.1:
    // id and secret form-encoded first).
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credential.scope) form.set('scope', credential.scope);
    if (credential.audience) form.set('audience', credential.audience);
    // (encodeURIComponent's output decodes the same way as form encoding.)
    const basic = Buffer.from(
      `${encodeURIComponent(credential.clientId)}:${encodeURIComponent(
        credential.clientSecret,
      )}`,
    ).toString('base64');
    let response;
    try {
      response = await outboundRequest({
        method: 'POST',
        url: credential.tokenUrl,
        field: 'ssf.receiver.credentials.tokenUrl',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
          Authorization: `Basic ${basic}`,
        },
        body: form.toString(),
        timeoutMs: this.#config.keys.fetchTimeoutMs,
        policy: this.#config.urlPolicy,
        resolve: this.#resolve,
      });
    } catch (error) {
      throw new TokenRequestError(
        `Could not get an access token for ${
          credential.issuer
        }: ${receiverPolicyMessage((error as Error).message)}`,
      );
    }
    let body: {
      access_token?: unknown;
      expires_in?: unknown;
      error?: unknown;
    } = {};
    try {
      body = JSON.parse(response.body);
    } catch {
      // reported below
    }
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      // RFC 6749 §5.2: `error` is a registered code, safe to repeat.
      const code =
        typeof body?.error === 'string' &&
        /^[\x20-\x7e]{1,64}$/.test(body.error)
          ? ` (${body.error})`
          : '';
      throw new TokenRequestError(
        `The token endpoint for ${credential.issuer} answered HTTP ${response.status}${code} without an access token`,
      );
    }
    const lifetimeMs =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in * 1000
        : DEFAULT_LIFETIME_MS;
    const margin = Math.min(
      MAX_EXPIRY_MARGIN_MS,
      lifetimeMs * EXPIRY_MARGIN_FRACTION,
    );
    const token = {
      value: body.access_token,
      expiresAt: this.#now() + lifetimeMs - margin,
    };
    this.#tokens.set(credential.issuer, token);
    return token;
  }

  #find(issuer: string): TransmitterCredential | undefined {
    const wanted = normaliseIssuer(issuer);
    return this.#config.credentials.find(c => c.issuer === wanted);
  }
}

/**
 * The transmitter's `WWW-Authenticate` challenge of a refused request, for
 * an error message (it names the scheme and error, e.g. `Bearer
 * error="invalid_token"`; control characters removed, length bounded).
 *
 * @internal
 */
export function challengeOf(response: OutboundResponse): string | undefined {
  const header = response.headers['www-authenticate'];
  const value = Array.isArray(header) ? header.join(', ') : header;
  if (!value) return undefined;
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\x00-\x1f\x7f]/g, ' ').slice(0, 300);
}
