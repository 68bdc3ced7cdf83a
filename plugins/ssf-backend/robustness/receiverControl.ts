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

// The parent's handle on the controllable receiver (robustness/receiver.ts).

import { forkChild } from './child';

export interface ReceiverReport {
  /** jti → number of 2xx answers the transmitter got for it. */
  delivered: Record<string, number>;
  concurrentDuplicates: number;
  duplicateJtis: string[];
  requests: number;
  aborted: number;
  answered5xx: number;
  answered400: number;
}

export interface Receiver {
  url: string;
  up(): Promise<void>;
  down(): Promise<void>;
  slow(ms: number): Promise<void>;
  flap(): Promise<void>;
  answer400(): Promise<void>;
  answer202(): Promise<void>;
  latency(ms: number): Promise<void>;
  report(): Promise<ReceiverReport>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const child = forkChild('receiver.ts');
  const { port } = await child.ready;
  const send = async (cmd: string, extra?: Record<string, unknown>) => {
    await child.ask(cmd, extra);
  };
  return {
    url: `http://127.0.0.1:${port}/events`,
    up: () => send('up'),
    down: () => send('down'),
    slow: ms => send('slow', { ms }),
    flap: () => send('flap'),
    answer400: () => send('answer-400'),
    answer202: () => send('202'),
    latency: ms => send('latency', { ms }),
    report: () => child.ask<ReceiverReport>('report'),
    reset: () => send('reset'),
    stop: async () => {
      await child.ask('exit', {}, 5000).catch(() => {});
      await Promise.race([child.exited, new Promise(r => setTimeout(r, 2000))]);
      if (child.process.exitCode === null) child.process.kill('SIGKILL');
    },
  };
}
