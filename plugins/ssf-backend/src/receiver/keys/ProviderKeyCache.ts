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
import { ReceiverMetrics } from '../metrics';
import { SsfAlerts } from '../../notifications';
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

/** What is known about one provider's keys. */
interface State {
  /** The last key set fetched, kept while refreshes fail. */
  entry?: Entry;
  /** When the last fetch settled, whatever its outcome. */
  lastAttemptAt?: number;
  /** The fetch in flight, which every concurrent caller shares. */
  pending?: Promise<Entry>;
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
 * Anyone can push a SET naming any registered issuer, so what such a SET
 * makes the receiver fetch is bounded per provider, whatever the fetches
 * answer: after a fetch settles (keys, an HTTP error, a timeout, something
 * that is not a key set), no other starts for that provider within
 * `refetchCooldown`, and concurrent callers share the fetch in flight. That
 * bound covers the first fetch, the refresh after `cacheTtl` and the refetch
 * for an unknown `kid` alike, and the well-known metadata read with them: a
 * burst of SETs, or a transmitter whose JWKS is down, costs the transmitter at
 * most one fetch per cooldown. A failure is remembered like a success:
 * within the cooldown after it, SETs whose keys are not known are refused
 * (`invalid_key`) without a fetch, and a stale key set keeps serving (the
 * JWKS being down briefly should not stop SETs signed with keys already
 * known).
 *
 * @internal
 */
export class ProviderKeyCache {
  readonly #config: ReceiverConfig;
  readonly #logger: LoggerService;
  readonly #resolve?: HostResolver;
  readonly #metrics?: ReceiverMetrics;
  readonly #alerts?: SsfAlerts;
  readonly #now: () => number;
  readonly #states = new Map<string, State>();

  constructor(options: {
    config: ReceiverConfig;
    logger: LoggerService;
    resolve?: HostResolver;
    metrics?: ReceiverMetrics;
    /** Told when keys or metadata cannot be fetched, and when they can. */
    alerts?: SsfAlerts;
    now?: () => number;
  }) {
    this.#config = options.config;
    this.#logger = options.logger;
    this.#resolve = options.resolve;
    this.#metrics = options.metrics;
    this.#alerts = options.alerts;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Drops a provider's keys and its cooldown, e.g. after an admin changed its
   * settings (a new `jwks_url` is fetched at once).
   */
  invalidate(providerId: string): void {
    this.#states.delete(providerId);
  }

  /**
   * A jose key resolver for one provider's SETs. Throws SetError
   * `invalid_key` for a key it cannot find, and `temporarily_unavailable`
   * (503, Retry-After) when the keys cannot be fetched or for an unknown
   * `kid` within the cooldown after a fetch that succeeded (the key may be
   * brand new).
   */
  resolverFor(
    provider: ProviderRecord,
  ): (
    header: JWSHeaderParameters,
    token: FlattenedJWSInput,
  ) => Promise<KeyLike> {
    return async (header, token) => {
      const state = this.#state(provider.id);
      let entry = await this.#current(provider, state);
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
      const refetch = this.#attempt(provider, state);
      if (!refetch) {
        // The key may be brand new (a rotation just after someone sent a
        // made-up kid): ask the transmitter to retry once the keys may be
        // fetched again, rather than refusing a possibly good SET for good.
        const sinceFetch = this.#now() - (state.lastAttemptAt ?? 0);
        const wait = this.#waitSeconds(state);
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
        entry = await refetch;
      } catch {
        throw unknownKey(header);
      }
      try {
        return await entry.keys(header, token);
      } catch {
        throw unknownKey(header);
      }
    };
  }

  #state(providerId: string): State {
    let state = this.#states.get(providerId);
    if (!state) {
      state = {};
      this.#states.set(providerId, state);
    }
    return state;
  }

