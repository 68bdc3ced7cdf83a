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

// The controllable RFC 8935 push receiver of `yarn test:robustness`, run in
// its own process (robustness/receiverControl.ts forks it) so that neither
// its event loop nor its faults are shared with the transmitter under test.
//
// The parent steers it over IPC:
//   up / down        listen on the port again / close it and every socket
//                    (the transmitter then sees connection refused)
//   slow {ms}        answer only after `ms` (beyond the transmitter's timeout)
//   flap             answer every other request 503
//   answer-400       refuse SETs whose subject ID starts with `reject-` with
//                    400 and an RFC 8935 error body
//   202              answer every SET 202 again (clears slow/flap/400)
//   latency {ms}     a normal receiver that takes `ms` to answer
//   report / reset   the per-jti counts / clear them
//
// What it counts, per jti: deliveries (a 2xx written to a request whose
// client was still there), and requests for one jti that overlapped in time
// ("concurrent duplicates": two workers pushing one SET at once, which
// leases must prevent). A request the client gave up on (a timeout, a killed
// transmitter) is not a delivery, so a retry after it is not a duplicate; a
// retry after a 2xx the transmitter never recorded is a sequential
// "redelivery", which RFC 8935's at-least-once delivery allows.

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { Command, runChild } from './child';

const REJECT_PREFIX = 'reject-';

type Behaviour =
  | { kind: 'ok' }
  | { kind: 'slow'; ms: number }
  | { kind: 'flap' }
  | { kind: 'reject' };

let behaviour: Behaviour = { kind: 'ok' };
let latencyMs = 0;
let flapCounter = 0;

const delivered = new Map<string, number>();
const inFlight = new Map<string, number>();
const duplicateJtis = new Set<string>();
let concurrentDuplicates = 0;
let requests = 0;
let aborted = 0;
let answered5xx = 0;
let answered400 = 0;

function parse(jws: string): { jti: string; subject: string } {
  try {
    const payload = JSON.parse(
      Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString(),
    );
    return { jti: String(payload.jti), subject: String(payload.sub_id?.id) };
  } catch {
    return { jti: '', subject: '' };
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    requests += 1;
    const { jti, subject } = parse(Buffer.concat(chunks).toString());
    const overlapping = inFlight.get(jti) ?? 0;
    if (overlapping > 0) {
      concurrentDuplicates += 1;
      duplicateJtis.add(jti);
    }
    inFlight.set(jti, overlapping + 1);

    let finished = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      if (finished) return false;
      finished = true;
      clearTimeout(timer);
      inFlight.set(jti, (inFlight.get(jti) ?? 1) - 1);
      return true;
    };
    // The client went away before an answer: not delivered.
    res.on('close', () => {
      if (finish()) aborted += 1;
    });

    const answer = (status: number, body = '') => {
      if (finished || res.destroyed) return;
      finish();
      if (status >= 200 && status < 300) {
        delivered.set(jti, (delivered.get(jti) ?? 0) + 1);
      } else if (status === 400) {
        answered400 += 1;
      } else {
        answered5xx += 1;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    };

    const current = behaviour;
    let status = 202;
    let body = '';
    let delay = latencyMs;
    if (current.kind === 'slow') {
      delay = current.ms;
    } else if (current.kind === 'flap') {
      flapCounter += 1;
      if (flapCounter % 2 === 1) status = 503;
    } else if (current.kind === 'reject' && subject.startsWith(REJECT_PREFIX)) {
      status = 400;
      body = JSON.stringify({
        err: 'invalid_request',
        description: 'robustness: subject refused',
      });
    }
    if (delay > 0) {
      timer = setTimeout(() => answer(status, body), delay);
    } else {
      answer(status, body);
    }
  });
});
server.keepAliveTimeout = 5000;

let port = 0;

function listen(): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as AddressInfo).port;
      resolve();
    });
  });
}

function close(): Promise<void> {
  return new Promise(resolve => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    // Keep-alive and in-flight sockets too: "down" means nothing answers.
    server.closeAllConnections();
  });
}

async function handle(message: Command): Promise<unknown> {
  switch (message.cmd) {
    case 'up':
      if (!server.listening) await listen();
      return { port };
    case 'down':
      await close();
      return {};
    case 'slow':
      behaviour = { kind: 'slow', ms: message.ms ?? 2000 };
      return {};
    case 'flap':
      flapCounter = 0;
      behaviour = { kind: 'flap' };
      return {};
    case 'answer-400':
      behaviour = { kind: 'reject' };
      return {};
    case '202':
      behaviour = { kind: 'ok' };
      return {};
    case 'latency':
      latencyMs = message.ms ?? 0;
      return {};
    case 'report':
      return {
        delivered: Object.fromEntries(delivered),
        concurrentDuplicates,
        duplicateJtis: [...duplicateJtis].slice(0, 20),
        requests,
        aborted,
        answered5xx,
        answered400,
      };
    case 'reset':
      delivered.clear();
      inFlight.clear();
      duplicateJtis.clear();
      concurrentDuplicates = 0;
      requests = aborted = answered5xx = answered400 = 0;
      behaviour = { kind: 'ok' };
      latencyMs = 0;
      return {};
    case 'exit':
      await close();
      setImmediate(() => process.exit(0));
      return {};
    default:
      throw new Error(`unknown command ${message.cmd}`);
  }
}

runChild(async () => {
  await listen();
  return { port };
}, handle);
