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

// The receiver side of `yarn bench:delivery`, in its own process so that it
// does not share the transmitter's event loop: an RFC 8935 push endpoint that
// answers 202 and records when each SET arrived. The parent asks for the
// arrivals over IPC.

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const arrivals = new Map<string, number>();
let duplicates = 0;

function jtiOf(jws: string): string {
  const payload = jws.split('.')[1] ?? '';
  try {
    return String(JSON.parse(Buffer.from(payload, 'base64url').toString()).jti);
  } catch {
    return '';
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    const jti = jtiOf(Buffer.concat(chunks).toString());
    if (arrivals.has(jti)) duplicates += 1;
    arrivals.set(jti, performance.timeOrigin + performance.now());
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
    process.send!({ count: arrivals.size });
  } else if (message.type === 'report') {
    process.send!({ arrivals: Object.fromEntries(arrivals), duplicates });
  } else if (message.type === 'reset') {
    arrivals.clear();
    duplicates = 0;
    process.send!({ reset: true });
  } else if (message.type === 'exit') {
    server.close();
    process.exit(0);
  }
});
