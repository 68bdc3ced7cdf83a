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

/* eslint-disable no-console */

// The HTTP part of the load run: for --duration seconds, against the whole
// SSF plugin in its own process (backendProcess.ts, with the real
// notifications backend), with ssf.receiver.rateLimit set, at the same time
//   (a) SET ingestion: ES256-signed SETs pushed to /security-events by a
//       provider whose JWKS this process serves, well within the limit,
//   (b) a noisy provider pushing bursts over the limit, which must be
//       answered 429 in part and 202 for the rest,
//   (c) management calls an admin page makes (providers, received events,
//       streams, hooks, lifecycle status) and a receiver's stream reads,
//   (d) identity changes (POST /identity-changes) that fire the default
//       lifecycle hooks into a poll stream, drained by a receiver polling
//       and acknowledging (RFC 8936).
// Every answer must be the expected one: any 5xx, unexpected status, 429
// outside the noisy bursts or network error fails the run, as do a SET
// emitted but never polled and any notification (nothing failed). The
// plugin's metric totals are returned as checks against what was counted.

import {
  MetricQuery,
  postJson,
  pushSet,
  serviceAuth,
  startPluginBackend,
} from './backendControl';
import { LoadResult, MetricCheck, metricLabel } from './metricChecks';
import {
  noNotifications,
  notificationsCell,
  NotificationTally,
  tallyOf,
} from './notifications';
import { startProviderServer } from './providerServer';
import { printTable } from './report';
import { SESSION_REVOKED } from './setup';

const AUDIENCE = 'https://portal.robustness.example/api/ssf';
const ACCOUNT_DISABLED =
  'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
const RECEIVER = serviceAuth('load-receiver');
/**
 * Each provider's bucket (`ssf.receiver.rateLimit`): twice the steady
 * provider's rate, so that it never meets the limit, while a noisy burst
 * of NOISY_BURST SETs at once does.
 */
const RATE_LIMIT = { requestsPerSecond: 100, burst: 100 };
const NOISY_BURST = 300;
const NOISY_EVERY_MS = 20_000;

interface Tally {
  requests: number;
  ok: number;
  unexpected: number;
  /**
   * 429s (Backstage's backend.rateLimit or ssf.receiver.rateLimit): counted
   * apart, so that a limit hit reads as such; they fail the run except
   * where the limit is the point (the noisy provider).
   */
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  latencies: number[];
  firstProblem?: string;
}

const tally = (): Tally => ({
  requests: 0,
  ok: 0,
  unexpected: 0,
  rateLimited: 0,
  serverErrors: 0,
  networkErrors: 0,
  latencies: [],
});

async function timed(
  t: Tally,
  expected: number,
  fn: () => Promise<Response>,
): Promise<any> {
  const start = performance.now();
  t.requests += 1;
  try {
    const res = await fn();
    const text = await res.text();
    t.latencies.push(performance.now() - start);
    if (res.status === expected) {
      t.ok += 1;
      return text ? JSON.parse(text) : undefined;
    }
    if (res.status >= 500) t.serverErrors += 1;
    else if (res.status === 429) t.rateLimited += 1;
    else t.unexpected += 1;
    t.firstProblem ??= `${res.status} ${text.slice(0, 200)}`;
  } catch (error) {
    t.networkErrors += 1;
    t.firstProblem ??= String(error);
  }
  return undefined;
}

