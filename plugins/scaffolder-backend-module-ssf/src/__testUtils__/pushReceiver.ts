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

import http from 'node:http';
import { AddressInfo } from 'node:net';

/** One push the test receiver got, with the SET's payload decoded (not verified). */
export interface ReceivedSet {
  authorization?: string;
  payload: {
    jti?: string;
    events?: Record<string, Record<string, unknown>>;
  };
}

/**
 * A minimal RFC 8935 push receiver on 127.0.0.1 that records every SET and
 * answers 202 (a trimmed copy of the SSF backend's own test receiver).
 */
export async function startPushReceiver() {
  const received: ReceivedSet[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const jws = Buffer.concat(chunks).toString('utf8');
      let payload = {};
      try {
        payload = JSON.parse(
          Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8'),
        );
      } catch {
        // not a SET; recorded with an empty payload
      }
      received.push({ authorization: req.headers.authorization, payload });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

/** Waits until `check` returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}
