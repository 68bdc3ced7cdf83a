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

import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import permissionPlugin from '@backstage/plugin-permission-backend';
// The module is tested with the real SSF backend asking for its decisions.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ssfPlugin from '@shared-signals/plugin-ssf-backend';
import request from 'supertest';
import { permissionModuleSsfPolicy } from './module';

jest.setTimeout(60_000);

// The module installed as a portal installs it: the real permission backend
// and permissions service, the SSF plugin asking them for its decisions.
describe('permissionModuleSsfPolicy', () => {
  async function start(ssfPermissions: object) {
    return startTestBackend({
      features: [
        permissionPlugin,
        permissionModuleSsfPolicy,
        ssfPlugin,
        permissionsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            permission: { enabled: true },
            ssf: { permissions: ssfPermissions },
          },
        }),
      ],
    });
  }
  const as = (ref: string) => mockCredentials.user.header(ref);

  it('lets only the configured admins manage SSF, and other permissions through', async () => {
    const { server } = await start({ adminGroups: ['user:default/alice'] });
    const alice = await request(server)
      .get('/api/ssf/admin/streams')
      .set('Authorization', as('user:default/alice'));
    expect(alice.status).toBe(200);
    const guest = await request(server)
      .get('/api/ssf/admin/streams')
      .set('Authorization', as('user:default/guest'));
    expect(guest.status).toBe(403);
    const hijack = await request(server)
      .post('/api/ssf/streams')
      .set('Authorization', as('user:default/guest'))
      .send({ client_id: 'receiver-a' });
    expect(hijack.status).toBe(403);
    expect(hijack.body.error.message).toMatch(/ssf.stream.manage/);
  });

  it('refuses a bad otherPermissions value at startup', async () => {
    await expect(start({ otherPermissions: 'maybe' })).rejects.toThrow(
      /otherPermissions must be 'allow' or 'deny'/,
    );
  });
});
