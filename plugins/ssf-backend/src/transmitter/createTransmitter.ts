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
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { readTransmitterConfig, TransmitterConfig } from './config';
import { DeliveryAdminService } from './delivery/DeliveryAdminService';
import { createDelivery } from './delivery/createDelivery';
import { deliveryChangeEffects } from './delivery/deliveryChangeEffects';
import { deliveryStatusEffects } from './delivery/statusEffects';
import { TransmitterEmitter } from './delivery/TransmitterEmitter';
import { readReceiverAccessConfig } from './auth/receiverAccess';
import { createCallerResolver } from './callers';
import { ReceiverProfiles } from './profiles/ReceiverProfiles';
import { buildTransmitterMetadata, rootWellKnownPath } from './metadata';
import { createTransmitterRouter, TransmitterRouterOptions } from './router';
import { StreamService } from './streams/StreamService';
import { SubjectService } from './streams/SubjectService';
import {
  InactivityMonitor,
  ReceiverActivity,
} from './streams/InactivityMonitor';
import { requestVerification } from './delivery/verification';
import { TransmitterMetrics } from './metrics';
import { SsfAlerts } from '../notifications';
import { SsfSignals } from '../signals/SsfSignals';

const MAINTENANCE_TASK_ID = 'ssf-transmitter-maintenance';
const INACTIVITY_TASK_ID = 'ssf-transmitter-inactivity';

/** The transmitter's parts, for the plugin to mount and for other concerns to use. @internal */
export interface Transmitter {
  /** `ssf.transmitter` as read and checked at start. */
  config: TransmitterConfig;
  /** Every transmitter route, mounted under the plugin's base path. */
  router: express.Router;
  /**
   * SSF 1.0 §7.2: the metadata also lives at the host root with the issuer's
   * path appended; mounted on the root router when the issuer is on this
   * backend's origin.
   */
  rootWellKnown?: { path: string; router: express.Router };
  emitter: TransmitterEmitter;
  streams: StreamService;
  /** Asks for a verification SET (SSF 1.0 §8.1.4.2), as `POST /streams/verify` does. */
  verify: TransmitterRouterOptions['verify'];
  /** The admin views of delivery (`/admin/streams`). */
  deliveryAdmin: DeliveryAdminService;
}

/**
 * Builds the transmitter: stores, signing, the outbox emitter, the push
 * worker (started and stopped with the backend), poll delivery, the routes,
 * and a global maintenance task that ages out held and finished SETs.
 *
 * @internal
 */
