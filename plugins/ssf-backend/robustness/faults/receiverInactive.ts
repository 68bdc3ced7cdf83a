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

// Fault 8: a push receiver goes down and silent, its endpoint refusing
// connections and no call of its own reaching the transmitter, for longer
// than ssf.transmitter.inactivityTimeout (2 s here). The transmitter must
// pause its stream (SSF 1.0 §8.1.1) and tell the admins; the SETs emitted
// before and during the pause are held, not dropped or dead-lettered. When
// the receiver is back, reads its status and enables the stream again
// (§8.1.2), every SET must be delivered.
//
// Against the whole plugin in its own process, since the inactivity check
// is one of its scheduled tasks (triggered here when the timeout has
// passed, as the scheduler would run it), with the real notifications
// backend.

import { postJson, serviceAuth } from '../backendControl';
import { FAULT_DELIVERY, PUSH, SESSION_REVOKED, sleep } from '../setup';
import {
  eventsFor,
  expectNoDeadLetters,
  Scenario,
  settleRow,
  STREAMS,
  withPluginBackend,
} from './scenario';

const TIMEOUT_S = 2;
const INACTIVITY_TASK = 'ssf-transmitter-inactivity';

export const receiverInactive: Scenario = {
  name: 'receiver-inactive',
  title: 'receiver down past inactivity_timeout',
  dbs: ['sqlite', 'pg'],
  notifies: ['status'],
  async run(ctx, row) {
    const ssf = {
      transmitter: {
        inactivityTimeout: { seconds: TIMEOUT_S },
        signing: { algorithm: 'ES256' },
        delivery: FAULT_DELIVERY,
      },
    };
    await withPluginBackend(ctx, row, ssf, async backend => {
      const clients = Array.from(
        { length: STREAMS },
        (_, i) => `robustness-receiver-${i}`,
      );
      const streamIds: string[] = [];
      for (const client of clients) {
        const res = await fetch(
          `${backend.base}/streams`,
          postJson(
            {
              delivery: { method: PUSH, endpoint_url: ctx.receiver.url },
              events_requested: [SESSION_REVOKED],
            },
            serviceAuth(client),
          ),
        );
        if (res.status !== 201) {
          throw new Error(`POST /streams: ${res.status} ${await res.text()}`);
        }
        streamIds.push(((await res.json()) as { stream_id: string }).stream_id);
      }
      const lastCall = Date.now();

      await ctx.receiver.down();
      const half = Math.ceil(eventsFor(ctx.sets) / 2);
      const before = await backend.emit(half, 'before-pause');
      await sleep(Math.max(0, lastCall + TIMEOUT_S * 1000 + 500 - Date.now()));
      await backend.trigger(INACTIVITY_TASK);
      const during = await backend.emit(
        eventsFor(ctx.sets) - half,
        'while-paused',
      );
      await ctx.receiver.up();

      // Back: each receiver reads its stream's status, then enables it.
      let paused = 0;
      for (const [i, client] of clients.entries()) {
        const status = await fetch(
          `${backend.base}/streams/status?stream_id=${streamIds[i]}`,
          { headers: { Authorization: serviceAuth(client) } },
        );
        const body = (await status.json()) as { status?: string };
        if (body.status === 'paused') paused += 1;
        const enabled = await fetch(
          `${backend.base}/streams/status`,
          postJson(
            { stream_id: streamIds[i], status: 'enabled' },
            serviceAuth(client),
          ),
        );
        if (enabled.status !== 200) {
          row.problems.push(`re-enabling a stream: ${enabled.status}`);
        }
      }
      row.notes.push(
        `${paused} of ${STREAMS} streams paused after ${TIMEOUT_S} s silent; ${during.length} SETs emitted while paused`,
      );
      if (paused < STREAMS) {
        row.problems.push(
          `${
            STREAMS - paused
          } silent streams were not paused: the fault was not exercised`,
        );
      }
      await settleRow(ctx, row, backend.outbox, [...before, ...during]);
      expectNoDeadLetters(row, ' although the receiver came back');
    });
  },
};
