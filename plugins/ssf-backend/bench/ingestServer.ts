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

// The backend side of `yarn bench:ingest`, in its own process so that its
// RSS is the backend's alone: the SSF plugin on the full Backstage HTTP stack
// (startTestBackend: the real root HTTP router and middleware, mock auth),
// on SQLite or PostgreSQL, with one provider whose JWKS the bench serves.

import { startTestBackend } from '@backstage/backend-test-utils';
import { ssfBackendFeatures } from '../src/__testUtils__/ssfBackendFeatures';
import { openDatabase } from './harness';

interface Options {
  db: 'sqlite' | 'pg';
  pgUrl: string;
  issuer: string;
  jwksUrl: string;
  audience: string;
}

async function main() {
  const options: Options = JSON.parse(process.argv[2]);
  const { knex, drop } = await openDatabase(options.db, {
    pgUrl: options.pgUrl,
    sqliteFile: true,
    sqliteWal: true,
  });
  // The permissions mock allows, as startTestBackend's default one does.
  const backend = await startTestBackend({
    features: ssfBackendFeatures({
      knex,
      config: {
        ssf: {
          receiver: {
            audience: options.audience,
            allowInsecureUrls: true,
            allowPrivateNetworks: true,
          },
        },
      },
    }),
  });
  const port = backend.server.port();
  const res = await fetch(
    `http://127.0.0.1:${port}/api/ssf/security-events-providers`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'bench',
        type: 'ssf',
        settings: { issuer: options.issuer, jwks_url: options.jwksUrl },
      }),
    },
  );
  if (res.status !== 200) {
    throw new Error(`creating the provider failed: ${await res.text()}`);
  }

  const count = async () => {
    const [{ n }] = await knex('ssf_received_events').count({ n: '*' });
    return Number(n);
  };
  // CPU time since the bench's 'mark': the event loop's thread alone, and
  // the whole process (signature checks run on libuv's thread pool).
  let mark = { main: process.threadCpuUsage(), all: process.cpuUsage() };
  const micros = (u: NodeJS.CpuUsage) => u.user + u.system;
  process.on('message', async (message: { type: string }) => {
    if (message.type === 'mark') {
      mark = { main: process.threadCpuUsage(), all: process.cpuUsage() };
      process.send!({ type: 'marked' });
    } else if (message.type === 'stats') {
      process.send!({
        type: 'stats',
        rss: process.memoryUsage().rss,
        stored: await count(),
        cpuMainMicros: micros(process.threadCpuUsage(mark.main)),
        cpuAllMicros: micros(process.cpuUsage(mark.all)),
      });
    } else if (message.type === 'stop') {
      await backend.stop();
      await drop();
      process.send!({ type: 'stopped' });
      process.exit(0);
    }
  });
  process.send!({ type: 'ready', port });
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
