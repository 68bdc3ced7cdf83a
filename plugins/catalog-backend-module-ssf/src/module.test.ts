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
  BackstageCredentials,
  BackstageUserPrincipal,
  coreServices,
  createServiceFactory,
  PermissionsService,
  PermissionsServiceRequestOptions,
} from '@backstage/backend-plugin-api';
import { mockCredentials, TestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import {
  readSsfPermissionGroups,
  SsfPermissionPolicy,
} from '@shared-signals/plugin-permission-backend-module-ssf-policy';
import request from 'supertest';
import {
  ADMIN,
  componentLocation,
  databases,
  RECEIVER,
  startPortal,
  waitFor,
} from './__testUtils__/portal';

jest.setTimeout(120_000);

// Spec literals, written out (RFC 8936 poll delivery; CAEP 1.0 event types).
const POLL = 'urn:ietf:rfc:8936';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CREDENTIAL_CHANGE =
  'https://schemas.openid.net/secevent/caep/event-type/credential-change';

describe.each(databases.eachSupportedId())(
  'the SSF entity provider on %p',
  id => {
    let backend: TestBackend;
    let refresh: () => Promise<void>;
    let catalogEntity: (name: string) => Promise<any>;

    beforeAll(async () => {
      const portal = await startPortal(id, {
        config: {
          catalog: {
            providers: { ssf: { system: 'system:default/security-signals' } },
          },
        },
      });
      backend = portal.backend;
      refresh = portal.refresh;
      catalogEntity = portal.entity;
    });

    afterAll(async () => {
      await backend?.stop();
    });

    it('publishes a stream, updates it when it changes and removes it when it is deleted', async () => {
      const created = await request(backend.server)
        .post('/api/ssf/streams')
        .set('Authorization', RECEIVER)
        .send({
          delivery: { method: POLL },
          events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
          description: 'Sessions for the HR app',
        });
      expect(created.status).toBe(201);
      const streamId: string = created.body.stream_id;
      const name = `ssf-stream-${streamId}`;

      await refresh();
      const entity = await waitFor('the stream entity', () =>
        catalogEntity(name),
      );
      expect(entity).toMatchObject({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name,
          namespace: 'default',
          title: 'Sessions for the HR app',
          annotations: {
            'shared-signals/stream-id': streamId,
            'backstage.io/managed-by-location': expect.stringMatching(
              /^url:http:\/\/localhost:\d+\/api\/ssf\/catalog\/entities$/,
            ),
          },
          tags: ['ssf', 'poll', 'enabled'],
          links: [
            {
              url: `http://portal.example.com/ssf/streams/${streamId}`,
              title: 'Stream in the Shared Signals admin page',
            },
          ],
        },
        spec: {
          type: 'ssf-stream',
          owner: 'group:default/ssf-admins',
          system: 'system:default/security-signals',
          ssf: {
            status: 'enabled',
            deliveryMethod: POLL,
            receiverClientId: 'client-a',
            eventTypes: [CREDENTIAL_CHANGE, SESSION_REVOKED],
          },
        },
      });
      // The catalog's own processing made the owner and system relations.
      expect(entity.relations).toEqual(
        expect.arrayContaining([
          { type: 'ownedBy', targetRef: 'group:default/ssf-admins' },
          { type: 'partOf', targetRef: 'system:default/security-signals' },
        ]),
      );

      const paused = await request(backend.server)
        .post('/api/ssf/streams/status')
        .set('Authorization', RECEIVER)
        .send({ stream_id: streamId, status: 'paused', reason: 'maintenance' });
      expect(paused.status).toBe(200);
      await refresh();
      await waitFor('the paused tag', async () => {
        const e = await catalogEntity(name);
        return e?.metadata.tags.includes('paused') ? e : undefined;
      });

      const deleted = await request(backend.server)
        .delete('/api/ssf/streams')
        .query({ stream_id: streamId })
        .set('Authorization', RECEIVER);
      expect(deleted.status).toBe(204);
      await refresh();
      await waitFor('the stream entity to go', async () =>
        (await catalogEntity(name)) ? undefined : true,
      );
    });

    it('publishes a provider and removes it when it is deleted', async () => {
      const created = await request(backend.server)
        .post('/api/ssf/security-events-providers')
        .set('Authorization', ADMIN)
        .send({
          name: 'Okta production',
          type: 'okta',
          settings: {
            issuer: 'https://example.okta.com',
            jwks_url: 'https://example.okta.com/oauth2/v1/keys',
          },
        });
      // The provider API answers a create with 200 and the provider.
      expect(created.status).toBe(200);
      const providerId: string = created.body.id;
      const name = `ssf-provider-${providerId}`;

      await refresh();
      const entity = await waitFor('the provider entity', () =>
        catalogEntity(name),
      );
      expect(entity).toMatchObject({
        metadata: {
          title: 'Okta production',
          annotations: { 'shared-signals/provider-id': providerId },
          tags: ['ssf', 'push', 'active'],
          links: [
            {
              url: `http://portal.example.com/ssf/providers/${providerId}`,
            },
          ],
        },
        spec: {
          type: 'ssf-provider',
          owner: 'group:default/ssf-admins',
          ssf: {
            status: 'ACTIVE',
            issuer: 'https://example.okta.com',
            providerType: 'okta',
          },
        },
      });
      // Nothing but what the read view shows: no secret, no JWKS URL.
      expect(JSON.stringify(entity)).not.toContain('oauth2/v1/keys');

      const deleted = await request(backend.server)
        .delete(`/api/ssf/security-events-providers/${providerId}`)
        .set('Authorization', ADMIN);
      expect(deleted.status).toBe(204);
      await refresh();
      await waitFor('the provider entity to go', async () =>
        (await catalogEntity(name)) ? undefined : true,
      );
    });

    it('lets only the catalog plugin read the SSF catalog route', async () => {
      const asPlugin = (pluginId: string) =>
        `Bearer ${mockCredentials.service.token({
          onBehalfOf: mockCredentials.service(`plugin:${pluginId}`),
          targetPluginId: 'ssf',
        })}`;
      const read = (authorization: string) =>
        request(backend.server)
          .get('/api/ssf/catalog/entities')
          .set('Authorization', authorization);
      expect((await read(asPlugin('catalog'))).status).toBe(200);
      expect((await read(asPlugin('scaffolder'))).status).toBe(403);
      expect((await read(ADMIN)).status).toBe(403);
      expect((await read(RECEIVER)).status).toBe(403);
      // (The mock auth treats a request without a header as a user's.)
      expect((await read(mockCredentials.none.header())).status).toBe(401);
    });
  },
);

