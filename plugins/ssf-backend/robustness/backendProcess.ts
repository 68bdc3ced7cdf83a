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

// The whole SSF plugin on Backstage's HTTP stack (startTestBackend: the real
// root router and middleware, mock auth and permissions), with the real
// notifications and signals backends beside it, each plugin on a fresh
// database of its own, in a process of its own: for the load run's HTTP
// part and the faults that need the whole plugin (a scheduled task, the
// receiver's key fetching).
//
// argv[2]: JSON { db: 'sqlite' | 'pg', pgUrl, ssf: the `ssf` config }
// (`ssf.notifications` is set here). Answers id 0 with {port} once
// listening, then these commands:
//   trigger {task}   runs one of the plugin's scheduled tasks now, as the
//                    scheduler would (SchedulerService.triggerTask)
//   outbox           the SSF outbox's rows {jti, state, last_error}
//   notifications    {accepted, stored}: the sends of the plugin that the
//                    notifications backend accepted (a NotificationTally),
//                    and how many notifications it holds for the recipient
//   metrics {queries: [{name, attributes}]}  each query's total, read
//                    through an OpenTelemetry MeterProvider (the global one
//                    Backstage's MetricsService records into)
//   stop

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
import {
  DefaultNotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import signalsPlugin from '@backstage/plugin-signals-backend';
import { installTestMeterProvider } from '../src/__testUtils__/metrics';
import { ssfPlugin } from '../src/plugin';
import { Command, runChild } from './child';
import {
  countSent,
  noNotifications,
  NOTIFICATIONS_CONFIG,
  RECIPIENT,
} from './notifications';
import {
  createDatabase,
  Db,
  OpenDatabase,
  outboxRows,
  waitUntil,
} from './setup';

const { db, pgUrl, ssf } = JSON.parse(process.argv[2]) as {
  db: Db;
  pgUrl: string;
  ssf: Record<string, unknown>;
};

async function start() {
  // Before the backend starts: the MetricsService takes its meter once.
  const meters = installTestMeterProvider();

  // Each plugin its own database, as a production backend gives them; each
  // runs its own migrations.
  const databases = new Map<string, Promise<OpenDatabase>>();
  const databaseOf = (pluginId: string) => {
    if (!databases.has(pluginId)) {
      databases.set(pluginId, createDatabase(db, pgUrl));
    }
    return databases.get(pluginId)!;
  };

  // The notifications service the SSF plugin gets: the real one, which
  // posts to the notifications backend, counting the sends it accepted.
  const accepted = noNotifications();
  let sending = 0;
  let scheduler: SchedulerService | undefined;

  const backend = await startTestBackend({
    features: [
      ssfPlugin,
      notificationsPlugin,
      signalsPlugin,
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: async ({ plugin }) => {
          const { knex } = await databaseOf(plugin.getId());
          return { getClient: async () => knex };
        },
      }),
      createServiceFactory({
        service: notificationService,
        deps: { auth: coreServices.auth, discovery: coreServices.discovery },
        factory: ({ auth, discovery }) => {
          const real = DefaultNotificationService.create({ auth, discovery });
          return {
            async send(options) {
              sending += 1;
              try {
                await real.send(options);
                countSent(accepted, options);
              } finally {
                sending -= 1;
              }
            },
          };
        },
      }),
      createBackendModule({
        pluginId: 'ssf',
        moduleId: 'robustness-scheduler-handle',
        register(reg) {
          reg.registerInit({
            deps: { s: coreServices.scheduler },
            async init({ s }) {
              scheduler = s;
            },
          });
        },
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://localhost:7007' },
          app: { baseUrl: 'http://localhost:3000' },
          ssf: { ...ssf, notifications: NOTIFICATIONS_CONFIG },
        },
      }),
    ],
  });
  const port = backend.server.port();

  const handle = async (m: Command): Promise<unknown> => {
    switch (m.cmd) {
      case 'trigger':
        await scheduler!.triggerTask(m.task);
        return {};
      case 'outbox':
        return outboxRows((await databaseOf('ssf')).knex);
      case 'notifications': {
        // SsfAlerts sends without waiting; let the sends under way land.
        await waitUntil(() => sending === 0, 10_000);
        const res = await fetch(`http://127.0.0.1:${port}/api/notifications/`, {
          headers: { Authorization: mockCredentials.user.header(RECIPIENT) },
        });
        if (!res.ok) throw new Error(`notifications list: ${res.status}`);
        const { totalCount } = (await res.json()) as { totalCount: number };
        return { accepted, stored: totalCount };
      }
      case 'metrics': {
        const values: number[] = [];
        for (const q of m.queries as Array<{
          name: string;
          attributes?: Record<string, string>;
        }>) {
          values.push(await meters.value(q.name, q.attributes));
        }
        return values;
      }
      case 'stop':
        await backend.stop();
        for (const database of databases.values()) {
          await (await database).drop();
        }
        // Handles the test backend leaves open would keep the process alive.
        setTimeout(() => process.exit(0), 100);
        return {};
      default:
        throw new Error(`unknown command ${m.cmd}`);
    }
  };
  return { port, handle };
}

let started: Awaited<ReturnType<typeof start>>;
runChild(
  async () => {
    started = await start();
    return { port: started.port };
  },
  m => started.handle(m),
);
