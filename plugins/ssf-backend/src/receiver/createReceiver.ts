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
  AuditorService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { EventsService } from '@backstage/plugin-events-node';
import express from 'express';
import Router from 'express-promise-router';
import { RemoteStreamService } from './remote/RemoteStreamService';
import { createRemoteStreamRouter } from './remote/router';
import { Knex } from 'knex';
import { HostResolver } from '../http/outboundUrlPolicy';
import { readReceiverConfig } from './config';
import { ReceivedEventDispatcher } from './events/ReceivedEventDispatcher';
import { ReceivedEventStore } from './events/ReceivedEventStore';
import { ReceivedEventWriter } from './events/ReceivedEventWriter';
import { ReceivedEventConsumers } from './events/ReceivedEventConsumers';
import { ReceivedEventHistory } from './events/ReceivedEventHistory';
import { SsfSignals } from '../signals/SsfSignals';
import { createReceivedEventsRouter } from './events/router';
import { IngestionService } from './ingestion/IngestionService';
import { createIngestionRouter } from './ingestion/router';
import { SetVerifier } from './ingestion/SetVerifier';
import { ProviderRateLimiter } from './ingestion/ProviderRateLimiter';
import { ProviderKeyCache } from './keys/ProviderKeyCache';
import { ProviderLookup } from './providers/ProviderLookup';
import { createProvidersRouter } from './providers/router';
import { ProviderService } from './providers/ProviderService';
import { ProviderStore } from './providers/ProviderStore';
import { providerErrorHandler } from './providers/providerErrors';
import { ProviderPoller } from './poll/ProviderPoller';
import { TransmitterCredentials } from './remote/TransmitterCredentials';
import { ReceivedEventHandlers } from './ReceivedEventHandlers';
import { ReceiverMetrics } from './metrics';
import { SsfAlerts } from '../notifications';

/** What the receiver needs from the plugin. @internal */
export interface ReceiverOptions {
  config: Config;
  /** The plugin's external base URL, e.g. https://portal/api/ssf. */
  baseUrl: string;
  knex: Knex;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  events: EventsService;
  scheduler: SchedulerService;
  backendLifecycle: LifecycleService;
  handlers: ReceivedEventHandlers;
  /**
   * Run in the transaction that stores received SETs (the relay, the
   * identity hooks' event trigger); none when absent.
   */
  consumers?: ReceivedEventConsumers;
  metrics: MetricsService;
  /** Told when a provider's keys, metadata or poll endpoint fail. */
  alerts?: SsfAlerts;
  /** Tells the admin pages when SETs are stored; silent without. */
  signals?: SsfSignals;
  resolve?: HostResolver;
}

/** The assembled receiver. @internal */
export interface Receiver {
  router: express.Router;
  /** RFC 8935 push ingestion, to mount ahead of the shared JSON parsing. */
  ingestionRouter: express.Router;
  providers: ProviderService;
  /** The stored received SETs, as `GET /received-events` lists them. */
  receivedEvents: ReceivedEventStore;
  ingestion: IngestionService;
  dispatcher: ReceivedEventDispatcher;
  poller: ProviderPoller;
}

/**
 * Builds the SSF receiver: Security Events Providers (the provider API), push
 * ingestion (RFC 8935) and the received-events listing, all under the
 * plugin's base URL. Tables come from the plugin's migrations.
 *
 * @internal
 */
export async function createReceiver(
  options: ReceiverOptions,
): Promise<Receiver> {
  const { knex, logger } = options;
  const metrics = new ReceiverMetrics(options.metrics, logger);
  const config = readReceiverConfig(options.config, {
    baseUrl: options.baseUrl,
  });

  const providerStore = new ProviderStore(knex);
  const eventStore = new ReceivedEventStore(knex);
  const history = new ReceivedEventHistory(knex);
  const providers = new ProviderService({
    store: providerStore,
    config,
    resolve: options.resolve,
  });
  const lookup = new ProviderLookup({
    store: providerStore,
    ttlMs: config.providerCacheTtlMs,
  });
  const keys = new ProviderKeyCache({
    config,
    logger,
    resolve: options.resolve,
    metrics,
    alerts: options.alerts,
  });
  providers.onChange(({ id, issuer }) => {
    lookup.invalidate(issuer);
    keys.invalidate(id);
  });

  const dispatcher = new ReceivedEventDispatcher({
    events: options.events,
    handlers: () => options.handlers.handlers,
    store: eventStore,
    logger,
  });
  options.backendLifecycle.addShutdownHook(() => dispatcher.idle());

  const ingestion = new IngestionService({
    verifier: new SetVerifier({
      config,
      providers: lookup,
      keys,
      rateLimiter: ProviderRateLimiter.fromConfig(options.config),
    }),
    writer: new ReceivedEventWriter(eventStore, options.consumers),
    events: eventStore,
    providers: providerStore,
    lookup,
    dispatcher,
    history,
    signals: options.signals,
  });

  const credentials = new TransmitterCredentials({
    config,
    resolve: options.resolve,
  });
  const poller = new ProviderPoller({
    store: providerStore,
    ingestion,
    config,
    credentials,
    logger,
    resolve: options.resolve,
    metrics,
    alerts: options.alerts,
  });
  if (config.poll.enabled) {
    // Global: one replica polls each cycle, so a SET is not fetched twice.
    await options.scheduler.scheduleTask({
      id: 'ssf-receiver-poll',
      frequency: config.poll.frequency,
      timeout: { minutes: 5 },
      initialDelay: { seconds: 10 },
      scope: 'global',
      fn: signal => poller.pollAll(signal),
    });
  }

  const remote = new RemoteStreamService({
    store: providerStore,
    credentials,
    config,
    ingestionUrl: `${options.baseUrl}/security-events`,
    resolve: options.resolve,
    // The stream's aud is accepted on this provider's SETs from now on.
    onChange: provider => lookup.invalidate(provider.issuer),
  });

  const router = Router();
  // Before the providers router, whose not-found handling would answer first.
  router.use(
    '/security-events-providers/:id/remote-stream',
    createRemoteStreamRouter({
      providers,
      remote,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      auditor: options.auditor,
      logger,
    }),
  );
  router.use(
    '/security-events-providers',
    createProvidersRouter({
      providers,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      auditor: options.auditor,
      logger,
      pollNow: provider => poller.poll(provider),
    }),
  );
  // Errors raised while matching the mounts above, before either router runs
  // (Express refuses a `:id` that is not valid percent-encoded UTF-8 with a
  // 400 URIError while matching `…/:id/remote-stream`), in the provider API's body
  // with their 4xx status like every other provider route's.
  router.use('/security-events-providers', providerErrorHandler(logger));
  router.use(
    '/received-events',
    createReceivedEventsRouter({
      store: eventStore,
      history,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
    }),
  );

  // SET ingestion parses its own body and is the busiest route: it is
  // mounted on its own, ahead of the JSON parsing the other routes share.
  const ingestionRouter = Router();
  ingestionRouter.use(
    '/security-events',
    createIngestionRouter({
      ingestion,
      maxSetBytes: config.maxSetBytes,
      logger,
      metrics,
    }),
  );

  return {
    router,
    ingestionRouter,
    providers,
    receivedEvents: eventStore,
    ingestion,
    dispatcher,
    poller,
  };
}
