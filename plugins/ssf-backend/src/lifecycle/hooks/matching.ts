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
import { HookTrigger } from './types';

// Patterns are few (one or two per hook), but dry runs of unsaved hooks can
// add more: forget them all past this many rather than grow without bound.
const MAX_COMPILED = 500;
const compiled = new Map<string, RegExp>();

/**
 * A hook's pattern as a full-match regular expression. Patterns are few and
 * used for every change, so each is compiled once.
 *
 * @internal
 */
export function fullMatch(pattern: string): RegExp {
  let regex = compiled.get(pattern);
  if (!regex) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex;
}

/** Whether a change fires a trigger. @internal */
export function triggerMatches(
  trigger: HookTrigger,
  change: SsfIdentityChangeKind,
): boolean {
  if (trigger.on !== change.kind) return false;
  if (trigger.on !== 'attribute_changed') return true;
  if (change.kind !== 'attribute_changed' || change.path !== trigger.path) {
    return false;
  }
  return (
    (trigger.from === undefined ||
      fullMatch(trigger.from).test(change.from ?? '')) &&
    (trigger.to === undefined || fullMatch(trigger.to).test(change.to ?? ''))
  );
}
