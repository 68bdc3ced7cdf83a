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
import {
  createLocalJWKSet,
  FlattenedJWSInput,
  JSONWebKeySet,
  JWSHeaderParameters,
  KeyLike,
} from 'jose';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig } from '../config';
import { SetError } from '../ingestion/SetError';
import { ProviderRecord } from '../providers/ProviderStore';
import {
  fetchJson,
  fetchTransmitterMetadata,
  normaliseIssuer,
  RemoteDocumentError,
} from './transmitterMetadata';

const MAX_JWKS_BYTES = 256 * 1024;

interface Entry {
  jwksUrl: string;
  keys: ReturnType<typeof createLocalJWKSet>;
  fetchedAt: number;
}

/** The signature algorithms accepted on SETs: asymmetric only. @internal */
export const SET_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/**
 * The providers' public keys, fetched from `jwks_url` (or the `jwks_uri` of
 * the provider's current well-known metadata) and cached for `cacheTtl`.
 *
 * A `kid` the cached set does not hold triggers one refetch, but at most one
 * per `refetchCooldown` per provider: a stream of SETs with made-up key ids
 * must not turn the receiver into a load generator against the transmitter.
 * Concurrent misses share one fetch. A stale set whose refresh fails keeps
 * serving (the transmitter's JWKS being down briefly should not stop SETs
 * signed with keys we already know).
 *
 * @internal
 */
export class ProviderKeyCache {
  readonly #config: ReceiverConfig;
  readonly #logger: LoggerService;
  readonly #resolve?: HostResolver;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #pending = new Map<string, Promise<Entry>>();

  constructor(options: {
    config: ReceiverConfig;
    logger: LoggerService;
    resolve?: HostResolver;
    now?: () => number;
  }) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#resolve = options.resolve;
    this.#now = options.now ?? Date.now;
  }

  /** Drops a provider's keys, e.g. after its settings changed. */
  invalidate(providerId: string): void {
    this.#entries.delete(providerId);
  }

  /**
   * A jose key resolver for one provider's SETs. Throws SetError
   * `invalid_key` for a key it cannot find and `temporarily_unavailable`
   * when the keys cannot be fetched at all.
   */
  resolverFor(
    provider: ProviderRecord,
  ): (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ) => Promise<KeyLike> {
    return async (header, token) => {
      let entry = await this.#current(provider);
      try {
        return await entry.keys(header, token);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') {
          throw new SetError(
            'invalid_key',
            `No usable key for the SET: ${(error as Error).message}`,
          );
        }
      }
      const sinceFetch = this.#now() - entry.fetchedAt;
      if (sinceFetch < this.#config.keys.refetchCooldownMs) {
        // The key may be brand new (a rotation just after someone sent a
        // made-up kid): ask the transmitter to retry once the keys may be
        // fetched again, rather than refusing a possibly good SET for good.
        const wait = Math.ceil(
          (this.#config.keys.refetchCooldownMs - sinceFetch) / 1000,
        );
        throw new SetError(
          'temporarily_unavailable',
          `${describeKid(
            header,
          )} is not among the issuer's keys fetched ${Math.round(
            sinceFetch / 1000,
          )} s ago; keys are fetched again after ${wait} s`,
          wait,
        );
      }
      try {
        entry = await this.#fetch(provider);
      } catch (error) {
        this.#logger.warn(
          `Could not refresh the keys of Security Events Provider ${
            provider.id
          }: ${(error as Error).message}`,
        );
        throw unknownKey(header);
      }
      try {
        return await entry.keys(header, token);
      } catch {
        throw unknownKey(header);
      }
    };
  }

  async #current(provider: ProviderRecord): Promise<Entry> {
    const entry = this.#entries.get(provider.id);
    if (!entry) {
      try {
        return await this.#fetch(provider);
      } catch (error) {
        throw new SetError(
          'temporarily_unavailable',
          `The keys of the SET's issuer could not be fetched; try again later`,
        );
      }
    }
    if (this.#now() - entry.fetchedAt > this.#config.keys.cacheTtlMs) {
      try {
        return await this.#fetch(provider);
      } catch (error) {
        this.#logger.warn(
          `Could not refresh the keys of Security Events Provider ${
            provider.id
          }, using the cached ones: ${(error as Error).message}`,
        );
      }
    }
    return entry;
  }

  /** Fetches a provider's keys; concurrent callers share one fetch. */
  #fetch(provider: ProviderRecord): Promise<Entry> {
    const pending = this.#pending.get(provider.id);
    if (pending) {
      return pending;
    }
    const promise = this.#load(provider).finally(() =>
      this.#pending.delete(provider.id),
    );
    this.#pending.set(provider.id, promise);
    return promise;
  }

  async #load(provider: ProviderRecord): Promise<Entry> {
    const options = {
      policy: this.#config.urlPolicy,
      timeoutMs: this.#config.keys.fetchTimeoutMs,
      resolve: this.#resolve,
    };
    let jwksUrl = provider.jwksUrl;
    if (provider.wellKnownUrl) {
      // The metadata names the current JWKS; a transmitter may move it.
      try {
        const metadata = await fetchTransmitterMetadata(
          provider.wellKnownUrl,
          options,
        );
        if (normaliseIssuer(metadata.issuer) === provider.issuer) {
          jwksUrl = metadata.jwks_uri;
        }
      } catch (error) {
        this.#logger.warn(
          `Could not read the metadata of Security Events Provider ${
            provider.id
          }, using its last known jwks_uri: ${(error as Error).message}`,
        );
      }
    }
    const body = await fetchJson(jwksUrl, 'jwks_url', {
      ...options,
      maxBytes: MAX_JWKS_BYTES,
    });
    let keys;
    try {
      keys = createLocalJWKSet(body as JSONWebKeySet);
    } catch {
      throw new RemoteDocumentError(`${jwksUrl} is not a JSON Web Key Set`);
    }
    const entry: Entry = { jwksUrl, keys, fetchedAt: this.#now() };
    this.#entries.set(provider.id, entry);
    return entry;
  }
}

function describeKid(header: JWSHeaderParameters): string {
  return header.kid ? `Key '${header.kid}'` : 'A key without kid';
}

function unknownKey(header: JWSHeaderParameters): SetError {
  return new SetError(
    'invalid_key',
    header.kid
      ? `The SET is signed with key '${header.kid}', which the issuer does not publish`
      : "No key published by the SET's issuer matches the SET's header",
  );
}
