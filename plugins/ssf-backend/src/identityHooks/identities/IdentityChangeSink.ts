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

import {
  SsfIdentityChange,
  SsfIdentityChangeOutcome,
  SsfIdentityChangeSink,
} from '@shared-signals/plugin-ssf-node';
import { IdentityHookEngine } from '../IdentityHookEngine';
import { toIdentityUpdate } from './identityChanges';

/**
 * Where the API and extension sources submit identity changes. Every change
 * of a batch is checked before any is applied, so a bad one fails the batch
 * with nothing emitted; then they are applied in order, each in its own
 * transaction (a retried batch is harmless: what was applied no longer
 * differs from the snapshot).
 *
 * @internal
 */
export function createIdentityChangeSink(
  engine: IdentityHookEngine,
  source: string,
): SsfIdentityChangeSink {
  return {
    async submit(
      changes: SsfIdentityChange[],
    ): Promise<SsfIdentityChangeOutcome[]> {
      const updates = changes.map(change => toIdentityUpdate(change, source));
      const outcomes: SsfIdentityChangeOutcome[] = [];
      for (const update of updates) {
        outcomes.push(await engine.apply(update));
      }
      return outcomes;
    },
  };
}
