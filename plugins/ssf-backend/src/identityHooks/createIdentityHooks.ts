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
  AuthService,
  HttpAuthService,
  LifecycleService,
  LoggerService,
  PermissionsService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { EventsService } from '@backstage/plugin-events-node';
import { SsfIdentityChangeSource } from '@shared-signals/plugin-ssf-node';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import { ReceivedEventConsumer } from '../receiver';
import { TransmitterEmitter } from '../transmitter';
import { CatalogReconciler } from './catalog/CatalogReconciler';
import { subscribeToCatalogHistory } from './catalog/historyEvents';
import { readIdentityHooksConfig } from './config';
import { FiringStore } from './firings/FiringStore';
import { HookStore } from './hooks/HookStore';
import { patternProblem } from './hooks/matching';
import { createIdentityChangeSink } from './identities/IdentityChangeSink';
import { RunStore } from './identities/RunStore';
import { SnapshotStore } from './identities/SnapshotStore';
import { IdentityHookEngine } from './IdentityHookEngine';
import { IdentityHooksMetrics } from './metrics';
import { ReceivedEventHooks } from './received/ReceivedEventHooks';
import { SsfSignals } from '../signals/SsfSignals';
import { SsfAlerts } from '../notifications';
import {
  createIdentityHooksRouter,
  IDENTITY_CHANGES_BODY_LIMIT,
} from './router';

/** The scheduler id of the catalog reconciliation. @internal */
export const CATALOG_RECONCILE_TASK_ID = 'ssf-lifecycle-catalog-reconcile';
const MAINTENANCE_TASK_ID = 'ssf-lifecycle-maintenance';

/** The identity hooks' parts, for the plugin to mount. @internal */
export interface IdentityHooks {
  router: express.Router;
  /** Routes that take larger JSON bodies than the plugin's default. */
  bodyLimits: Record<string, string>;
  /**
   * Fires the `event_received` hooks on SETs the receiver stores, in their
   * transaction; for the plugin to add to the receiver's consumers. Absent
   * when the lifecycle hooks are off.
   */
  receivedEventConsumer?: ReceivedEventConsumer;
  /**
   * The `iss` of the `iss_sub` subjects the hooks send, whose `sub` is the
   * user's entity ref (`ssf.lifecycle.subject.issuer`, by default the
   * transmitter's issuer): one of every user's identities.
   */
  subjectIssuer: string;
}

const BODY_LIMITS = { '/identity-changes': IDENTITY_CHANGES_BODY_LIMIT };

/**
 * Builds the identity lifecycle hooks: installs the configured hooks, schedules
 * the catalog reconciliation (global, so one replica runs it), listens to
 * catalog history events, connects identity change sources from other
 * modules once the backend has started, and returns the routes.
 *
 * @internal
 */
export async function createIdentityHooks(options: {
  config: Config;
  transmitterIssuer: string;
  knex: Knex;
  logger: LoggerService;
  emitter: TransmitterEmitter;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  scheduler: SchedulerService;
  backendLifecycle: LifecycleService;
  catalog: CatalogService;
  events: EventsService;
  sources: SsfIdentityChangeSource[];
  metrics: MetricsService;
  /** Told when a catalog reconciliation is held back. */
  alerts?: SsfAlerts;
  /** Tells the admin pages when hooks fire and runs end; silent without. */
  signals?: SsfSignals;
}): Promise<IdentityHooks> {
  const { knex, logger } = options;
  const config = readIdentityHooksConfig(
    options.config,
    options.transmitterIssuer,
  );
  if (!config.enabled) {
    logger.info('Lifecycle hooks are off (ssf.lifecycle.enabled: false)');
    return {
      router: Router(),
      bodyLimits: BODY_LIMITS,
      subjectIssuer: config.subject.issuer,
    };
  }

  const hooks = new HookStore(knex);
  const installed = await hooks.installFromConfig(config.hooks);
  if (installed.skipped.length) {
    logger.warn(
      `Lifecycle: config hooks ${installed.skipped.join(
        ', ',
      )} were not installed: hooks made through the API already have these names`,
    );
  }
  // Hooks saved before patterns had to suit the linear-time engine (RE2) may
  // use lookaround or backreferences: they never fire until changed.
  for (const hook of await hooks.list()) {
    if (hook.trigger.on !== 'attribute_changed') continue;
    for (const key of ['from', 'to'] as const) {
      const pattern = hook.trigger[key];
      const problem =
        pattern === undefined ? undefined : patternProblem(pattern);
      if (problem) {
        logger.warn(
          `Lifecycle: hook ${hook.name} (${hook.id}) never fires until its trigger.${key} is changed: ${problem}`,
        );
      }
    }
  }
  const snapshots = new SnapshotStore(knex);
  const firings = new FiringStore(knex, {
    onFired: (hookIds, tx) => {
      for (const id of hookIds) options.signals?.hookFired(id, tx);
    },
  });
  const runs = new RunStore(knex);
  const engine = new IdentityHookEngine({
    knex,
    hooks,
    snapshots,
    firings,
    emitter: options.emitter,
    subjectIssuer: config.subject.issuer,
    logger,
  });

  let reconcileNow: (() => Promise<void>) | undefined;
  if (config.catalog.enabled) {
    const reconciler = new CatalogReconciler({
      catalog: options.catalog,
      auth: options.auth,
      engine,
      snapshots,
      runs,
      logger,
      pageSize: config.catalog.pageSize,
      maxRemovedFraction: config.catalog.maxRemovedFraction,
      metrics: new IdentityHooksMetrics(options.metrics, logger),
      alerts: options.alerts,
    });
    await options.scheduler.scheduleTask({
      id: CATALOG_RECONCILE_TASK_ID,
      ...config.catalog.schedule,
      fn: async signal => {
        try {
          await reconciler.reconcile(signal as AbortSignal);
        } finally {
          options.signals?.reconcileEnded();
        }
      },
    });
    reconcileNow = () =>
      options.scheduler.triggerTask(CATALOG_RECONCILE_TASK_ID);
    await subscribeToCatalogHistory({
      events: options.events,
      reconciler,
      logger,
    });
  }

  await options.scheduler.scheduleTask({
    id: MAINTENANCE_TASK_ID,
    frequency: { hours: 6 },
    timeout: { minutes: 5 },
    initialDelay: { minutes: 5 },
    fn: async () => {
      const removed = await firings.deleteBefore(
        new Date(Date.now() - config.historyRetentionMs),
      );
      if (removed) {
        logger.info(`Lifecycle: forgot ${removed} old changes and firings`);
      }
    },
  });

  options.backendLifecycle.addStartupHook(async () => {
    for (const source of options.sources) {
      try {
        await source.connect(createIdentityChangeSink(engine, source.id));
      } catch (error) {
        logger.error(
          `Lifecycle: the identity change source ${source.id} failed to connect`,
          error as Error,
        );
      }
    }
  });

  return {
    router: createIdentityHooksRouter({
      config,
      hooks,
      engine,
      emitter: options.emitter,
      firings,
      runs,
      snapshots,
      sink: createIdentityChangeSink(engine, 'api'),
      reconcileNow,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      auditor: options.auditor,
    }),
    bodyLimits: BODY_LIMITS,
    subjectIssuer: config.subject.issuer,
    receivedEventConsumer: new ReceivedEventHooks({
      hooks,
      firings,
      emitter: options.emitter,
      ownIssuer: options.transmitterIssuer,
      logger,
    }),
  };
}
