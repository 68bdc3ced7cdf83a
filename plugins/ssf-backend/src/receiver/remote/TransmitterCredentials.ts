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

import { outboundRequest } from '../../http/outboundHttp';
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

const EXPIRY_MARGIN_MS = 60_000;

/**
 * The Authorization header the receiver sends to a provider's transmitter
 * (poll endpoint, stream management), from `ssf.receiver.credentials`
 * matched by issuer: a static token, or an OAuth 2.0 client credentials
 * grant whose access token is cached until shortly before it expires.
 * Secrets never appear in errors or logs.
 *
 * @internal
 */
export class TransmitterCredentials {
  readonly #config: ReceiverConfig;
  readonly #resolve?: HostResolver;
  readonly #tokens = new Map<string, CachedToken>();

  constructor(options: { config: ReceiverConfig; resolve?: HostResolver }) {
    this.#config = options.config;
    this.#resolve = options.resolve;
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
    if (cached && cached.expiresAt > Date.now()) {
      return `Bearer ${cached.value}`;
    }
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (credential.scope) form.set('scope', credential.scope);
    if (credential.audience) form.set('audience', credential.audience);
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
      throw new Error(
        `Could not get an access token for ${
          credential.issuer
        }: ${receiverPolicyMessage((error as Error).message)}`,
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      body = JSON.parse(response.body);
    } catch {
      // reported below
    }
    if (response.status !== 200 || typeof body.access_token !== 'string') {
      throw new Error(
        `The token endpoint for ${credential.issuer} answered HTTP ${response.status} without an access token`,
      );
    }
    const lifetimeMs =
      typeof body.expires_in === 'number' ? body.expires_in * 1000 : 300_000;
    this.#tokens.set(credential.issuer, {
      value: body.access_token,
      expiresAt: Date.now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
    });
    return `Bearer ${body.access_token}`;
  }

  #find(issuer: string): TransmitterCredential | undefined {
    const wanted = normaliseIssuer(issuer);
    return this.#config.credentials.find(c => c.issuer === wanted);
  }
}
