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

import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';

/**
 * An observed change of one identity, from a system other than the catalog
 * (an HR feed, an identity provider). The SSF plugin diffs it against the
 * identity's last seen attributes and fires the lifecycle hooks that match.
 *
 * @public
 */
export interface SsfIdentityChange {
  /** Whom the change is about; the subject of the events it causes. */
  subject: SubjectIdentifier;
  /**
   * The new values of the attributes that changed, by attribute path (e.g.
   * `metadata.annotations["ssf.io/lifecycle"]` or `status`); null removes one.
   * Attributes not named keep their last seen value.
   */
  attributes?: Record<string, string | null>;
  /** The identity is gone (deleted, deprovisioned). */
  removed?: boolean;
  /** When the source saw the change. Default: now. */
  observedAt?: Date;
}

/**
 * One attribute change, or the identity appearing or going away.
 *
 * @public
 */
export type SsfIdentityChangeKind =
  | { kind: 'attribute_changed'; path: string; from?: string; to?: string }
  | { kind: 'user_added' }
  | { kind: 'user_removed' };

/**
 * What one submitted identity change did: the differences it made and the
 * events the hooks emitted for them (one SET per stream that takes each).
 *
 * @public
 */
export interface SsfIdentityChangeOutcome {
  identity: string;
  changes: SsfIdentityChangeKind[];
  events: Array<{
    hookName: string;
    eventType: string;
    txn: string;
    sets: Array<{ streamId: string; jti: string }>;
  }>;
}

/**
 * Where a source submits identity changes. Each change is processed once,
 * in one transaction with the SETs it causes.
 *
 * @public
 */
export interface SsfIdentityChangeSink {
  submit(changes: SsfIdentityChange[]): Promise<SsfIdentityChangeOutcome[]>;
}

/**
 * A feed of identity changes, e.g. a module that listens to an HR system.
 *
 * @public
 */
export interface SsfIdentityChangeSource {
  /** Names the source in firing records and logs, e.g. `hr-feed`. */
  id: string;
  /**
   * Called once when the backend has started, with the sink to submit into.
   * Keep listening in the background; do not block here.
   */
  connect(sink: SsfIdentityChangeSink): Promise<void>;
}

/**
 * Lets backend modules feed identity changes into the SSF plugin's
 * lifecycle hooks.
 *
 * @public
 */
export interface SsfIdentityChangeSourcesExtensionPoint {
  addSource(
    ...sources: Array<SsfIdentityChangeSource | SsfIdentityChangeSource[]>
  ): void;
}

/**
 * The extension point for identity change sources, e.g.
 *
 * ```ts
 * createBackendModule({
 *   pluginId: 'ssf',
 *   moduleId: 'hr-feed',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { sources: ssfIdentityChangeSourcesExtensionPoint },
 *       async init({ sources }) {
 *         sources.addSource({
 *           id: 'hr-feed',
 *           connect: async sink => {
 *             hrFeed.on('terminated', email =>
 *               sink.submit([{ subject: { format: 'email', email },
 *                 attributes: { status: 'terminated' } }]));
 *           },
 *         });
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * @public
 */
export const ssfIdentityChangeSourcesExtensionPoint =
  createExtensionPoint<SsfIdentityChangeSourcesExtensionPoint>({
    id: 'ssf.identity-change-sources',
  });