/**
 * The permissions service deciding with the SSF policy in-process, as the
 * permission backend would with the policy module installed. The real
 * backend is not used here because it refuses the catalog's conditional
 * queries when they carry the mock auth's user tokens (a real portal sends
 * them on behalf of the user with a plugin token, which mock auth cannot
 * make); its handling of the basic ssf.* permissions is tested in the
 * policy module's own tests.
 */
const permissionsFromSsfPolicy = createServiceFactory({
  service: coreServices.permissions,
  deps: { config: coreServices.rootConfig, userInfo: coreServices.userInfo },
  factory: ({ config, userInfo }) => {
    const policy = new SsfPermissionPolicy({
      groups: readSsfPermissionGroups(config),
      userInfo,
      delegate: { handle: async () => ({ result: AuthorizeResult.ALLOW }) },
    });
    const decide = async (
      authorizeRequest: { permission: Permission },
      options: PermissionsServiceRequestOptions,
    ) => {
      const { credentials } = options;
      const isUser =
        (credentials.principal as { type: string }).type === 'user';
      return policy.handle(
        authorizeRequest,
        isUser
          ? {
              credentials:
                credentials as BackstageCredentials<BackstageUserPrincipal>,
              info: await userInfo.getUserInfo(credentials),
            }
          : undefined,
      );
    };
    return {
      authorizeConditional: async (requests, options) =>
        Promise.all(requests.map(r => decide(r, options))),
      authorize: async (requests, options) =>
        Promise.all(
          requests.map(async r => {
            // Service principals (plugin to plugin) are always allowed, as
            // in Backstage's own permissions service.
            const { type } = options.credentials.principal as { type: string };
            if (type === 'service') {
              return { result: AuthorizeResult.ALLOW };
            }
            const decision = await decide(r, options);
            if (decision.result === AuthorizeResult.CONDITIONAL) {
              throw new Error(
                `A conditional decision for ${r.permission.name}`,
              );
            }
            return decision;
          }),
        ),
    } as PermissionsService;
  },
});

// Who sees the SSF entities, as the SSF policy decides catalog reads.
describe.each(databases.eachSupportedId())(
  'SSF entities and the read permissions on %p',
  id => {
    it('shows the SSF entities only to holders of the SSF read permissions', async () => {
      const { backend, refresh, entity } = await startPortal(id, {
        config: {
          permission: { enabled: true },
          ssf: { permissions: { adminGroups: ['user:default/alice'] } },
          catalog: componentLocation('hr-app', 'group:default/hr'),
        },
        features: [permissionsFromSsfPolicy],
      });
      try {
        const alice = mockCredentials.user.header('user:default/alice');
        const guest = mockCredentials.user.header('user:default/guest');
        const created = await request(backend.server)
          .post('/api/ssf/streams')
          .set('Authorization', RECEIVER)
          .send({ delivery: { method: POLL } });
        expect(created.status).toBe(201);
        const name = `ssf-stream-${created.body.stream_id}`;
        await refresh();
        await waitFor('the stream entity', () => entity(name, alice));

        // The guest reads the catalog, but not the SSF stream in it.
        const component = await waitFor('the component', async () => {
          const res = await request(backend.server)
            .get('/api/catalog/entities/by-name/component/default/hr-app')
            .set('Authorization', guest);
          return res.status === 200 ? res.body : undefined;
        });
        expect(component.metadata.name).toBe('hr-app');
        expect(await entity(name, guest)).toBeUndefined();
        const listed = async (authorization: string) =>
          (
            await request(backend.server)
              .get('/api/catalog/entities')
              .query({ filter: 'kind=resource' })
              .set('Authorization', authorization)
          ).body.map((e: { metadata: { name: string } }) => e.metadata.name);
        expect(await listed(alice)).toEqual([name]);
        expect(await listed(guest)).toEqual([]);
      } finally {
        await backend.stop();
      }
    });
  },
);
