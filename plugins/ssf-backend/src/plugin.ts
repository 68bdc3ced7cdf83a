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
  createBackendPlugin,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { ssfPermissions } from '@shared-signals/plugin-ssf-common';
import {
  SsfIdentityChangeSource,
  ssfIdentityChangeSourcesExtensionPoint,
  ssfReceivedEventHandlersExtensionPoint,
  ssfReceiverProfilesExtensionPoint,
} from '@shared-signals/plugin-ssf-node';
import { registerSsfActions } from './actions';
import { createCatalogRouter } from './catalog';
import { createIdentityHooks } from './identityHooks';
import { createPeople } from './people';
import { createRelay } from './relay';
import {
  createReceiver,
  ReceivedEventConsumers,
  ReceivedEventHandlers,
} from './receiver';
import { createRouter } from './router';
import {
  createPostureRouter,
  PermissionPosture,
} from './security/PermissionPosture';
import { createTransmitter, ReceiverProfiles } from './transmitter';
import { SsfSignals } from './signals/SsfSignals';
import { notificationsInstalled, SsfAlerts } from './notifications';

/**
 * The Shared Signals Framework (SSF) backend plugin, mounted at `/api/ssf`:
 * an SSF 1.0 transmitter, a receiver, and the identity hooks that turn
 * identity changes into the transmitter's events.
 *
 * @public
 */
