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

import http, { IncomingHttpHeaders } from 'node:http';
import { AddressInfo } from 'node:net';
import { decodeJwt } from 'jose';

/** One push the test receiver got. */
export interface ReceivedPush {
  headers: IncomingHttpHeaders;
  body: string;
  jti: string;
  at: number;
}

/** How the receiver answers a push; default 202. */
export type Answer =
  | { status: number; body?: string; headers?: Record<string, string> }
  | 'hang';

/**
 * An RFC 8935 push receiver on 127.0.0.1 for tests: records every SET it is
 * sent, answers as told (a status per request, or never), and counts
 * deliveries of the same SET that overlapped in time.
 */
export async function startTestReceiver() {
  const received: ReceivedPush[] = [];
  const inFlight = new Map<string, number>();
  let concurrentDuplicates = 0;
  let answers: Answer[] = [];
  let fallback: Answer = { status: 202 };
  const hanging = new Set<http.ServerResponse>();

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let jti = '';
      try {
        jti = String(decodeJwt(body).jti);
      } catch {
        // not a JWT; recorded with an empty jti
      }
      const now = inFlight.get(jti) ?? 0;
      if (now > 0) concurrentDuplicates += 1;
      inFlight.set(jti, now + 1);
      const answer = answers.length ? answers.shift()! : fallback;
      const finish = () => inFlight.set(jti, (inFlight.get(jti) ?? 1) - 1);
      if (answer === 'hang') {
        hanging.add(res);
        res.on('close', finish);
        return;
      }
      received.push({ headers: req.headers, body, jti, at: Date.now() });
      res.writeHead(answer.status, {
        'Content-Type': 'application/json',
        ...answer.headers,
      });
      res.end(answer.body ?? '');
      finish();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    jtis: () => received.map(r => r.jti),
    get concurrentDuplicates() {
      return concurrentDuplicates;
    },
    /** Answers for the next requests, in order; then `fallback`. */
    answerNext(...next: Answer[]) {
      answers.push(...next);
    },
    answerAlways(answer: Answer) {
      answers = [];
      fallback = answer;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** Waits until `check` returns a truthy value, polling; fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 25));
  }
}
