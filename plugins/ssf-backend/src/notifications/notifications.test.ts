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
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import signalsPlugin from '@backstage/plugin-signals-backend';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import { captureLogs } from '../__testUtils__/capturedLogs';
import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { manualScheduler } from '../__testUtils__/manualScheduler';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import {
  ACCOUNT_DISABLED,
  CREDENTIAL_CHANGE,
  SESSION_REVOKED,
} from '../__testUtils__/specUris';
import {
  createPushStream,
  emitEvent,
  TestServer,
} from '../__testUtils__/testBackend';
import { CATALOG_RECONCILE_TASK_ID } from '../identityHooks/createIdentityHooks';
import { vanishingCatalog } from '../identityHooks/__testUtils__/identityHooksBackend';
import { ssfPlugin } from '../plugin';
import { BrokenKeyServer } from '../receiver/__testUtils__/brokenKeyServer';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../receiver/__testUtils__/testTransmitter';
import {
  addProvider,
  push,
  receiverConfig,
} from '../receiver/__testUtils__/receiverBackend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BOB,
  IDP_USER_ID,
  JANE,
  JANE_IDP_ID,
  LEAD,
  PEOPLE,
} from '../people/__testUtils__/people';
import { FAST_DELIVERY } from '../transmitter/__testUtils__/transmitterBackend';

jest.setTimeout(90_000);

const ALICE = 'user:default/alice';

