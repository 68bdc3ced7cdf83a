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

// The parent's handle on the whole-plugin backend (robustness/backendProcess.ts).

import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { forkChild } from './child';
import { NotificationTally } from './notifications';
import {
  Db,
  OutboxRow,
  OutboxStates,
  SESSION_REVOKED,
  toOutboxStates,
} from './setup';

/** One metric total to read: an instrument, and the attributes to match. */
export interface MetricQuery {
  name: string;
  attributes?: Record<string, string>;
}

export interface PluginBackend {
  /** Where the plugin's routes are: `http://127.0.0.1:<port>/api/ssf`. */
  base: string;
  /** Runs one of the plugin's scheduled tasks now. */
  trigger(task: string): Promise<void>;
  outbox(): Promise<OutboxStates>;
  /**
   * The plugin's sends the notifications backend accepted, and how many
   * notifications it holds for the recipient (repeats of one scope update
   * one notification).
   */
  notifications(): Promise<{ accepted: NotificationTally; stored: number }>;
  /** The total of each query, in order. */
  metrics(queries: MetricQuery[]): Promise<number[]>;
  /**
   * Emits `count` session-revoked events through `POST /emit`, as a backend
   * plugin would, a few at a time; returns the jtis of the SETs stored.
   */
  emit(count: number, prefix: string): Promise<string[]>;
  stop(): Promise<void>;
}

/** An Authorization header for a service principal (a receiver, a plugin). */
export const serviceAuth = (subject: string) =>
  `Bearer mock-service-token:${JSON.stringify({ sub: subject })}`;

/** An Authorization header for a portal user. */
export const userAuth = (ref: string) => mockCredentials.user.header(ref);

/** A JSON POST, with an Authorization header when given. */
export function postJson(body: unknown, authorization?: string): RequestInit {
  return {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(authorization && { Authorization: authorization }),
    },
    body: JSON.stringify(body),
  };
}

/** Pushes one SET to the plugin's receiver (RFC 8935). */
export function pushSet(base: string, jws: string): Promise<Response> {
  return fetch(`${base}/security-events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/secevent+jwt',
      Accept: 'application/json',
    },
    body: jws,
  });
}

export async function startPluginBackend(options: {
  db: Db;
  pgUrl: string;
  /** The `ssf` config. */
  ssf: JsonObject;
}): Promise<PluginBackend> {
  const child = forkChild('backendProcess.ts', [JSON.stringify(options)]);
  const { port } = await child.ready;
  const base = `http://127.0.0.1:${port}/api/ssf`;
  return {
    base,
    trigger: task => child.ask('trigger', { task }),
    outbox: async () => toOutboxStates(await child.ask<OutboxRow[]>('outbox')),
    notifications: () => child.ask('notifications', {}, 20_000),
    metrics: queries => child.ask('metrics', { queries }),
    async emit(count, prefix) {
      const jtis: string[] = [];
      let next = 0;
      const run = async () => {
        while (next < count) {
          const i = next++;
          const res = await fetch(
            `${base}/emit`,
            postJson(
              {
                type: SESSION_REVOKED,
                subject: { format: 'opaque', id: `${prefix}-${i}` },
                payload: { initiating_entity: 'policy' },
              },
              serviceAuth('plugin:robustness'),
            ),
          );
          if (res.status !== 202) {
            throw new Error(`POST /emit: ${res.status} ${await res.text()}`);
          }
          const body = (await res.json()) as { sets: Array<{ jti: string }> };
          jtis.push(...body.sets.map(s => s.jti));
        }
      };
      await Promise.all(Array.from({ length: 10 }, run));
      return jtis;
    },
    async stop() {
      await child.ask('stop', {}, 60_000);
      await child.exited;
    },
  };
}
