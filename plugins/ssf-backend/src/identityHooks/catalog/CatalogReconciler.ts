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

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { IdentityHookEngine } from '../IdentityHookEngine';
import {
  Attributes,
  entityAttributes,
  hashAttributes,
} from '../identities/attributes';
import { RunResult, RunStore } from '../identities/RunStore';
import { SnapshotStore } from '../identities/SnapshotStore';
import { IdentityHooksMetrics } from '../metrics';
import { SsfAlerts } from '../../notifications';

/** The source name of identities that come from the catalog. @internal */
export const CATALOG_SOURCE = 'catalog';

// Changed users processed at once; SQLite takes them one by one anyway.
const APPLY_CONCURRENCY = 8;
// Below this many known users, any number may vanish in one run.
const MIN_USERS_FOR_REMOVAL_GUARD = 20;

async function inBatches<T>(
  items: T[],
  size: number,
  fn: (item: T) => Promise<void>,
) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map(fn));
  }
}

/**
 * Compares every User entity in the catalog with its snapshot and hands the
 * differences to the lifecycle engine. The catalog is streamed page by page
 * and only identity-to-hash is held for all users, so memory stays small at
 * 100,000 users. The first run records snapshots and emits nothing: an
 * install must not revoke everybody's sessions.
 *
 * @internal
 */
export class CatalogReconciler {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #engine: IdentityHookEngine;
  readonly #snapshots: SnapshotStore;
  readonly #runs: RunStore;
  readonly #logger: LoggerService;
  readonly #pageSize: number;
  readonly #maxRemovedFraction: number;
  readonly #metrics?: IdentityHooksMetrics;
  readonly #alerts?: SsfAlerts;

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    engine: IdentityHookEngine;
    snapshots: SnapshotStore;
    runs: RunStore;
    logger: LoggerService;
    pageSize: number;
    maxRemovedFraction: number;
    metrics?: IdentityHooksMetrics;
    /** Told when removals are held back, to alert admins. */
    alerts?: SsfAlerts;
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#engine = options.engine;
    this.#snapshots = options.snapshots;
    this.#runs = options.runs;
    this.#logger = options.logger;
    this.#pageSize = options.pageSize;
    this.#maxRemovedFraction = options.maxRemovedFraction;
    this.#metrics = options.metrics;
    this.#alerts = options.alerts;
  }

  async reconcile(signal?: AbortSignal): Promise<RunResult> {
    const started = performance.now();
    let result: RunResult | undefined;
    try {
      result = await this.#reconcile(signal);
      return result;
    } finally {
      this.#metrics?.reconciled(
        CATALOG_SOURCE,
        performance.now() - started,
        result,
      );
    }
  }

  async #reconcile(signal?: AbortSignal): Promise<RunResult> {
    const startedAt = new Date();
    const firstRun = !(await this.#runs.get(CATALOG_SOURCE));
    const known = await this.#snapshots.hashes(CATALOG_SOURCE);
    const result: RunResult = {
      users: 0,
      added: 0,
      removed: 0,
      changed: 0,
      events: 0,
      firstRun,
    };
    const seen = new Set<string>();
    const credentials = await this.#auth.getOwnServiceCredentials();
    const apply = async (identity: string, next: Attributes | undefined) => {
      try {
        const outcome = await this.#engine.apply({
          identity,
          source: CATALOG_SOURCE,
          next: () => next,
          observedAt: new Date(),
        });
        if (outcome.changes.length) {
          if (!next) result.removed += 1;
          else if (outcome.changes[0].kind === 'user_added') result.added += 1;
          else result.changed += 1;
        }
        result.events += outcome.events.length;
      } catch (error) {
        // One bad identity must not stop the others; it is tried next run.
        this.#logger.error(
          `Lifecycle: could not process the change of ${identity}`,
          error as Error,
        );
      }
    };

    for await (const page of this.#catalog.streamEntities(
      { filter: { kind: 'User' }, pageSize: this.#pageSize },
      { credentials },
    )) {
      signal?.throwIfAborted();
      const baseline: Array<{
        identity: string;
        hash: string;
        attributes: Attributes;
      }> = [];
      const changed: Array<[string, Attributes]> = [];
      for (const entity of page) {
        const identity = stringifyEntityRef(entity);
        if (seen.has(identity)) continue;
        seen.add(identity);
        result.users += 1;
        const attributes = entityAttributes(entity);
        const hash = hashAttributes(attributes);
        if (known.get(identity) === hash) continue;
        if (firstRun) baseline.push({ identity, hash, attributes });
        else changed.push([identity, attributes]);
      }
      if (baseline.length) {
        await this.#snapshots.putMany(CATALOG_SOURCE, baseline, startedAt);
        result.added += baseline.length;
      }
      await inBatches(changed, APPLY_CONCURRENCY, ([identity, attributes]) =>
        apply(identity, attributes),
      );
    }

    // Only a complete pass may conclude that a user is gone (an error above
    // ends the run before this), and a catalog that suddenly lost most users
    // is more likely broken than a mass layoff: hold such removals back.
    const gone = [...known.keys()].filter(identity => !seen.has(identity));
    if (
      gone.length > 0 &&
      known.size >= MIN_USERS_FOR_REMOVAL_GUARD &&
      gone.length > known.size * this.#maxRemovedFraction
    ) {
      result.removalsHeldBack = gone.length;
      this.#alerts?.reconciliationHeldBack({
        removed: gone.length,
        known: known.size,
        maxRemovedFraction: this.#maxRemovedFraction,
      });
      this.#logger.error(
        `Lifecycle: ${gone.length} of ${known.size} users vanished from the catalog in one run, more than ssf.lifecycle.catalog.maxRemovedFraction allows; no removal events were sent. Check the catalog; raise the fraction if this is intended.`,
      );
    } else {
      this.#alerts?.reconciliationSucceeded();
      await inBatches(gone, APPLY_CONCURRENCY, identity =>
        apply(identity, undefined),
      );
    }

    await this.#runs.put(CATALOG_SOURCE, {
      startedAt,
      finishedAt: new Date(),
      result,
    });
    this.#logger.info(
      `Lifecycle: reconciled ${result.users} catalog users${
        firstRun ? ' (first run: snapshots recorded, no events)' : ''
      }: ${result.added} added, ${result.changed} changed, ${
        result.removed
      } removed, ${result.events} events`,
    );
    return result;
  }

  /** Re-reads one user after a catalog event, so it is seen within seconds. */
  async reconcileOne(entityRef: string): Promise<void> {
    // Before the first run there is no baseline to compare with.
    if (!(await this.#runs.get(CATALOG_SOURCE))) return;
    const credentials = await this.#auth.getOwnServiceCredentials();
    const ref = parseEntityRef(entityRef);
    if (ref.kind.toLocaleLowerCase('en-US') !== 'user') return;
    const entity = await this.#catalog.getEntityByRef(ref, { credentials });
    await this.#engine.apply({
      identity: stringifyEntityRef(ref),
      source: CATALOG_SOURCE,
      // A user the catalog no longer has is removed (if it was known).
      next: () => (entity ? entityAttributes(entity) : undefined),
      observedAt: new Date(),
    });
  }
}
