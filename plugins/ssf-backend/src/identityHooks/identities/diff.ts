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

import { SsfIdentityChangeKind } from '@shared-signals/plugin-ssf-node';
import { Attributes } from './attributes';

/**
 * The changes from one state of an identity to the next: undefined before
 * is a new identity (user_added, and each attribute it arrives with),
 * undefined after is a removed one; otherwise one change per attribute whose
 * value differs, in path order.
 *
 * @internal
 */
export function diffAttributes(
  before: Attributes | undefined,
  after: Attributes | undefined,
): SsfIdentityChangeKind[] {
  if (!after) return before ? [{ kind: 'user_removed' }] : [];
  const changes: SsfIdentityChangeKind[] = before
    ? []
    : [{ kind: 'user_added' }];
  const previous = before ?? {};
  const paths = [
    ...new Set([...Object.keys(previous), ...Object.keys(after)]),
  ].sort();
  for (const path of paths) {
    const from = previous[path];
    const to = after[path];
    if (from !== to) {
      changes.push({
        kind: 'attribute_changed',
        path,
        ...(from !== undefined && { from }),
        ...(to !== undefined && { to }),
      });
    }
  }
  return changes;
}

/** An identity's attributes after a partial update (null removes one). @internal */
export function patchAttributes(
  before: Attributes | undefined,
  patch: Record<string, string | null>,
): Attributes {
  const next: Attributes = { ...before };
  for (const [path, value] of Object.entries(patch)) {
    if (value === null) delete next[path];
    else next[path] = value;
  }
  return next;
}
