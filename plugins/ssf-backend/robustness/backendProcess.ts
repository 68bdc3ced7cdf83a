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

// The whole SSF plugin on Backstage's HTTP stack (startTestBackend: the real
// root router and middleware, mock auth and permissions) on a fresh
// PostgreSQL database, in its own process, for the HTTP part of the load
// run. Answers id 0 with {port} once listening, and 'stop'.

import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ssfPlugin } from '../src/plugin';
import { openDatabase } from './setup';

async function main() {
  const { pgUrl, audience } = JSON.parse(process.argv[2]);
  const database = await openDatabase('pg', pgUrl);
  const backend = await startTestBackend({
    features: [
      ssfPlugin,
      mockServices.database.factory({ knex: database.knex }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          ssf: {
            receiver: {
              audience,
              allowInsecureUrls: true,
              allowPrivateNetworks: true,
            },
          },
        },
      }),
    ],
  });
  process.on('message', (m: any) => {
    if (m?.cmd !== 'stop') return;
    backend
      .stop()
      .then(() => database.drop())
      .then(
        () => process.send!({ id: m.id, result: true }),
        error => process.send!({ id: m.id, error: String(error) }),
      )
      // Handles the test backend leaves open would keep the process alive.
      .finally(() => setTimeout(() => process.exit(0), 100));
  });
  process.send!({ id: 0, result: { port: backend.server.port() } });
}

main().catch((error: any) => {
  process.send?.({ id: 0, error: String(error?.stack ?? error) });
  process.exit(1);
});