/** Runs `fn` `rate` times a second until `deadline`, at most 32 at once. */
async function paced(
  rate: number,
  deadline: number,
  fn: (i: number) => Promise<void>,
) {
  const inFlight = new Set<Promise<void>>();
  const start = Date.now();
  for (let i = 0; Date.now() < deadline; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
    if (inFlight.size >= 32) await Promise.race(inFlight);
    const p = fn(i).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
}

function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export async function runHttpLoad(options: {
  pgUrl: string;
  durationSeconds: number;
  ingestRate: number;
}): Promise<LoadResult> {
  const providers = await startProviderServer();
  const steady = await providers.provider('load-idp');
  const noisy = await providers.provider('noisy-idp');
  const backend = await startPluginBackend({
    db: 'pg',
    pgUrl: options.pgUrl,
    ssf: {
      receiver: {
        audience: AUDIENCE,
        allowInsecureUrls: true,
        allowPrivateNetworks: true,
        rateLimit: RATE_LIMIT,
      },
    },
  });
  const { base } = backend;
  const setup = tally();
  const addProvider = (name: string, p: typeof steady) =>
    timed(setup, 200, () =>
      fetch(
        `${base}/security-events-providers`,
        postJson({
          name,
          type: 'ssf',
          settings: { issuer: p.issuer, jwks_url: p.jwksUrl },
        }),
      ),
    );
  const steadyProvider = await addProvider('load-idp', steady);
  const noisyProvider = await addProvider('noisy-idp', noisy);
  const stream = await timed(setup, 201, () =>
    fetch(
      `${base}/streams`,
      postJson(
        { events_requested: [SESSION_REVOKED, ACCOUNT_DISABLED] },
        RECEIVER,
      ),
    ),
  );
  if (!stream || setup.ok !== 3) {
    console.log(`  the load setup failed: ${setup.firstProblem}`);
    await backend.stop().catch(() => {});
    await providers.close();
    return { ok: false, metrics: [] };
  }
  const pollUrl: string = stream.delivery.endpoint_url.replace(
    /^https?:\/\/[^/]+\/api\/ssf/,
    base,
  );

  const ingest = tally();
  const noisyIngest = tally();
  const manage = tally();
  const changes = tally();
  const polls = tally();
  let emitted = 0;
  let handedOut = 0;
  const polled = new Set<string>();
  const acknowledged = new Set<string>();
  let ack: string[] = [];
  const poll = async () => {
    const acknowledging = ack;
    ack = [];
    const body = await timed(polls, 200, () =>
      fetch(
        pollUrl,
        postJson(
          { maxEvents: 200, returnImmediately: true, ack: acknowledging },
          RECEIVER,
        ),
      ),
    );
    if (!body) {
      ack.push(...acknowledging);
      return false;
    }
    for (const jti of acknowledging) acknowledged.add(jti);
    const jtis = Object.keys(body.sets ?? {});
    handedOut += jtis.length;
    for (const jti of jtis) polled.add(jti);
    ack.push(...jtis);
    return body.moreAvailable || jtis.length > 0;
  };
  const views = [
    () => fetch(`${base}/security-events-providers`),
    () => fetch(`${base}/received-events?limit=20`),
    () => fetch(`${base}/admin/streams`),
    () => fetch(`${base}/hooks`),
    () => fetch(`${base}/lifecycle/status`),
    () => fetch(`${base}/streams`, { headers: { Authorization: RECEIVER } }),
  ];

  const started = Date.now();
  const deadline = started + options.durationSeconds * 1000;
  await Promise.all([
    paced(options.ingestRate, deadline, async i => {
      const set = await steady.sign(AUDIENCE, `user${i % 500}@example.com`);
      await timed(ingest, 202, () => pushSet(base, set));
    }),
    // A burst all at once, then quiet: more than the bucket holds.
    paced(1000 / NOISY_EVERY_MS, deadline, async () => {
      const sets = await Promise.all(
        Array.from({ length: NOISY_BURST }, (_, k) =>
          noisy.sign(AUDIENCE, `noisy${k}@example.com`),
        ),
      );
      await Promise.all(
        sets.map(set => timed(noisyIngest, 202, () => pushSet(base, set))),
      );
    }),
    paced(12, deadline, async i => {
      await timed(manage, 200, views[i % views.length]);
    }),
    paced(5, deadline, async i => {
      // Alternating states: each change fires two default hooks.
      const state = Math.floor(i / 50) % 2 === 0 ? 'suspended' : 'active';
      const body = await timed(changes, 200, () =>
        fetch(
          `${base}/identity-changes`,
          postJson({
            changes: [
              {
                subject: {
                  format: 'email',
                  email: `person${i % 50}@example.com`,
                },
                attributes: { 'metadata.annotations[ssf.io/lifecycle]': state },
              },
            ],
          }),
        ),
      );
      for (const result of body?.results ?? []) {
        for (const event of result.events) emitted += event.sets.length;
      }
    }),
    paced(2, deadline, async () => {
      await poll();
    }),
  ]);
  const seconds = (Date.now() - started) / 1000;
  // Drain: poll until nothing more comes, bounded.
  const drainUntil = Date.now() + 30_000;
  while (Date.now() < drainUntil && ((await poll()) || polled.size < emitted)) {
    if (polled.size >= emitted) continue;
    await new Promise(r => setTimeout(r, 200));
  }
  await poll(); // acknowledge the last batch

  let sent: NotificationTally = noNotifications();
  let ok = true;
  try {
    sent = (await backend.notifications()).accepted;
  } catch (error) {
    ok = false;
    console.log(`  counting the notifications failed: ${error}`);
  }
  const rows: Array<[string, Tally, NotificationTally?]> = [
    [
      'SET ingestion (POST /security-events)',
      ingest,
      tallyOf(sent, [`ssf:provider:${steadyProvider?.id}:`]),
    ],
    [
      `noisy provider: ${NOISY_BURST} SETs at once every ${
        NOISY_EVERY_MS / 1000
      } s`,
      noisyIngest,
      tallyOf(sent, [`ssf:provider:${noisyProvider?.id}:`]),
    ],
    ['management reads', manage],
    [
      'identity changes (POST /identity-changes)',
      changes,
      tallyOf(sent, ['ssf:lifecycle:']),
    ],
    [
      'poll + ack (RFC 8936)',
      polls,
      tallyOf(sent, [`ssf:stream:${stream.stream_id}:`]),
    ],
  ];
  console.log('\nHTTP surface (the whole plugin in its own backend process)\n');
  printTable(
    [
      'kind',
      'requests',
      'per second',
      'expected 2xx',
      '429',
      'other 4xx',
      '5xx',
      'network errors',
      'p99',
      'notifications',
    ],
    rows.map(([kind, t, n]) => [
      kind,
      String(t.requests),
      (t.requests / seconds).toFixed(1),
      String(t.ok),
      String(t.rateLimited),
      String(t.unexpected),
      String(t.serverErrors),
      String(t.networkErrors),
      `${percentile(t.latencies, 0.99).toFixed(0)} ms`,
      n ? notificationsCell(n) : '-',
    ]),
  );
  const lost = Math.max(0, emitted - polled.size);
  console.log(
    `\n  lifecycle SETs emitted ${emitted}, polled ${polled.size}, lost ${lost}`,
  );
  if (lost > 0) ok = false;
  for (const [kind, t] of rows) {
    const limited = t === noisyIngest ? 0 : t.rateLimited;
    if (t.unexpected || limited || t.serverErrors || t.networkErrors) {
      ok = false;
      console.log(`  ${kind}: first problem: ${t.firstProblem}`);
    }
  }
  if (noisyIngest.rateLimited === 0) {
    ok = false;
    console.log('  noisy provider: never answered 429: the limit was not met');
  }
  if (sent.sent > 0) {
    ok = false;
    console.log(
      `  ${
        sent.sent
      } notifications sent under load, none expected: ${Object.keys(
        sent.byScope,
      ).join(', ')}`,
    );
  }

  // What the suite counted, against the plugin's metric totals.
  const expected: Array<[MetricQuery, string, number]> = [
    ...[steadyProvider, noisyProvider].flatMap(
      (p, i): Array<[MetricQuery, string, number]> => {
        const t = i === 0 ? ingest : noisyIngest;
        const who = i === 0 ? 'steady' : 'noisy';
        const received = (attributes: Record<string, string>) => ({
          name: 'ssf.receiver.sets.received',
          attributes: { provider_id: p?.id, ...attributes },
        });
        return [
          [received({ outcome: 'accepted' }), `${who} SETs answered 202`, t.ok],
          [
            received({ outcome: 'rate_limited' }),
            `${who} SETs answered 429`,
            t.rateLimited,
          ],
          [received({}), `${who} SETs answered`, t.requests - t.networkErrors],
        ];
      },
    ),
    [
      { name: 'ssf.transmitter.sets.emitted' },
      'SETs its identity changes emitted',
      emitted,
    ],
    [
      { name: 'ssf.transmitter.sets.polled' },
      'SETs its polls were handed',
      handedOut,
    ],
    [
      {
        name: 'ssf.transmitter.sets.acknowledged',
        attributes: { outcome: 'delivered' },
      },
      'SETs it acknowledged',
      acknowledged.size,
    ],
  ];
  const metrics: MetricCheck[] = [];
  try {
    const values = await backend.metrics(expected.map(([q]) => q));
    expected.forEach(([q, counted, count], i) =>
      metrics.push({
        where: 'plugin backend',
        metric: metricLabel(q.name, q.attributes),
        value: values[i],
        counted,
        expected: count,
      }),
    );
  } catch (error) {
    ok = false;
    console.log(`  reading the metrics failed: ${error}`);
  }

  await backend.stop().catch(error => {
    ok = false;
    console.log(`  stopping the backend failed: ${error}`);
  });
  await providers.close();
  return { ok, metrics };
}
