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

// `yarn bench:relay`: received-to-relayed SETs per second and latency on
// PostgreSQL. One portal backend (the SSF plugin on the full Backstage HTTP
// stack, startTestBackend) relays session-revoked from one provider to one
// push stream; the bench pushes pre-signed SETs from that provider at a fixed
// concurrency and a receiver in its own process records when each relayed
// SET arrives, matched by its `txn`. A relayed SET costs one verify (the
// received SET) and one sign (ours), so the same run measures raw jose
// verify and sign on one thread as the ceiling.
//
// Options (all optional): --sets N (default 2000), --concurrency C (16),
// --raw-seconds S (2), --pg URL.

import { startTestBackend } from '@backstage/backend-test-utils';
import {
  CompactSign,
  compactVerify,
  exportJWK,
  generateKeyPair,
  KeyLike,
  SignJWT,
} from 'jose';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ssfBackendFeatures } from '../src/__testUtils__/ssfBackendFeatures';
import {
  arg,
  forkReceiver,
  openDatabase,
  percentile,
  pgUrlOption,
  waitUntil,
} from './harness';

const AUDIENCE = 'https://portal.bench.example/receiver';
const ISSUER = 'https://portal.bench.example/api/ssf';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const WARMUP = 200;

const options = {
  sets: Number(arg('sets', '2000')),
  concurrency: Number(arg('concurrency', '16')),
  rawSeconds: Number(arg('raw-seconds', '2')),
  pgUrl: pgUrlOption(),
};

const now = () => performance.timeOrigin + performance.now();

/** How many times `op` completes per second, one at a time, for `seconds`. */
async function ratePerSecond(
  op: (i: number) => Promise<unknown>,
  seconds: number,
) {
  const end = Date.now() + seconds * 1000;
  let n = 0;
  const started = now();
  while (Date.now() < end) {
    for (let i = 0; i < 20; i++) await op(n++);
  }
  return n / ((now() - started) / 1000);
}