export const ssfPlugin = createBackendPlugin({
  pluginId: 'ssf',
  register(env) {
    // Receiver: modules add handlers for received SETs through this point.
    const receivedEventHandlers = new ReceivedEventHandlers();
    env.registerExtensionPoint(
      ssfReceivedEventHandlersExtensionPoint,
      receivedEventHandlers,
    );

    // Lifecycle: modules feed identity changes from other systems here.
    const identityChangeSources: SsfIdentityChangeSource[] = [];
    env.registerExtensionPoint(ssfIdentityChangeSourcesExtensionPoint, {
      addSource(...sources) {
        identityChangeSources.push(...sources.flat());
      },
    });

    // Transmitter: modules add receiver profiles (how SETs are shaped for one
    // kind of receiver) here; `ssf` and `okta` are built in.
    const receiverProfiles = new ReceiverProfiles();
    env.registerExtensionPoint(ssfReceiverProfilesExtensionPoint, {
      addProfile(profile) {
        receiverProfiles.add(profile);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        rootHttpRouter: coreServices.rootHttpRouter,
        auth: coreServices.auth,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        userInfo: coreServices.userInfo,
        permissionsRegistry: coreServices.permissionsRegistry,
        auditor: coreServices.auditor,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        events: eventsServiceRef,
        catalog: catalogServiceRef,
        metrics: metricsServiceRef,
        signals: signalsServiceRef,
        notifications: notificationService,
        instanceMetadata: coreServices.rootInstanceMetadata,
        actionsRegistry: actionsRegistryServiceRef,
      },
      async init(deps) {
        const { config, logger, database, httpRouter, rootHttpRouter } = deps;
        const baseUrl = (
          await deps.discovery.getExternalBaseUrl('ssf')
        ).replace(/\/+$/, '');

        const knex = await database.getClient();
        if (!database.migrations?.skip) {
          await knex.migrate.latest({
            directory: resolvePackagePath(
              '@shared-signals/plugin-ssf-backend',
              'migrations',
            ),
          });
        }

        deps.permissionsRegistry.addPermissions(ssfPermissions);

        // Say so, in the log and on the admin page, when the portal's
        // permission setup lets users outside the SSF admin groups manage
        // SSF (create-app's allow-all policy does).
        const posture = new PermissionPosture({
          config,
          userInfo: deps.userInfo,
          logger,
        });
        posture.logStartupWarnings();

        // Alerts as Backstage notifications; off without the notifications
        // backend or without ssf.notifications.recipients.
        const notifications = (await notificationsInstalled({
          instanceMetadata: deps.instanceMetadata,
          config,
        }))
          ? deps.notifications
          : undefined;
        const alerts = SsfAlerts.fromConfig({ config, logger, notifications });
        const permissions = posture.watch(deps.permissions);

        // Live admin pages: ids of changed streams, providers and hooks as
        // Backstage signals (broadcast; see SsfSignals for why that is safe).
        const signals = new SsfSignals({ signals: deps.signals, logger });
        deps.lifecycle.addShutdownHook(() => signals.stop());

        // Transmitter (streams, delivery, signing).
        const transmitter = await createTransmitter({
          config,
          knex,
          baseUrl,
          logger,
          httpAuth: deps.httpAuth,
          permissions,
          auditor: deps.auditor,
          backendLifecycle: deps.lifecycle,
          scheduler: deps.scheduler,
          profiles: receiverProfiles,
          metrics: deps.metrics,
          alerts,
          signals,
        });

        // Receiver (Security Events Providers, SET ingestion, received events).
        // What acts on stored SETs in their transaction is added below, once
        // the concerns it comes from are built.
        const receivedEventConsumers = new ReceivedEventConsumers();
        const receiver = await createReceiver({
          config,
          baseUrl,
          knex,
          logger,
          httpAuth: deps.httpAuth,
          permissions,
          auditor: deps.auditor,
          events: deps.events,
          scheduler: deps.scheduler,
          backendLifecycle: deps.lifecycle,
          handlers: receivedEventHandlers,
          consumers: receivedEventConsumers,
          metrics: deps.metrics,
          alerts,
          signals,
        });

        // Lifecycle hooks: identity changes turned into CAEP/RISC events.
        const identityHooks = await createIdentityHooks({
          config,
          transmitterIssuer: transmitter.config.issuer,
          knex,
          logger,
          emitter: transmitter.emitter,
          auth: deps.auth,
          httpAuth: deps.httpAuth,
          permissions,
          auditor: deps.auditor,
          scheduler: deps.scheduler,
          backendLifecycle: deps.lifecycle,
          catalog: deps.catalog,
          events: deps.events,
          sources: identityChangeSources,
          metrics: deps.metrics,
          alerts,
          signals,
        });
        // Hooks on received events fire in the transaction storing the SET.
        if (identityHooks.receivedEventConsumer) {
          receivedEventConsumers.add(identityHooks.receivedEventConsumer);
        }

        // Relay: received SETs re-sent to our streams, in the same transaction.
        const relay = createRelay({
          knex,
          transmitter,
          receiver,
          httpAuth: deps.httpAuth,
          permissions,
          auditor: deps.auditor,
          logger,
        });
        receivedEventConsumers.add(relay.consumer);

        // People: which received and sent SETs name which catalog user (the
        // Security signals card), and the optional notice to that user.
        const people = createPeople({
          config,
          knex,
          transmitter,
          subjectIssuer: identityHooks.subjectIssuer,
          catalog: deps.catalog,
          auth: deps.auth,
          httpAuth: deps.httpAuth,
          permissions,
          notifications,
          logger,
        });
        receivedEventConsumers.add(people.consumer);
        deps.lifecycle.addShutdownHook(async () => {
          await people.notifier?.flush();
        });

        // Actions for agents (the MCP actions backend): the routes' services,
        // with the routes' permission checks, for the invoking user.
        registerSsfActions({
          actionsRegistry: deps.actionsRegistry,
          permissions,
          auditor: deps.auditor,
          transmitter,
          receiver,
        });

        // Every route authenticates its caller itself: the metadata and JWKS are
        // public, and receivers must get an RFC 6750 challenge on a 401, which
        // the default credentials barrier does not send.
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use(
          createRouter({
            realm: transmitter.config.issuer,
            ownBodyRouters: [receiver.ingestionRouter],
            routers: [
              createPostureRouter({
                posture,
                httpAuth: deps.httpAuth,
                permissions,
              }),
              transmitter.router,
              // Before the receiver's: its routes are provider routes too.
              relay.router,
              receiver.router,
              identityHooks.router,
              people.router,
              createCatalogRouter({
                httpAuth: deps.httpAuth,
                transmitter,
                receiver,
              }),
            ],
            bodyLimits: identityHooks.bodyLimits,
          }),
        );

        if (transmitter.rootWellKnown) {
          rootHttpRouter.use(
            transmitter.rootWellKnown.path,
            transmitter.rootWellKnown.router,
          );
        }
      },
    });
  },
});
