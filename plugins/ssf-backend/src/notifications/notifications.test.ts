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
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import signalsPlugin from '@backstage/plugin-signals-backend';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import { clientAuth } from '../__testUtils__/testBackend';
import { CATALOG_RECONCILE_TASK_ID } from '../identityHooks/createIdentityHooks';
import {
  mutableCatalog,
  user,
} from '../identityHooks/__testUtils__/identityHooksBackend';
import { ssfPlugin } from '../plugin';
import { BrokenKeyServer } from '../receiver/__testUtils__/brokenKeyServer';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../receiver/__testUtils__/testTransmitter';
import { push } from '../receiver/__testUtils__/receiverBackend';

jest.setTimeout(90_000);

const ALICE = 'user:default/alice';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const PUSH = 'urn:ietf:rfc:8935';

describe.each(createTestDatabases().eachSupportedId())(
  'notifications on %p',
  id => {
    const databases = createTestDatabases();
    const stops: Array<() => Promise<unknown>> = [];
    afterEach(async () => {
      while (stops.length) await stops.pop()!();
    });

    /**
     * The SSF plugin with the real notifications and signals backends, each
     * plugin on its own database of kind `id` (both keep knex migrations).
     */
    async function start(options: {
      config?: JsonObject;
      withNotifications?: boolean;
      extraFeatures?: Parameters<typeof startTestBackend>[0]['features'];
    }) {
      const withNotifications = options.withNotifications ?? true;
      const knexes = new Map<string, ReturnType<typeof databases.init>>();
      let scheduler: SchedulerService | undefined;
      const backend = await startTestBackend({
        features: [
          ssfPlugin,
          ...(withNotifications ? [notificationsPlugin, signalsPlugin] : []),
          createServiceFactory({
            service: coreServices.database,
            deps: { plugin: coreServices.pluginMetadata },
            factory: ({ plugin }) => {
              const pluginId = plugin.getId();
              if (!knexes.has(pluginId)) {
                knexes.set(pluginId, databases.init(id));
              }
              const knex = knexes.get(pluginId)!;
              return { getClient: () => knex };
            },
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: { baseUrl: 'http://localhost:7007' },
              app: { baseUrl: 'http://localhost:3000' },
              ...options.config,
            },
          }),
          mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
          mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
          createBackendModule({
            pluginId: 'ssf',
            moduleId: 'test-scheduler-handle',
            register(reg) {
              reg.registerInit({
                deps: { s: coreServices.scheduler },
                async init({ s }) {
                  scheduler = s;
                },
              });
            },
          }),
          ...(options.extraFeatures ?? []),
        ],
      });
      stops.push(() => backend.stop());
      const { server } = backend;
      /** The notifications of `userRef`, read through the notifications API. */
      const notificationsOf = async (userRef = ALICE) => {
        const res = await request(server)
          .get('/api/notifications/')
          .set('Authorization', mockCredentials.user.header(userRef));
        expect(res.status).toBe(200);
        return res.body as {
          totalCount: number;
          notifications: Array<{
            id: string;
            origin: string;
            user: string;
            created: string;
            updated?: string;
            payload: Record<string, string>;
          }>;
        };
      };
      return { backend, server, notificationsOf, scheduler: () => scheduler! };
    }

    const notifications = (extra: JsonObject = {}) => ({
      notifications: { recipients: [ALICE], ...extra },
    });
    const delivery = {
      allowInsecureUrls: true,
      allowPrivateNetworks: true,
      timeout: { milliseconds: 500 },
      initialBackoff: { milliseconds: 50 },
      maxBackoff: { milliseconds: 200 },
      maxAttempts: 2,
    };

    async function deadLetteringStream(
      server: Parameters<typeof request>[0],
      receiverUrl: string,
    ) {
      const created = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth('client-a'))
        .send({
          delivery: { method: PUSH, endpoint_url: receiverUrl },
          events_requested: [SESSION_REVOKED],
        });
      expect(created.status).toBe(201);
      const emit = (n: number) =>
        Promise.all(
          Array.from({ length: n }, (_, i) =>
            request(server)
              .post('/api/ssf/emit')
              .set('Authorization', clientAuth('plugin:hr-feed'))
              .send({
                type: SESSION_REVOKED,
                subject: { format: 'email', email: `u${i}@example.com` },
                payload: {},
              })
              .expect(202),
          ),
        );
      return { streamId: created.body.stream_id as string, emit };
    }

    it('turns a stream that keeps dead-lettering into one notification that is updated', async () => {
      const receiver = await startTestReceiver();
      stops.push(() => receiver.close());
      receiver.answerAlways({
        status: 400,
        body: JSON.stringify({ err: 'invalid_request', description: 'no' }),
      });
      const { server, notificationsOf } = await start({
        config: {
          ssf: {
            transmitter: { delivery },
            // Short, so that a second wave of dead letters is told again.
            ...notifications({ deadLetterInterval: { milliseconds: 300 } }),
          },
        },
      });
      const { streamId, emit } = await deadLetteringStream(
        server,
        receiver.url,
      );

      await emit(40);
      await waitFor(
        async () => receiver.received.length >= 40,
        20_000,
        'the dead letters',
      );
      await waitFor(
        async () => (await notificationsOf()).totalCount === 1,
        10_000,
        'the notification',
      );
      const first = (await notificationsOf()).notifications[0];
      expect(first).toMatchObject({
        origin: 'plugin:ssf',
        user: ALICE,
        payload: {
          link: `/ssf/streams/${streamId}`,
          scope: `ssf:stream:${streamId}:dead-letters`,
          severity: 'high',
        },
      });
      expect(first.payload.title).toContain(streamId);

      // A second wave after the interval: the same notification, updated.
      await new Promise(r => setTimeout(r, 400));
      const received = receiver.received.length;
      await emit(20);
      await waitFor(
        async () => receiver.received.length >= received + 20,
        20_000,
        'the second dead letters',
      );
      await waitFor(
        async () =>
          (await notificationsOf()).notifications[0]?.updated !== undefined,
        10_000,
        'the notification to be updated',
      );
      const after = await notificationsOf();
      expect(after.totalCount).toBe(1);
      expect(after.notifications[0].id).toBe(first.id);
      // Nobody else was told.
      expect((await notificationsOf('user:default/bob')).totalCount).toBe(0);
      // Nothing secret: no authorization header of the stream.
      expect(JSON.stringify(after)).not.toMatch(/Bearer|authorization/i);
    });

    it('tells once when a provider’s key set answers 500', async () => {
      const broken = await BrokenKeyServer.start('error');
      stops.push(() => broken.close());
      const transmitter = await TestTransmitter.start();
      stops.push(() => transmitter.close());
      const { server, notificationsOf } = await start({
        config: {
          ssf: {
            receiver: {
              audience: RECEIVER_AUDIENCE,
              allowInsecureUrls: true,
              allowPrivateNetworks: true,
              // Every SET refetches: the alert, not the cooldown, bounds it.
              keys: { refetchCooldown: { milliseconds: 0 } },
            },
            ...notifications(),
          },
        },
      });
      const created = await request(server)
        .post('/api/ssf/security-events-providers')
        .send({
          name: 'Broken keys',
          type: 'ssf',
          settings: { issuer: broken.issuer, jwks_url: broken.jwksUrl },
        });
      expect(created.status).toBe(200);
      const providerId = created.body.id as string;
      for (let i = 0; i < 10; i++) {
        const answer = await push(
          server,
          await transmitter.sign({ iss: broken.issuer }),
        );
        expect(answer.status).toBe(503);
      }
      await waitFor(
        async () => (await notificationsOf()).totalCount >= 1,
        10_000,
        'the provider notification',
      );
      // Give any further (wrong) sends time to land.
      await new Promise(r => setTimeout(r, 300));
      const { totalCount, notifications: list } = await notificationsOf();
      expect(totalCount).toBe(1);
      expect(list[0].payload).toMatchObject({
        link: `/ssf/providers/${providerId}`,
        scope: `ssf:provider:${providerId}:keys`,
      });
      expect(list[0].updated).toBeFalsy();
    });

    it('tells once when a catalog reconciliation is held back', async () => {
      const users = Array.from({ length: 30 }, (_, i) =>
        user(`u${i}`, { email: `u${i}@example.com` }),
      );
      const catalog = mutableCatalog(users);
      const { notificationsOf, scheduler } = await start({
        config: { ssf: notifications() },
        extraFeatures: [catalog.factory],
      });
      await scheduler().triggerTask(CATALOG_RECONCILE_TASK_ID);
      for (const u of users.slice(0, 20)) {
        catalog.remove(`user:default/${u.metadata.name}`);
      }
      await scheduler().triggerTask(CATALOG_RECONCILE_TASK_ID);
      await scheduler().triggerTask(CATALOG_RECONCILE_TASK_ID);
      await waitFor(
        async () => (await notificationsOf()).totalCount >= 1,
        10_000,
        'the reconciliation notification',
      );
      await new Promise(r => setTimeout(r, 300));
      const { totalCount, notifications: list } = await notificationsOf();
      expect(totalCount).toBe(1);
      expect(list[0].payload).toMatchObject({
        scope: 'ssf:lifecycle:catalog-reconciliation',
      });
      expect(list[0].payload.description).toContain('20 of 30');
    });

    it('keeps working without the notifications backend', async () => {
      const receiver = await startTestReceiver();
      stops.push(() => receiver.close());
      receiver.answerAlways({ status: 400 });
      const logs: string[] = [];
      const logger = mockServices.rootLogger.mock();
      for (const level of ['info', 'warn', 'error', 'debug'] as const) {
        logger[level].mockImplementation((message: string) => {
          logs.push(message);
        });
      }
      logger.child.mockImplementation(() => logger);
      const { server } = await start({
        withNotifications: false,
        config: { ssf: { transmitter: { delivery }, ...notifications() } },
        extraFeatures: [logger.factory],
      });
      const { emit } = await deadLetteringStream(server, receiver.url);
      await emit(5);
      await waitFor(
        async () => logs.filter(l => l.includes('dead-lettered')).length >= 5,
        20_000,
        'the dead letters',
      );
      await new Promise(r => setTimeout(r, 300));
      // Not tried at all: no failed sends to the missing backend.
      expect(logs.filter(l => /notification/i.test(l))).toEqual([]);
    });
  },
);
