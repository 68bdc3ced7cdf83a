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

// What `yarn test:robustness` counts of the plugin's alerts: the Backstage
// notifications SsfAlerts sends (a stream dead-lettering, a stream the
// transmitter paused, a provider whose keys or metadata cannot be fetched).
//
// In-process transmitters get SsfAlerts built by its own fromConfig, the way
// plugin.ts builds it, on a NotificationService that records each send, so
// what is counted is what the notifications backend would have been sent.
// The whole-plugin backend (backendProcess.ts) runs the real notifications
// backend instead and counts the sends it accepted.

import { ConfigReader } from '@backstage/config';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { SsfAlerts } from '../src/notifications';
import type { FaultRow } from './report';
import { recordingLogger } from './setup';

/** Who `ssf.notifications.recipients` names in every run of the suite. */
export const RECIPIENT = 'user:default/ssf-admin';

/** `ssf.notifications` for the suite: the production defaults, one recipient. */
export const NOTIFICATIONS_CONFIG = { recipients: [RECIPIENT] };

/**
 * What kind of alert a notification is: the last segment of its scope
 * (`ssf:stream:<id>:dead-letters` → `dead-letters`; `status`, `keys`,
 * `metadata`, `poll`, `catalog-reconciliation`).
 */
export type AlertKind = string;

/** Notifications sent: in all, by kind, and by scope (what they are about). */
export interface NotificationTally {
  sent: number;
  byKind: Record<AlertKind, number>;
  byScope: Record<string, number>;
}

export const noNotifications = (): NotificationTally => ({
  sent: 0,
  byKind: {},
  byScope: {},
});

const add = (counts: Record<string, number>, key: string, n = 1) => {
  counts[key] = (counts[key] ?? 0) + n;
};

export function kindOf(scope: string): AlertKind {
  return scope.slice(scope.lastIndexOf(':') + 1) || 'unscoped';
}

/** Adds one sent notification to `tally`. */
export function countSent(
  tally: NotificationTally,
  options: NotificationSendOptions,
) {
  const scope = options.payload.scope ?? '';
  tally.sent += 1;
  add(tally.byKind, kindOf(scope));
  add(tally.byScope, scope);
}

/** The sum of several tallies (one per transmitter process, say). */
export function addTallies(...tallies: NotificationTally[]): NotificationTally {
  const sum = noNotifications();
  for (const t of tallies) {
    sum.sent += t.sent;
    for (const [kind, n] of Object.entries(t.byKind)) add(sum.byKind, kind, n);
    for (const [scope, n] of Object.entries(t.byScope)) {
      add(sum.byScope, scope, n);
    }
  }
  return sum;
}

/** SsfAlerts as plugin.ts makes it from the suite's `ssf.notifications`. */
export function alertsSendingTo(service: NotificationService): SsfAlerts {
  return SsfAlerts.fromConfig({
    config: new ConfigReader({ ssf: { notifications: NOTIFICATIONS_CONFIG } }),
    notifications: service,
    logger: recordingLogger(),
  });
}

/** `alertsSendingTo` a NotificationService that records every send. */
export function recordingAlerts(): {
  alerts: SsfAlerts;
  /** Waits for sends in flight, then counts what was sent. */
  tally(): Promise<NotificationTally>;
} {
  const tally = noNotifications();
  const service: NotificationService = {
    async send(options) {
      countSent(tally, options);
    },
  };
  const alerts = alertsSendingTo(service);
  return {
    alerts,
    tally: async () => {
      await alerts.flush();
      return addTallies(tally);
    },
  };
}

/**
 * Fails the row when a kind of notification it expects was never sent, or
 * one it does not expect was.
 */
export function checkNotifications(row: FaultRow, expected: AlertKind[]) {
  const got = row.notifications;
  if (!got) {
    row.problems.push('notifications were not counted');
    return;
  }
  for (const kind of expected) {
    if (!got.byKind[kind]) {
      row.problems.push(`no '${kind}' notification was sent`);
    }
  }
  for (const [kind, n] of Object.entries(got.byKind)) {
    if (!expected.includes(kind)) {
      row.problems.push(`${n} '${kind}' notifications sent, none expected`);
    }
  }
}

/**
 * The part of `tally` whose scopes start with one of `prefixes`
 * (`ssf:stream:<id>:`, say): the notifications about one thing.
 */
export function tallyOf(
  tally: NotificationTally,
  prefixes: string[],
): NotificationTally {
  const part = noNotifications();
  for (const [scope, n] of Object.entries(tally.byScope)) {
    if (!prefixes.some(p => scope.startsWith(p))) continue;
    part.sent += n;
    add(part.byScope, scope, n);
    add(part.byKind, kindOf(scope), n);
  }
  return part;
}

/** A table cell: the count, with the kinds when there are any. */
export function notificationsCell(tally: NotificationTally | undefined) {
  if (!tally) return '-';
  const kinds = Object.entries(tally.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  return kinds ? `${tally.sent} (${kinds})` : String(tally.sent);
}
