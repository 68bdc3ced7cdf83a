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

import {
  createBackendPlugin,
  coreServices,
} from '@backstage/backend-plugin-api';
import { ssfTransmitterServiceRef } from '@shared-signals/plugin-ssf-node';
import { createTestDatabases } from '../__testUtils__/databases';
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import { clientAuth, startSsfBackend } from '../__testUtils__/testBackend';
import { startTransmitter } from './__testUtils__/transmitterBackend';

jest.setTimeout(60_000);

describe('ssfTransmitterServiceRef', () => {
  const databases = createTestDatabases();

  it('lets another backend plugin emit through the SSF plugin, refusing invalid events', async () => {
    const outcomes: unknown[] = [];
    // A plugin of the host portal (an HR sync, say) that sends an event at start.
    const hrPlugin = createBackendPlugin({
      pluginId: 'hr-sync',
      register(env) {
        env.registerInit({
          deps: {
            ssf: ssfTransmitterServiceRef,
            lifecycle: coreServices.lifecycle,
          },
          async init({ ssf, lifecycle }) {
            lifecycle.addStartupHook(async () => {
              outcomes.push(
                await ssf.emit({
                  type: SESSION_REVOKED,
                  subject: { format: 'email', email: 'leaver@example.com' },
                  payload: { initiating_entity: 'system' },
                }),
              );
              outcomes.push(
                await ssf
                  .emit({
                    type: SESSION_REVOKED,
                    subject: { format: 'email', email: 'not an email' },
                  })
                  .catch(e => e),
              );
            });
          },
        });
      },
    });

    const knex = await databases.init('SQLITE_3');
    // The stream exists before the HR plugin starts emitting.
    const setup = await startTransmitter({ databases, id: 'SQLITE_3', knex });
    await setup.api.createStream(clientAuth('client-a'), {
      events_requested: [SESSION_REVOKED],
    });
    await setup.backend.stop();

    const { backend } = await startSsfBackend({
      databases,
      id: 'SQLITE_3',
      knex,
      extraFeatures: [hrPlugin],
    });
    await backend.stop();

    expect(outcomes[0]).toEqual({
      txn: expect.any(String),
      sets: [{ streamId: expect.any(String), jti: expect.any(String) }],
    });
    expect(outcomes[1]).toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(
        /^The SSF transmitter refused the event: .*email/,
      ),
    });
    const [row] = await knex('ssf_outbox');
    expect(row.event_type).toBe(SESSION_REVOKED);
  });
});
