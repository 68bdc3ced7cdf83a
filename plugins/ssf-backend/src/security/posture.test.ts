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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { captureLogs } from '../__testUtils__/capturedLogs';
import { createTestDatabases } from '../__testUtils__/databases';
import { startSsfBackend, userAuth } from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const GUEST = 'user:default/guest';

// The mock permissions service answers ALLOW to everyone: create-app's
// allow-all policy, as many portals keep it.
describe.each(createTestDatabases().eachSupportedId())(
  'the permission posture on %p',
  id => {
    const databases = createTestDatabases();

    async function start(
      config: object,
      permission:
        | AuthorizeResult.ALLOW
        | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
    ) {
      const logs = captureLogs();
      const started = await startSsfBackend({
        databases,
        id,
        permission,
        config,
        extraFeatures: [logs.factory],
      });
      const posture = async (user: string) =>
        (
          await request(started.server)
            .get('/api/ssf/admin/security-posture')
            .set('Authorization', userAuth(user))
        ).body;
      return { ...started, logs, posture };
    }

    it('warns a user outside the SSF admin groups who may manage SSF, on the page and once in the log', async () => {
      const { server, logs, posture } = await start({
        permission: { enabled: true },
        ssf: { permissions: { adminGroups: [ALICE] } },
      });
      const guest = await posture(GUEST);
      expect(guest).toMatchObject({
        permissions_enabled: true,
        admin_groups: [ALICE],
        caller: { in_admin_groups: false, may_manage: true },
      });
      expect(guest.warnings.map((w: { id: string }) => w.id)).toEqual([
        'non-admin-can-manage',
      ]);
      expect((await posture(ALICE)).warnings).toEqual([]);

      // The guest changing a stream is what the warning is about: logged once.
      for (const _ of [1, 2]) {
        await request(server)
          .post('/api/ssf/streams/status')
          .set('Authorization', userAuth(GUEST))
          .send({ stream_id: 'nope', status: 'paused' });
      }
      const warned = logs.lines.filter(l =>
        l.includes(`${GUEST} is not in the SSF admin groups`),
      );
      expect(warned).toHaveLength(1);
    });

    it('says when the permission framework is disabled, at startup and on the page', async () => {
      const { logs, posture } = await start({});
      expect(
        logs.lines.some(l =>
          l.includes('the permission framework is disabled'),
        ),
      ).toBe(true);
      const alice = await posture(ALICE);
      expect(alice.permissions_enabled).toBe(false);
      expect(alice.warnings.map((w: { id: string }) => w.id)).toContain(
        'permissions-disabled',
      );
    });

    it('stays quiet when the policy keeps SSF to its admins', async () => {
      const { logs, posture } = await start(
        { permission: { enabled: true } },
        AuthorizeResult.DENY,
      );
      const guest = await posture(GUEST);
      expect(guest.caller).toEqual({
        in_admin_groups: false,
        may_manage: false,
      });
      expect(guest.warnings).toEqual([]);
      expect(logs.lines.some(l => l.includes('SSF admin groups'))).toBe(false);
    });
  },
);
