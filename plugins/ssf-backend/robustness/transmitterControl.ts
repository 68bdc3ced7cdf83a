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

// The parent's handle on a transmitter instance running in its own process
// (robustness/transmitterProcess.ts).

import { forkChild } from './child';
import { countSent, noNotifications, NotificationTally } from './notifications';
import { DbTarget } from './setup';

export interface TransmitterInstance {
  owner: string;
  /** Whether the process is still there (not stopped or killed). */
  readonly running: boolean;
  emit(count: number, prefix: string): Promise<{ jtis: string[] }>;
  logs(): Promise<{ warnings: string[]; errors: string[] }>;
  /** The notifications the instance sent so far, killed or not. */
  notifications(): NotificationTally;
  /** A clean stop: leases given back, pushes in flight finished. */
  stop(): Promise<void>;
  /** SIGKILL: no cleanup at all, leases stay until they expire. */
  kill(): Promise<void>;
}

export async function startTransmitterProcess(
  target: DbTarget,
  owner: string,
): Promise<TransmitterInstance> {
  const child = forkChild('transmitterProcess.ts', [
    JSON.stringify({ target, owner }),
  ]);
  const notifications = noNotifications();
  child.process.on('message', (m: any) => {
    if (m?.notification) countSent(notifications, m.notification);
  });
  await child.ready;
  return {
    owner,
    get running() {
      return child.process.exitCode === null && !child.process.signalCode;
    },
    notifications: () => notifications,
    emit: (count, prefix) => child.ask('emit', { count, prefix }, 120_000),
    logs: () => child.ask('logs', {}, 5000),
    stop: async () => {
      if (child.process.exitCode !== null || child.process.signalCode) return;
      await child.ask('stop', {}, 30_000).catch(() => {});
      await Promise.race([child.exited, new Promise(r => setTimeout(r, 5000))]);
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    },
    kill: async () => {
      child.process.kill('SIGKILL');
      await child.exited;
    },
  };
}
