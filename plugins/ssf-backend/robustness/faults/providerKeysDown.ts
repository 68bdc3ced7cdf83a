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

// Fault 9: a Security Events Provider's metadata and key set (JWKS) answer
// 500 while it pushes SETs to the plugin's receiver, from its first SET on
// (so no key set is cached). The receiver cannot verify them: it must
// answer 503 with Retry-After (RFC 8935 §2.4 lets the transmitter try
// again; a 400 would make it drop good SETs) and tell the admins it cannot
// fetch the provider's keys and metadata. Once the endpoints are back, the
// SETs pushed again must all be accepted. The suite is the transmitter
// here: it pushes again every refused SET after the Retry-After.
//
// Against the whole plugin in its own process, with the real notifications
// backend; a short refetch cooldown so that the fault spans several fetches.

import { postJson, pushSet } from '../backendControl';
import { startProviderServer } from '../providerServer';
import { sleep } from '../setup';
import { expectNoDeadLetters, Scenario, withPluginBackend } from './scenario';

const AUDIENCE = 'https://portal.robustness.example/api/ssf';
const DOWN_MS = 3000;
const COOLDOWN_MS = 500;

export const providerKeysDown: Scenario = {
  name: 'provider-keys',
  title: 'provider metadata + keys answer 500',
  dbs: ['sqlite', 'pg'],
  notifies: ['keys', 'metadata'],
  async run(ctx, row) {
    const ssf = {
      receiver: {
        audience: AUDIENCE,
        allowInsecureUrls: true,
        allowPrivateNetworks: true,
        keys: { refetchCooldown: { milliseconds: COOLDOWN_MS } },
      },
    };
    const providers = await startProviderServer();
    try {
      await withPluginBackend(ctx, row, ssf, async backend => {
        const provider = await providers.provider('keys-down');
        const created = await fetch(
          `${backend.base}/security-events-providers`,
          postJson({
            name: 'keys-down',
            type: 'ssf',
            settings: { well_known_url: provider.wellKnownUrl },
          }),
        );
        if (created.status !== 200) {
          throw new Error(
            `POST /security-events-providers: ${
              created.status
            } ${await created.text()}`,
          );
        }
        const sets = await Promise.all(
          Array.from({ length: ctx.sets }, (_, i) =>
            provider.sign(AUDIENCE, `user${i}@example.com`),
          ),
        );

        const accepted = new Set<number>();
        const refusedForGood = new Set<number>();
        let requests = 0;
        let unavailable = 0;
        let withoutRetryAfter = 0;
        let acceptedWhileDown = 0;
        let firstRefusal = '';
        let retryAfterS = 1;
        // Pushes every SET not yet settled, ten at a time; true while the
        // fault is on, when anything but a 503 is a finding.
        const pushRound = async (faulted: boolean) => {
          const waiting = sets
            .map((_, i) => i)
            .filter(i => !accepted.has(i) && !refusedForGood.has(i));
          let next = 0;
          const run = async () => {
            while (next < waiting.length) {
              const i = waiting[next++];
              requests += 1;
              const res = await pushSet(backend.base, sets[i]);
              const text = await res.text();
              if (res.status === 503) {
                unavailable += 1;
                const after = Number(res.headers.get('retry-after'));
                if (!(after > 0)) withoutRetryAfter += 1;
                else retryAfterS = Math.max(retryAfterS, after);
              } else if (res.status === 202) {
                accepted.add(i);
                if (faulted) acceptedWhileDown += 1;
              } else {
                refusedForGood.add(i);
                firstRefusal ||= `${res.status} ${text.slice(0, 160)}`;
              }
            }
          };
          await Promise.all(Array.from({ length: 10 }, run));
        };

        providers.failing = true;
        const downAt = Date.now();
        const requestsBefore = providers.requests;
        await pushRound(true);
        await sleep(Math.max(0, downAt + DOWN_MS - Date.now()));
        await pushRound(true);
        const fetchesWhileDown = providers.requests - requestsBefore;
        const refusedWhileDown = unavailable;
        providers.failing = false;

        const deadline = Date.now() + ctx.settleTimeoutMs;
        while (
          accepted.size + refusedForGood.size < sets.length &&
          Date.now() < deadline
        ) {
          await sleep(retryAfterS * 1000);
          await pushRound(false);
        }

        const settled = accepted.size + refusedForGood.size;
        row.outcome = {
          emitted: sets.length,
          delivered: accepted.size,
          dead: refusedForGood.size,
          lost: sets.length - settled,
          concurrentDuplicates: 0,
          redelivered: 0,
          timedOut: settled < sets.length,
          deadErrors: new Map(),
          lostJtis: [],
          receiver: {
            delivered: {},
            concurrentDuplicates: 0,
            duplicateJtis: [],
            requests,
            aborted: 0,
            answered5xx: unavailable,
            answered400: refusedForGood.size,
          },
          outboxCounts: {},
        };
        row.notes.push(
          `${refusedWhileDown} pushes answered 503 in ${(
            DOWN_MS / 1000
          ).toFixed(
            0,
          )} s down (Retry-After up to ${retryAfterS} s); the provider's endpoints were asked ${fetchesWhileDown} times meanwhile`,
        );
        if (refusedWhileDown === 0) {
          row.problems.push('no SET was refused: the fault was not exercised');
        }
        if (withoutRetryAfter > 0) {
          row.problems.push(
            `${withoutRetryAfter} answers 503 without Retry-After`,
          );
        }
        if (acceptedWhileDown > 0) {
          row.problems.push(
            `${acceptedWhileDown} SETs accepted while no key could be fetched`,
          );
        }
        if (firstRefusal) {
          row.problems.push(
            `${refusedForGood.size} SETs refused for good, e.g. ${firstRefusal}`,
          );
        }
        expectNoDeadLetters(row);
      });
    } finally {
      await providers.close();
    }
  },
};