  /** Fresh keys, or stale ones when they cannot be refreshed now. */
  async #current(provider: ProviderRecord, state: State): Promise<Entry> {
    const { entry } = state;
    if (
      entry &&
      this.#now() - entry.fetchedAt <= this.#config.keys.cacheTtlMs
    ) {
      return entry;
    }
    const fetch = this.#attempt(provider, state);
    if (fetch) {
      try {
        return await fetch;
      } catch {
        // Logged once by the fetch; the stale set, if any, serves on.
      }
    }
    if (entry) {
      return entry;
    }
    // The SET may be fine and the issuer's key endpoint only down for a
    // moment: a 503 with Retry-After (the cooldown's rest) lets an honest
    // transmitter deliver it later, where invalid_key would make it drop the
    // SET; the cooldown still bounds the fetches whatever is sent meanwhile.
    const wait = this.#waitSeconds(state);
    throw new SetError(
      'temporarily_unavailable',
      `The keys of the SET's issuer could not be fetched; they are fetched again after ${wait} s at the earliest`,
      wait,
    );
  }

  /** Seconds until the cooldown after the last fetch is over. */
  #waitSeconds(state: State): number {
    const since = this.#now() - (state.lastAttemptAt ?? 0);
    return Math.max(
      1,
      Math.ceil((this.#config.keys.refetchCooldownMs - since) / 1000),
    );
  }

  /**
   * The fetch of a provider's keys: the one in flight, a new one when the
   * cooldown after the last one is over, or undefined within it.
   */
  #attempt(provider: ProviderRecord, state: State): Promise<Entry> | undefined {
    if (state.pending) {
      return state.pending;
    }
    if (
      state.lastAttemptAt !== undefined &&
      this.#now() - state.lastAttemptAt < this.#config.keys.refetchCooldownMs
    ) {
      return undefined;
    }
    const pending = this.#load(provider).then(
      entry => {
        state.entry = entry;
        state.lastAttemptAt = this.#now();
        state.pending = undefined;
        this.#metrics?.keyFetch(provider.id, true);
        this.#alerts?.providerFetchSucceeded(provider.id, 'keys');
        return entry;
      },
      error => {
        this.#metrics?.keyFetch(provider.id, false);
        this.#alerts?.providerFetchFailed(
          provider.id,
          'keys',
          (error as Error).message,
        );
        // The cooldown runs from when the fetch settled, so that a fetch
        // that times out is not followed by another at once.
        state.lastAttemptAt = this.#now();
        state.pending = undefined;
        this.#logger.warn(
          `Could not fetch the keys of Security Events Provider ${
            provider.id
          }; not trying again for ${Math.round(
            this.#config.keys.refetchCooldownMs / 1000,
          )} s: ${(error as Error).message}`,
        );
        throw error;
      },
    );
    state.pending = pending;
    // Every caller handles the outcome; this keeps a rejection nobody awaits
    // any more from being reported as unhandled.
    pending.catch(() => {});
    return pending;
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
        this.#alerts?.providerFetchSucceeded(provider.id, 'metadata');
        if (normaliseIssuer(metadata.issuer) === provider.issuer) {
          jwksUrl = metadata.jwks_uri;
        }
      } catch (error) {
        this.#alerts?.providerFetchFailed(
          provider.id,
          'metadata',
          (error as Error).message,
        );
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
    return { jwksUrl, keys, fetchedAt: this.#now() };
  }
}

// The header is the sender's: only a string kid is shown, and shortened.
function shownKid(header: JWSHeaderParameters): string | undefined {
  const kid: unknown = header.kid;
  if (typeof kid !== 'string' || !kid) {
    return undefined;
  }
  return kid.length > 64 ? `${kid.slice(0, 64)}…` : kid;
}

function describeKid(header: JWSHeaderParameters): string {
  const kid = shownKid(header);
  return kid ? `Key '${kid}'` : 'A key without kid';
}

function unknownKey(header: JWSHeaderParameters): SetError {
  const kid = shownKid(header);
  return new SetError(
    'invalid_key',
    kid
      ? `The SET is signed with key '${kid}', which the issuer does not publish`
      : "No key published by the SET's issuer matches the SET's header",
  );
}
