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
import express from 'express';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { TransmitterConfig } from '../config';
import { createDelivery } from '../delivery/createDelivery';
import { deliveryChangeEffects } from '../delivery/deliveryChangeEffects';
import { createDeliveryRouter } from '../delivery/router';
import { deliveryStatusEffects } from '../delivery/statusEffects';
import { TransmitterEmitter } from '../delivery/TransmitterEmitter';
import { ReceiverAccessConfig } from './auth/receiverAccess';
import { createCallerResolver } from './callers';
import { ReceiverProfiles } from './profiles/ReceiverProfiles';
import { createTransmitterRouter } from './router';
import { StreamService } from './StreamService';

const MAINTENANCE_TASK_ID = 'ssf-transmitter-maintenance';

/** The transmitter's parts, for the plugin to mount and for other concerns to use. @internal */
export interface Transmitter {
  routers: express.Router[];
  emitter: TransmitterEmitter;
  streams: StreamService;
}

/**
 * Builds the transmitter: stores, signing, the outbox emitter, the push
 * worker (started and stopped with the backend), poll delivery, the routes,
 * and a global maintenance task that ages out held and finished SETs.
 *
 * @internal
 */
export async function setUpTransmitter(options: {
  config: TransmitterConfig;
  knex: Knex;
  baseUrl: string;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  lifecycle: LifecycleService;
  scheduler: SchedulerService;
  profiles: ReceiverProfiles;
  receiverAccess: ReceiverAccessConfig;
}): Promise<Transmitter> {
  const { config, knex, baseUrl, logger, profiles, receiverAccess } = options;
  const {
    keys,
    streams: streamStore,
    subjects,
    outbox,
    worker,
    poll,
    emitter,
  } = await createDelivery({
    config,
    knex,
    logger,
    owner: `${hostname()}-${randomUUID().slice(0, 8)}`,
    profiles,
  });
  const streams = new StreamService({
    store: streamStore,
    config,
    profiles,
    clientIdOf: receiverAccess.clientIdOf,
    baseUrl,
    onStatusChange: deliveryStatusEffects({ emitter, outbox }),
    onDeliveryChange: deliveryChangeEffects({
      emitter,
      outbox,
      config,
      logger,
    }),
  });

  options.lifecycle.addStartupHook(() => worker.start());
  options.lifecycle.addShutdownHook(async () => {
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

  const callerFor = createCallerResolver(options);
  return {
    emitter,
    streams,
    routers: [
      createTransmitterRouter({
        config,
        baseUrl,
        streams,
        keys,
        callerFor,
        auditor: options.auditor,
      }),
      createDeliveryRouter({
        config,
        streams,
        streamStore,
        subjects,
        outbox,
        emitter,
        poll,
        callerFor,
        httpAuth: options.httpAuth,
        auditor: options.auditor,
        wake: () => worker.wake(),
      }),
    ],
  };
}
