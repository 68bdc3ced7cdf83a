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
// SSF plugin in its own process (backendProcess.ts), at the same time
//   (a) SET ingestion: ES256-signed SETs pushed to /security-events by a
//       provider whose JWKS this process serves,
//   (b) management calls an admin page makes (providers, received events,
//       streams, hooks, lifecycle status) and a receiver's stream reads,
//   (c) identity changes (POST /identity-changes) that fire the default
//       lifecycle hooks into a poll stream, drained by a receiver polling
//       and acknowledging (RFC 8936).
// Every answer must be the expected 2xx: any 5xx, unexpected status or
// network error fails the run, as does a SET emitted but never polled.

import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { forkChild } from './child';
import { printTable } from './report';

const AUDIENCE = 'https://portal.robustness.example/api/ssf';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const ACCOUNT_DISABLED =
  'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
const RECEIVER = `Bearer mock-service-token:${JSON.stringify({
  sub: 'load-receiver',
})}`;

interface Tally {
  requests: number;
  ok: number;
  unexpected: number;
  /**
   * 429s (Backstage's backend.rateLimit or ssf.receiver.rateLimit): counted
   * apart, so that a limit hit reads as such, and failing the run like any
   * other unexpected answer, since the backend here configures no limit.
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
}): Promise<boolean> {
  // The provider's keys, served on 127.0.0.1.
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwks = {
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' }],
  };
  const jwksServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(jwks));
  });
  await new Promise<void>(r => jwksServer.listen(0, '127.0.0.1', r));
  const idp = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;

  const backend = forkChild('backendProcess.ts', [
    JSON.stringify({ pgUrl: options.pgUrl, audience: AUDIENCE }),
  ]);
  const { port } = await backend.ready;
  const base = `http://127.0.0.1:${port}/api/ssf`;
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const setup = tally();
  await timed(setup, 200, () =>
    fetch(
      `${base}/security-events-providers`,
      json({
        name: 'load-idp',
        type: 'ssf',
        settings: { issuer: idp, jwks_url: `${idp}/jwks` },
      }),
    ),
  );
  const stream = await timed(setup, 201, () =>
    fetch(`${base}/streams`, {
      ...json({ events_requested: [SESSION_REVOKED, ACCOUNT_DISABLED] }),
      headers: { 'Content-Type': 'application/json', Authorization: RECEIVER },
    }),
  );
  if (!stream || setup.ok !== 2) {
    console.log(`  the load setup failed: ${setup.firstProblem}`);
    await backend.ask('stop').catch(() => {});
    jwksServer.close();
    return false;
  }
  const pollUrl: string = stream.delivery.endpoint_url.replace(
    /^https?:\/\/[^/]+\/api\/ssf/,
    base,
  );

  const ingest = tally();
  const manage = tally();
  const changes = tally();
  const polls = tally();
  let emitted = 0;
  const polled = new Set<string>();
  let ack: string[] = [];
  const poll = async () => {
    const acknowledging = ack;
    ack = [];
    const body = await timed(polls, 200, () =>
      fetch(pollUrl, {
        ...json({
          maxEvents: 200,
          returnImmediately: true,
          ack: acknowledging,
        }),
        headers: {
          'Content-Type': 'application/json',
          Authorization: RECEIVER,
        },
      }),
    );
    if (!body) {
      ack.push(...acknowledging);
      return false;
    }
    const jtis = Object.keys(body.sets ?? {});
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
  const now = () => Math.floor(Date.now() / 1000);
  await Promise.all([
    paced(options.ingestRate, deadline, async i => {
      const set = await new SignJWT({
        jti: randomUUID(),
        aud: AUDIENCE,
        sub_id: { format: 'email', email: `user${i % 500}@example.com` },
        events: {
          [SESSION_REVOKED]: {
            event_timestamp: now(),
            initiating_entity: 'policy',
          },
        },
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid })
        .setIssuer(idp)
        .setIssuedAt()
        .sign(privateKey);
      await timed(ingest, 202, () =>
        fetch(`${base}/security-events`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/secevent+jwt',
            Accept: 'application/json',
          },
          body: set,
        }),
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
          json({
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

  const rows: Array<[string, Tally]> = [
    ['SET ingestion (POST /security-events)', ingest],
    ['management reads', manage],
    ['identity changes (POST /identity-changes)', changes],
    ['poll + ack (RFC 8936)', polls],
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
    ],
    rows.map(([kind, t]) => [
      kind,
      String(t.requests),
      (t.requests / seconds).toFixed(1),
      String(t.ok),
      String(t.rateLimited),
      String(t.unexpected),
      String(t.serverErrors),
      String(t.networkErrors),
      `${percentile(t.latencies, 0.99).toFixed(0)} ms`,
    ]),
  );
  const lost = Math.max(0, emitted - polled.size);
  console.log(
    `\n  lifecycle SETs emitted ${emitted}, polled ${polled.size}, lost ${lost}`,
  );
  let ok = lost === 0;
  for (const [kind, t] of rows) {
    if (t.unexpected || t.rateLimited || t.serverErrors || t.networkErrors) {
      ok = false;
      console.log(`  ${kind}: first problem: ${t.firstProblem}`);
    }
  }
  await backend.ask('stop', {}, 60_000).catch(error => {
    ok = false;
    console.log(`  stopping the backend failed: ${error}`);
  });
  await backend.exited;
  jwksServer.close();
  return ok;
}
