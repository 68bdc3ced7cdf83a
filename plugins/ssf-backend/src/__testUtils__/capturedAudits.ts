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

import { mockServices } from '@backstage/backend-test-utils';

/** One event a test backend's auditor was asked to record. */
export interface CapturedAudit {
  /** What the route passed to `createEvent`: eventId, severityLevel, meta … */
  options: any;
  /** `{ success: … }` or `{ fail: … }` once the route reported it. */
  outcome?: any;
}

/**
 * An auditor for a test backend that keeps every event it is given, each
 * with its outcome once the route reports success or failure.
 */
export function captureAudits() {
  const events: CapturedAudit[] = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async options => {
      const entry: CapturedAudit = { options };
      events.push(entry);
      return {
        success: async o => void (entry.outcome = { success: o }),
        fail: async o => void (entry.outcome = { fail: o }),
      };
    },
  });
  return {
    events,
    factory: auditor.factory,
    /** `[eventId, meta.actionType, 'success' | 'fail']` of each event, in order. */
    summary: () =>
      events.map(e => [
        e.options.eventId,
        e.options.meta.actionType,
        Object.keys(e.outcome)[0],
      ]),
    /** The meta and outcome of every event as one string, to scan for secrets. */
    recorded: () =>
      JSON.stringify(events.map(e => [e.options.meta, e.outcome])),
  };
}