export async function createTransmitter(options: {
  config: Config;
  knex: Knex;
  baseUrl: string;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  backendLifecycle: LifecycleService;
  scheduler: SchedulerService;
  profiles: ReceiverProfiles;
  metrics: MetricsService;
  /**
   * Notifications to admins: dead-lettering streams, and streams the
   * transmitter pauses or disables on its own (call
   * `alerts.streamPausedByTransmitter` there). Off when absent.
   */
  alerts?: SsfAlerts;
  /** Tells the admin pages when streams and their SETs change; silent without. */
  signals?: SsfSignals;
}): Promise<Transmitter> {
  const { knex, baseUrl, logger, profiles } = options;
  const metrics = new TransmitterMetrics(options.metrics, logger);
  const config = readTransmitterConfig(options.config);
  const receiverAccess = readReceiverAccessConfig(options.config);
  const {
    keys,
    streams: streamStore,
    subjects,
    outbox,
    worker,
    poll,
    emitter,
    history,
  } = await createDelivery({
    config,
    knex,
    logger,
    owner: `${hostname()}-${randomUUID().slice(0, 8)}`,
    profiles,
    metrics,
    alerts: options.alerts,
    signals: options.signals,
  });
  const streams = new StreamService({
    store: streamStore,
    config,
    profiles,
    clientIdOf: receiverAccess.clientIdOf,
    baseUrl,
    onStatusChange: deliveryStatusEffects({ emitter, outbox, metrics }),
    onDeliveryChange: deliveryChangeEffects({
      emitter,
      outbox,
      config,
      logger,
    }),
  });

  options.backendLifecycle.addStartupHook(() => worker.start());
  const stopObservingOutbox = metrics.observeOutbox(() =>
    outbox.countByState(),
  );
  options.backendLifecycle.addShutdownHook(async () => {
    stopObservingOutbox();
    await worker.stop();
  });
  await options.scheduler.scheduleTask({
    id: MAINTENANCE_TASK_ID,
    frequency: { minutes: 5 },
    timeout: { minutes: 2 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const now = new Date();
      const paused = (await streamStore.list())
        .filter(s => s.status === 'paused')
        .map(s => s.streamId);
      const dropped = await outbox.dropHeldOlderThan(
        paused,
        new Date(now.getTime() - config.delivery.pausedHoldMaxAgeMs),
        now,
      );
      metrics.dropped(dropped, 'hold_age');
      const removed = await outbox.deleteFinishedBefore(
        new Date(now.getTime() - config.delivery.historyRetentionMs),
      );
      if (dropped || removed) {
        logger.info(
          `SSF maintenance: dropped ${dropped} SETs held too long, removed ${removed} finished SETs`,
        );
      }
    },
  });

  const resolveCaller = createCallerResolver({
    httpAuth: options.httpAuth,
    permissions: options.permissions,
    receiverAccess,
  });
  let callerFor = resolveCaller;
  const inactivityTimeout = config.inactivityTimeoutSeconds;
  if (inactivityTimeout !== undefined) {
    // SSF 1.0 §8.1.1: every call a receiver makes (stream management,
    // status, verification, subjects, polls) restarts its stream's clock;
    // portal admins' calls do not.
    const activity = new ReceiverActivity({
      store: streamStore,
      logger,
      timeoutSeconds: inactivityTimeout,
    });
    callerFor = async (req, permission) => {
      const caller = await resolveCaller(req, permission);
      if (caller.type === 'client') await activity.record(caller.clientId);
      return caller;
    };
    const monitor = new InactivityMonitor({
      streams,
      store: streamStore,
      timeoutSeconds: inactivityTimeout,
      logger,
      onPaused: (streamId, reason) =>
        options.alerts?.streamPausedByTransmitter({ streamId }, reason),
    });
    const seconds = InactivityMonitor.frequencySeconds(inactivityTimeout);
    await options.scheduler.scheduleTask({
      id: INACTIVITY_TASK_ID,
      frequency: { seconds },
      timeout: { minutes: 2 },
      initialDelay: { seconds },
      fn: async () => {
        await monitor.check();
      },
    });
  }
  const verify: Transmitter['verify'] = (caller, streamId, state) =>
    requestVerification({
      caller,
      streamId,
      state,
      streams,
      store: streamStore,
      emitter,
    });
  const deliveryAdmin = new DeliveryAdminService({
    streams,
    streamStore,
    outbox,
    poll,
    wake: () => worker.wake(),
  });
  return {
    config,
    emitter,
    streams,
    verify,
    deliveryAdmin,
    rootWellKnown: rootWellKnownRoute(options.config, config, baseUrl),
    router: createTransmitterRouter({
      config,
      baseUrl,
      streams,
      keys,
      subjects: new SubjectService({
        streams,
        streamStore,
        subjects,
        defaultSubjects: config.defaultSubjects,
      }),
      verify,
      emitter,
      poll,
      deliveryAdmin,
      history,
      callerFor,
      httpAuth: options.httpAuth,
      auditor: options.auditor,
    }),
  };
}

/** The host-root copy of the metadata, when the issuer is on this backend's origin. */
function rootWellKnownRoute(
  rootConfig: Config,
  config: TransmitterConfig,
  baseUrl: string,
): Transmitter['rootWellKnown'] {
  const backendOrigin = new URL(rootConfig.getString('backend.baseUrl')).origin;
  if (new URL(config.issuer).origin !== backendOrigin) {
    return undefined;
  }
  const metadata = buildTransmitterMetadata(config, baseUrl);
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(metadata);
  });
  return { path: rootWellKnownPath(config.issuer), router };
}
