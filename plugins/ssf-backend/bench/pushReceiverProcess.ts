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

// What the benchmarks' receiver processes share: an RFC 8935 push endpoint
// on 127.0.0.1 that answers 202 to every SET, and the IPC commands the
// parent sends (harness.ts, forkReceiver): count, report, reset and exit.

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Serves push requests in this (forked) process: `received` is given each
 * request body, and the time its last byte came (milliseconds since the
 * epoch, as `performance` measures), before the 202 goes out; `count` and
 * `report` answer the
 * parent's commands of those names, and `reset` forgets what was received.
 * The first message to the parent is `{port}`.
 */
export function servePushReceiver(receiver: {
  received(body: string, endedAt: number): void;
  count(): object;
  report(): object;
  reset(): void;
}) {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const endedAt = performance.timeOrigin + performance.now();
      receiver.received(Buffer.concat(chunks).toString(), endedAt);
      res.writeHead(202);
      res.end();
    });
  });
  server.keepAliveTimeout = 30_000;

  server.listen(0, '127.0.0.1', () => {
    process.send!({ port: (server.address() as AddressInfo).port });
  });

  process.on('message', (message: { type: string }) => {
    if (message.type === 'count') {
      process.send!(receiver.count());
    } else if (message.type === 'report') {
      process.send!(receiver.report());
    } else if (message.type === 'reset') {
      receiver.reset();
      process.send!({ reset: true });
    } else if (message.type === 'exit') {
      server.close();
      process.exit(0);
    }
  });
}

/** The payload of a compact JWS, parsed, or undefined if it is not JSON. */
export function claimsOf(jws: string): any {
  const payload = jws.split('.')[1] ?? '';
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    return undefined;
  }
}
