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
  AuthService,
  DiscoveryService,
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  createSsfApiClient,
  DEFAULT_SSF_ADMIN_GROUPS,
  SsfApiClient,
} from '@shared-signals/plugin-ssf-common';
import { EntityContext, providerEntity, streamEntity } from './entities';

/** Every minute: reading the SSF plugin's lists is a handful of queries. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 1 },
  timeout: { minutes: 1 },
  initialDelay: { seconds: 15 },
};

/**
 * Options of {@link SsfEntityProvider}.
 *
 * @public
 */
export interface SsfEntityProviderOptions {
  /** Where failed reads are logged. */
  logger: LoggerService;
  /** Runs the refresh task (`catalog.providers.ssf.schedule`). */
  scheduler: SchedulerService;
  /** Finds the SSF plugin's base URL. */
  discovery: DiscoveryService;
  /** Issues the catalog's plugin token for the SSF plugin. */
  auth: AuthService;
  /** The portal's frontend base URL (`app.baseUrl`), for links to the admin pages. */
  appBaseUrl: string;
  /** How often to refresh; default every minute. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** Owner of the entities that name none; default `group:default/ssf-admins`. */
  defaultOwner?: string;
  /** The system the entities are part of (an entity ref). */
  system?: string;
  /** Defaults to the global fetch; tests may replace it. */
  fetch?: typeof fetch;
}

/**
 * Publishes every stream and provider of the SSF plugin as a `Resource`
 * entity. Each run reads `GET /api/ssf/catalog/entities` with the catalog's
 * own plugin token and replaces the provider's whole set (a full mutation),
 * so a deleted stream or provider leaves the catalog at the next run and a
 * changed one is updated. A failed read changes nothing: the entities of the
 * last good read stay until the SSF plugin answers again.
 *
 * @public
 */
export class SsfEntityProvider implements EntityProvider {
  readonly #options: SsfEntityProviderOptions;
  readonly #api: SsfApiClient;
  #connection?: EntityProviderConnection;

  /** Reads `catalog.providers.ssf` and `app.baseUrl`. */
  static fromConfig(
    config: Config,
    options: Omit<
      SsfEntityProviderOptions,
      'appBaseUrl' | 'schedule' | 'defaultOwner' | 'system'
    >,
  ): SsfEntityProvider {
    const c = config.getOptionalConfig('catalog.providers.ssf');
    return new SsfEntityProvider({
      ...options,
      appBaseUrl: config.getString('app.baseUrl'),
      schedule: c?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            c.getConfig('schedule'),
          )
        : undefined,
      defaultOwner: c?.getOptionalString('defaultOwner'),
      system: c?.getOptionalString('system'),
    });
  }

  constructor(options: SsfEntityProviderOptions) {
    this.#options = options;
    const fetchImpl = options.fetch ?? ((...args) => fetch(...args));
    this.#api = createSsfApiClient({
      baseUrl: () => options.discovery.getBaseUrl('ssf'),
      fetch: (url, init) => fetchImpl(url, init),
    });
  }

  /** The provider's name in the catalog: `ssf`. */
  getProviderName(): string {
    return 'ssf';
  }

  /** Called by the catalog: schedules the refresh task. */
  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    await this.#options.scheduler.scheduleTask({
      id: 'ssf-entity-provider:refresh',
      ...(this.#options.schedule ?? DEFAULT_SCHEDULE),
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          // Logged and left: the next run tries again, and the entities of
          // the last good run stay in the catalog meanwhile.
          this.#options.logger.warn(
            `Could not read the SSF streams and providers for the catalog: ${error}`,
          );
        }
      },
    });
  }

  /** Reads the SSF plugin's streams and providers and replaces the catalog's set. */
  async refresh(): Promise<{ streams: number; providers: number }> {
    if (!this.#connection) {
      throw new Error('The SSF entity provider is not connected yet');
    }
    const baseUrl = await this.#options.discovery.getBaseUrl('ssf');
    const { token } = await this.#options.auth.getPluginRequestToken({
      onBehalfOf: await this.#options.auth.getOwnServiceCredentials(),
      targetPluginId: 'ssf',
    });
    const { data, error, response } = await this.#api.GET('/catalog/entities', {
      headers: { authorization: `Bearer ${token}` },
    });
    if (!data) {
      // openapi-fetch has read the body already: the message is from it.
      throw new Error(
        `GET ${baseUrl}/catalog/entities answered ${response.status}: ${
          error?.error?.message ?? response.statusText
        }`,
      );
    }
    const context: EntityContext = {
      location: `${baseUrl}/catalog/entities`,
      appBaseUrl: this.#options.appBaseUrl.replace(/\/+$/, ''),
      defaultOwner: this.#options.defaultOwner ?? DEFAULT_SSF_ADMIN_GROUPS[0],
      system: this.#options.system,
    };
    const entities = [
      ...data.streams.map(s => streamEntity(s, context)),
      ...data.providers.map(p => providerEntity(p, context)),
    ];
    await this.#connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: 'ssf-entity-provider',
      })),
    });
    this.#options.logger.info(
      `Published ${data.streams.length} SSF streams and ${data.providers.length} SSF providers to the catalog`,
    );
    return { streams: data.streams.length, providers: data.providers.length };
  }
}
