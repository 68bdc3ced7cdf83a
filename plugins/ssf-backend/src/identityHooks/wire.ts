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

import type { SsfHooksComponents } from '@shared-signals/plugin-ssf-common';
import { SsfIdentityChangeOutcome } from '@shared-signals/plugin-ssf-node';
import { toWireSets } from '../transmitter';
import { HookFiring } from './firings/FiringStore';
import { LifecycleHook } from './hooks/types';
import { Run } from './identities/RunStore';

// Typed from the written contract (src/schema/hooks.yaml, through the types
// ssf-common generates from it): a view that drifts fails the type-check.
type Schemas = SsfHooksComponents['schemas'];

/** A hook as the API returns it. @internal */
export function toWireHook(hook: LifecycleHook): Schemas['Hook'] {
  return {
    id: hook.id,
    name: hook.name,
    ...(hook.description !== undefined && { description: hook.description }),
    enabled: hook.enabled,
    trigger: hook.trigger,
    event_type: hook.eventType,
    payload_template: hook.payloadTemplate,
    subject_format: hook.subjectFormat,
    source: hook.source,
    created_at: hook.createdAt.toISOString(),
    updated_at: hook.updatedAt.toISOString(),
  };
}

/** A firing as the API returns it. @internal */
export function toWireFiring(firing: HookFiring): Schemas['Firing'] {
  return {
    id: firing.id,
    ...(firing.hookId !== undefined && { hook_id: firing.hookId }),
    hook_name: firing.hookName,
    identity: firing.identity,
    subject: firing.subject,
    change: firing.change,
    event_type: firing.eventType,
    txn: firing.txn,
    sets: toWireSets(firing.sets),
    source: firing.source,
    observed_at: firing.observedAt.toISOString(),
    fired_at: firing.firedAt.toISOString(),
  };
}

/** The outcome of one identity change as the API returns it. @internal */
export function toWireOutcome(outcome: SsfIdentityChangeOutcome) {
  return {
    identity: outcome.identity,
    changes: outcome.changes,
    events: outcome.events.map(e => ({
      hook_name: e.hookName,
      event_type: e.eventType,
      txn: e.txn,
      sets: toWireSets(e.sets),
    })),
  };
}

/** A reconciliation's last run as the API returns it. @internal */
export function toWireRun(run: Run): Schemas['Run'] {
  return {
    started_at: run.startedAt.toISOString(),
    finished_at: run.finishedAt.toISOString(),
    users: run.result.users,
    added: run.result.added,
    removed: run.result.removed,
    changed: run.result.changed,
    events: run.result.events,
    first_run: run.result.firstRun,
    ...(run.result.removalsHeldBack !== undefined && {
      removals_held_back: run.result.removalsHeldBack,
    }),
  };
}