/** The provider: its key, a JWKS endpoint on loopback, and SETs it signed. */
async function startProvider() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = randomUUID();
  const jwk = {
    ...(await exportJWK(publicKey)),
    kid,
    alg: 'RS256',
    use: 'sig',
  };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}/provider`;
  const sign = (txn: string) =>
    new SignJWT({
      iss: issuer,
      aud: AUDIENCE,
      jti: randomUUID(),
      iat: Math.floor(Date.now() / 1000),
      txn,
      sub_id: { format: 'email', email: `user-${txn}@example.com` },
      events: {
        [SESSION_REVOKED]: {
          event_timestamp: Math.floor(Date.now() / 1000),
          initiating_entity: 'policy',
        },
      },
    })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'secevent+jwt' })
      .sign(privateKey as KeyLike);
  return {
    issuer,
    jwksUrl: `${origin}/jwks`,
    publicKey,
    sign,
    close: () => new Promise(r => server.close(r)),
  };
}

async function main() {
  const provider = await startProvider();
  console.log(`Signing ${options.sets + WARMUP} provider SETs …`);
  const sets: Array<{ txn: string; jws: string }> = [];
  for (let i = 0; i < options.sets + WARMUP; i++) {
    const txn = `bench-${i}`;
    sets.push({ txn, jws: await provider.sign(txn) });
  }

  // The ceiling: a relayed SET is one verify and one sign.
  const verifyRate = await ratePerSecond(
    i => compactVerify(sets[i % sets.length].jws, provider.publicKey),
    options.rawSeconds,
  );
  const { privateKey: ourKey } = await generateKeyPair('RS256');
  const payload = new TextEncoder().encode(
    Buffer.from(sets[0].jws.split('.')[1], 'base64url').toString(),
  );
  const signRate = await ratePerSecond(
    () =>
      new CompactSign(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'secevent+jwt' })
        .sign(ourKey),
    options.rawSeconds,
  );

  const receiver = await forkReceiver<
    { count: number },
    { arrivals: Record<string, number>; duplicates: number }
  >('relayReceiver.ts');
  const { knex, drop } = await openDatabase('pg', { pgUrl: options.pgUrl });
  const backend = await startTestBackend({
    features: ssfBackendFeatures({
      knex,
      config: {
        ssf: {
          transmitter: {
            issuer: ISSUER,
            delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
          },
          receiver: {
            audience: AUDIENCE,
            allowInsecureUrls: true,
            allowPrivateNetworks: true,
          },
        },
      },
    }),
  });
  const base = `http://127.0.0.1:${backend.server.port()}/api/ssf`;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        // The mock auth service's: a receiver whose client ID is `bench`.
        Authorization: `Bearer mock-service-token:${JSON.stringify({
          sub: 'bench',
        })}`,
      },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) {
      throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    }
    return res.json();
  };
  const push = (jws: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        `${base}/security-events`,
        {
          method: 'POST',
          agent,
          headers: {
            'Content-Type': 'application/secevent+jwt',
            Accept: 'application/json',
          },
        },
        res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(jws);
    });

  try {
    // Provider and rule are admin routes (a user: the mock's default
    // credentials when no header is sent); the stream is a receiver's.
    const admin = (method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async res => {
        if (res.status >= 300) {
          throw new Error(
            `${method} ${path}: ${res.status} ${await res.text()}`,
          );
        }
        return res.json();
      });
    const registered = await admin('POST', '/security-events-providers', {
      name: 'bench',
      type: 'ssf',
      settings: { issuer: provider.issuer, jwks_url: provider.jwksUrl },
    });
    await admin('PUT', `/security-events-providers/${registered.id}/relay`, {
      event_types: [SESSION_REVOKED],
    });
    await call('POST', '/streams', {
      delivery: { method: 'urn:ietf:rfc:8935', endpoint_url: receiver.url },
      events_requested: [SESSION_REVOKED],
      aud: 'downstream',
    });

    const run = async (batch: typeof sets) => {
      const started = new Map<string, number>();
      let next = 0;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (next < batch.length) {
            const set = batch[next++];
            started.set(set.txn, now());
            const status = await push(set.jws);
            if (status !== 202) throw new Error(`push answered ${status}`);
          }
        }),
      );
      await waitUntil(
        async () => (await receiver.count()).count >= batch.length,
        120_000,
      );
      return started;
    };

    await run(sets.slice(0, WARMUP));
    await receiver.reset();

    const started = await run(sets.slice(WARMUP));
    const { arrivals, duplicates } = await receiver.report();
    const latencies = [...started]
      .map(([txn, at]) => arrivals[txn] - at)
      .sort((x, y) => x - y);
    const first = Math.min(...started.values());
    const last = Math.max(...Object.values(arrivals));
    const rate = options.sets / ((last - first) / 1000);
    const ceiling = 1 / (1 / verifyRate + 1 / signRate);

    console.log(
      `\nPostgreSQL, RS256, ${options.sets} SETs at concurrency ${options.concurrency}` +
        ` (duplicates at the receiver: ${duplicates})`,
    );
    console.table([
      {
        'raw verify/s (1 thread)': Math.round(verifyRate),
        'raw sign/s (1 thread)': Math.round(signRate),
        'verify+sign/s (1 thread)': Math.round(ceiling),
        'relayed SETs/s': Math.round(rate),
        'ratio to verify': +(rate / verifyRate).toFixed(2),
        'ratio to sign': +(rate / signRate).toFixed(2),
        'ratio to verify+sign': +(rate / ceiling).toFixed(2),
        'p50 ms': +percentile(latencies, 50).toFixed(1),
        'p99 ms': +percentile(latencies, 99).toFixed(1),
      },
    ]);
  } finally {
    agent.destroy();
    receiver.stop();
    await backend.stop();
    await drop();
    await provider.close();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
