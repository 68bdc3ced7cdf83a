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

import { ProviderRecord, ProviderStore } from './ProviderStore';

interface Cached {
  provider: ProviderRecord | undefined;
  at: number;
  pending?: Promise<ProviderRecord | undefined>;
}

/**
 * Finds the provider of a SET's `iss`, cached for a few seconds so that a
 * busy stream does not cost a database read per SET. Changes made through
 * this backend invalidate at once; changes made by another replica are seen
 * within the TTL (so a deactivation takes effect cluster-wide within it).
 *
 * @internal
 */
export class ProviderLookup {
  readonly #store: ProviderStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #cache = new Map<string, Cached>();

  constructor(options: {
    store: ProviderStore;
    ttlMs: number;
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  invalidate(issuer?: string): void {
    if (issuer === undefined) {
      this.#cache.clear();
    } else {
      this.#cache.delete(issuer);
    }
  }

  async byIssuer(issuer: string): Promise<ProviderRecord | undefined> {
    const cached = this.#cache.get(issuer);
    const now = this.#now();
    if (cached && !cached.pending && now - cached.at <= this.#ttlMs) {
      return cached.provider;
    }
    if (cached?.pending) {
      return cached.pending;
    }
    const pending = this.#store.getByIssuer(issuer);
    const entry: Cached = { provider: cached?.provider, at: now, pending };
    // Bound the cache: unknown issuers are attacker-chosen strings.
    if (this.#cache.size > 1000) {
      this.#cache.clear();
    }
    this.#cache.set(issuer, entry);
    try {
      const provider = await pending;
      if (this.#cache.get(issuer) === entry) {
        this.#cache.set(issuer, { provider, at: this.#now() });
      }
      return provider;
    } catch (error) {
      if (this.#cache.get(issuer) === entry) {
        this.#cache.delete(issuer);
      }
      throw error;
    }
  }
}
