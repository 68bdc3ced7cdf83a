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
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { POLL, SESSION_REVOKED } from '../__testUtils__/specUris';
import { callerOf, TestServer } from '../__testUtils__/testBackend';
import {
  receiverConfig,
  push,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';
import { ssfPlugin } from '../plugin';

jest.setTimeout(60_000);

const ADMIN = 'user:default/ssf-admin';
// Holds ssf.stream.read and ssf.provider.read, nothing that changes anything.
const VIEWER = 'user:default/viewer';
const OUTSIDER = 'user:default/outsider';
const ACTIONS = '/api/ssf/.backstage/actions/v1/actions';

describeOnEachDatabase('SSF actions', (databases, id) => {
  const cleanUp = useCleanups();

  async function start() {
    const knex = await databases.init(id);
    const decisions: Array<{ user: string; permission: string }> = [];
    const backend = await startTestBackend({
      features: [
        ssfPlugin,
        // The real registry, which serves the invoke routes the MCP actions
        // backend calls, and the real actions service.
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mockServices.database.factory({ knex }),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            ...receiverConfig(),
          },
        }),
        // Per-user decisions, so the actions' own checks are what refuses.
        createServiceFactory({
          service: coreServices.permissions,
          deps: {},
          factory: () => ({
            async authorize(requests: any[], options: any) {
              const user = options.credentials.principal.userEntityRef;
              return requests.map(r => {
                decisions.push({ user, permission: r.permission.name });
                const allowed =
                  user === ADMIN ||
                  (user === VIEWER && r.permission.name.endsWith('.read'));
                return {
                  result: allowed
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
                };
              });
            },
            async authorizeConditional(requests: any[]) {
              return requests.map(() => ({ result: AuthorizeResult.DENY }));
            },
          }),
        }),
      ],
    });
    cleanUp(() => backend.stop());
    return { backend, server: backend.server, knex, decisions };
  }

  /** Requests as the portal user `user`. */
  const asUser = (server: TestServer, user = ADMIN) =>
    callerOf(server, mockCredentials.user.header(user));

  /** Invokes an action as the MCP actions backend does: POST …/invoke for a user. */
  const invoke = (
    server: TestServer,
    name: string,
    input: Record<string, unknown>,
    user = ADMIN,
  ) => asUser(server, user)('post', `${ACTIONS}/ssf:${name}/invoke`, input);

  it('lists the actions', async () => {
    const { server } = await start();
    const res = await asUser(server)('get', ACTIONS);
    expect(res.status).toBe(200);
    const actions = res.body.actions as Array<{
      id: string;
      attributes: { readOnly: boolean };
    }>;
    expect(actions.map(a => a.id).sort()).toEqual([
      'ssf:create-provider',
      'ssf:create-stream',
      'ssf:list-received-events',
      'ssf:list-streams',
      'ssf:update-stream-status',
      'ssf:verify-stream',
    ]);
    const readOnly = actions.filter(a => a.attributes.readOnly).map(a => a.id);
    expect(readOnly.sort()).toEqual([
      'ssf:list-received-events',
      'ssf:list-streams',
    ]);
  });

  it('creates, verifies, pauses and lists streams, with the routes\u2019 permissions', async () => {
    const { server, knex, decisions } = await start();
    const created = await invoke(server, 'create-stream', {
      client_id: 'receiver-a',
      delivery: { method: POLL },
      events_requested: [SESSION_REVOKED],
      description: 'made by an agent',
    });
    expect(created.status).toBe(200);
    const stream = created.body.output.stream;
    expect(stream).toMatchObject({
      delivery: { method: POLL },
      events_requested: [SESSION_REVOKED],
      description: 'made by an agent',
    });
    // Owned by the receiver named, as when an admin creates it over HTTP.
    const row = await knex('ssf_streams')
      .where({ stream_id: stream.stream_id })
      .first();
    expect(row.client_id).toBe('receiver-a');
    expect(decisions).toContainEqual({
      user: ADMIN,
      permission: 'ssf.stream.manage',
    });

    // The create route's own validation applies.
    const invalid = await invoke(server, 'create-stream', {
      delivery: { method: 'urn:example:carrier-pigeon' },
    });
    expect(invalid.status).toBe(400);

    const verified = await invoke(server, 'verify-stream', {
      stream_id: stream.stream_id,
      state: 'agent-check',
    });
    expect(verified.status).toBe(200);
    expect(verified.body.output).toEqual({
      stream_id: stream.stream_id,
      requested: true,
    });
    // Within min_verification_interval: refused as the route refuses it.
    const again = await invoke(server, 'verify-stream', {
      stream_id: stream.stream_id,
    });
    expect(again.status).toBe(429);

    const paused = await invoke(server, 'update-stream-status', {
      stream_id: stream.stream_id,
      status: 'paused',
      reason: 'maintenance window',
    });
    expect(paused.status).toBe(200);
    expect(paused.body.output).toEqual({
      previous: { stream_id: stream.stream_id, status: 'enabled' },
      current: {
        stream_id: stream.stream_id,
        status: 'paused',
        reason: 'maintenance window',
      },
    });

    // Delivery health, as the admin page shows it: the verification SET
    // and the stream-updated SET are waiting, held by the pause.
    const listed = await invoke(server, 'list-streams', {}, VIEWER);
    expect(listed.status).toBe(200);
    expect(listed.body.output.streams).toEqual([
      expect.objectContaining({
        stream_id: stream.stream_id,
        client_id: 'receiver-a',
        status: 'paused',
        reason: 'maintenance window',
        delivery_method: POLL,
        stats: { pending: 0, held: 2, delivered: 0, dead: 0, dropped: 0 },
      }),
    ]);

    // A viewer may read but not change; an outsider may do neither.
    const viewerCreate = await invoke(
      server,
      'update-stream-status',
      { stream_id: stream.stream_id, status: 'disabled' },
      VIEWER,
    );
    expect(viewerCreate.status).toBe(403);
    expect(viewerCreate.body.error.message).toMatch(/ssf\.stream\.manage/);
    const outsiderList = await invoke(server, 'list-streams', {}, OUTSIDER);
    expect(outsiderList.status).toBe(403);
    expect(
      (await knex('ssf_streams').where({ stream_id: stream.stream_id }).first())
        .status,
    ).toBe('paused');
  });

  it('creates a provider and lists what it sent', async () => {
    const { server } = await start();
    const t = await TestTransmitter.start();
    cleanUp(() => t.close());
    const refused = await invoke(
      server,
      'create-provider',
      {
        name: 'Agent provider',
        type: 'ssf',
        settings: { issuer: t.issuer, jwks_url: t.jwksUrl },
      },
      VIEWER,
    );
    expect(refused.status).toBe(403);

    const created = await invoke(server, 'create-provider', {
      name: 'Agent provider',
      type: 'ssf',
      settings: { issuer: t.issuer, jwks_url: t.jwksUrl },
    });
    expect(created.status).toBe(200);
    const provider = created.body.output.provider;
    expect(provider).toMatchObject({
      name: 'Agent provider',
      status: 'ACTIVE',
      settings: { issuer: t.issuer, jwks_url: t.jwksUrl },
    });

    await push(server, await t.sign()).expect(202);
    await push(server, await t.sign()).expect(202);

    const page = await invoke(
      server,
      'list-received-events',
      { provider_id: provider.id, event_type: SESSION_REVOKED, limit: 1 },
      VIEWER,
    );
    expect(page.status).toBe(200);
    expect(page.body.output.items).toHaveLength(1);
    expect(page.body.output.items[0]).toMatchObject({
      provider_id: provider.id,
      iss: t.issuer,
      event_type: SESSION_REVOKED,
    });
    const next = await invoke(
      server,
      'list-received-events',
      { provider_id: provider.id, cursor: page.body.output.next_cursor },
      VIEWER,
    );
    expect(next.body.output.items).toHaveLength(1);
    expect(next.body.output).not.toHaveProperty('next_cursor');
    expect(next.body.output.items[0].id).not.toBe(page.body.output.items[0].id);

    const outsider = await invoke(server, 'list-received-events', {}, OUTSIDER);
    expect(outsider.status).toBe(403);
  });

  it('refuses a service principal with no user behind it', async () => {
    const { server } = await start();
    const res = await callerOf(server, mockCredentials.service.header())(
      'post',
      `${ACTIONS}/ssf:list-streams/invoke`,
      {},
    );
    expect(res.status).toBe(403);
  });
});