describeOnEachDatabase('notifications', (databases, id) => {
  const cleanUp = useCleanups();
  const newReceiver = async () => {
    const receiver = await startTestReceiver();
    cleanUp(() => receiver.close());
    return receiver;
  };

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
    const scheduler = manualScheduler();
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
        ...scheduler.features,
        ...(options.extraFeatures ?? []),
      ],
    });
    cleanUp(() => backend.stop());
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
    /**
     * The one notification `userRef` got, once it came and any further
     * (wrong) sends have had time to land.
     */
    const onlyNotificationOf = async (what: string, userRef = ALICE) => {
      await waitFor(
        async () => (await notificationsOf(userRef)).totalCount >= 1,
        10_000,
        what,
      );
      await new Promise(r => setTimeout(r, 300));
      const { totalCount, notifications: list } = await notificationsOf(
        userRef,
      );
      expect(totalCount).toBe(1);
      return list[0];
    };
    return {
      backend,
      server,
      notificationsOf,
      onlyNotificationOf,
      reconcile: () => scheduler.trigger(CATALOG_RECONCILE_TASK_ID),
    };
  }

  const notifications = (extra: JsonObject = {}) => ({
    notifications: { recipients: [ALICE], ...extra },
  });
  // Two attempts: a refused SET is dead-lettered quickly.
  const delivery = { ...FAST_DELIVERY, maxAttempts: 2 };

  async function deadLetteringStream(server: TestServer, receiverUrl: string) {
    const created = await createPushStream(server, 'client-a', receiverUrl, [
      SESSION_REVOKED,
    ]);
    expect(created.status).toBe(201);
    const emit = (n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          emitEvent(server, {
            type: SESSION_REVOKED,
            subject: { format: 'email', email: `u${i}@example.com` },
          }).expect(202),
        ),
      );
    return { streamId: created.body.stream_id as string, emit };
  }

  it('turns a stream that keeps dead-lettering into one notification that is updated', async () => {
    const receiver = await newReceiver();
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
    const { streamId, emit } = await deadLetteringStream(server, receiver.url);

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
    cleanUp(() => broken.close());
    const transmitter = await TestTransmitter.start();
    cleanUp(() => transmitter.close());
    const { server, onlyNotificationOf } = await start({
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
    const told = await onlyNotificationOf('the provider notification');
    expect(told.payload).toMatchObject({
      link: `/ssf/providers/${providerId}`,
      scope: `ssf:provider:${providerId}:keys`,
    });
    expect(told.updated).toBeFalsy();
  });

  it('tells once when a catalog reconciliation is held back', async () => {
    const catalog = vanishingCatalog();
    const { onlyNotificationOf, reconcile } = await start({
      config: { ssf: notifications() },
      extraFeatures: [catalog.factory],
    });
    await reconcile();
    catalog.vanish();
    await reconcile();
    await reconcile();
    const told = await onlyNotificationOf('the reconciliation notification');
    expect(told.payload).toMatchObject({
      scope: 'ssf:lifecycle:catalog-reconciliation',
    });
    expect(told.payload.description).toContain('20 of 30');
  });

  describe('to the people a provider reports about (ssf.people.notifications)', () => {
    /** A portal receiving from a test identity provider, with the people of PEOPLE in its catalog. */
    async function startWithPeople(notify?: JsonObject) {
      const idp = await TestTransmitter.start();
      cleanUp(() => idp.close());
      const started = await start({
        config: {
          ssf: {
            ...(receiverConfig().ssf as object),
            lifecycle: { defaultHooks: false, catalog: { enabled: false } },
            people: {
              identities: [{ issuer: idp.issuer, annotation: IDP_USER_ID }],
              ...(notify && { notifications: notify }),
            },
          },
        },
        extraFeatures: [catalogServiceMock.factory({ entities: PEOPLE })],
      });
      await addProvider(started.server, idp, { name: 'Test IdP' });
      /** Pushes a SET of `type` about Jane by her id at the provider. */
      const pushAboutJane = async (type: string, jti: string) => {
        const set = await idp.sign({
          jti,
          sub_id: { format: 'iss_sub', iss: idp.issuer, sub: JANE_IDP_ID },
          events: { [type]: { reason: 'hijacking' } },
        });
        expect((await push(started.server, set)).status).toBe(202);
        return set;
      };
      return { ...started, pushAboutJane };
    }

    it('tells the user and the members of their groups, once per received SET', async () => {
      const { server, notificationsOf, onlyNotificationOf, pushAboutJane } =
        await startWithPeople({ enabled: true });
      const set = await pushAboutJane(ACCOUNT_DISABLED, 'disabled-1');

      const told = await onlyNotificationOf('the notice to Jane', JANE);
      expect(told.origin).toBe('plugin:ssf');
      expect(told.payload).toMatchObject({
        title: 'Security signal about jane doe: account disabled',
        severity: 'high',
        topic: 'ssf-security-signal',
      });
      expect(told.payload.description).toContain(JANE);
      expect(told.payload.description).toContain('hijacking');
      // Her team's lead, through the group's members.
      await onlyNotificationOf('the notice to her lead', LEAD);

      // The same SET again (a provider's retry): stored once, told once.
      expect((await push(server, set)).status).toBe(202);
      // An event type not told (CAEP credential-change).
      await pushAboutJane(CREDENTIAL_CHANGE, 'changed-1');
      await new Promise(r => setTimeout(r, 500));
      expect((await notificationsOf(JANE)).totalCount).toBe(1);
      expect((await notificationsOf(LEAD)).totalCount).toBe(1);
      expect((await notificationsOf(BOB)).totalCount).toBe(0);
    });

    it('tells nobody unless turned on, and not the groups when told not to', async () => {
      const off = await startWithPeople();
      await off.pushAboutJane(ACCOUNT_DISABLED, 'disabled-1');
      const onlyUser = await startWithPeople({ enabled: true, groups: false });
      await onlyUser.pushAboutJane(SESSION_REVOKED, 'revoked-1');
      await onlyUser.onlyNotificationOf('the notice to Jane', JANE);
      await new Promise(r => setTimeout(r, 500));
      expect((await off.notificationsOf(JANE)).totalCount).toBe(0);
      expect((await onlyUser.notificationsOf(LEAD)).totalCount).toBe(0);
    });
  });

  it('keeps working without the notifications backend', async () => {
    const receiver = await newReceiver();
    receiver.answerAlways({ status: 400 });
    const { messages: logs, factory: logger } = captureLogs();
    const { server } = await start({
      withNotifications: false,
      config: { ssf: { transmitter: { delivery }, ...notifications() } },
      extraFeatures: [logger],
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
});
