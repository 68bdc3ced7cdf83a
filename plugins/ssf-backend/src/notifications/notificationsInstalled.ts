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

import { RootInstanceMetadataService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/**
 * Whether the notifications backend is part of this Backstage system.
 *
 * Service refs cannot be optional in backend-plugin-api 1.10, and
 * `notificationService` always resolves (its default factory only needs
 * auth and discovery, and sends over HTTP), so its presence says nothing.
 * The plugin is there when this instance installed it, or when
 * `discovery.endpoints` routes `notifications` to another instance (the
 * same two sources backend-defaults' rootSystemMetadata reads; that
 * service is not in every backend, e.g. not in startTestBackend's).
 */
export async function notificationsInstalled(options: {
  instanceMetadata: RootInstanceMetadataService;
  config: Config;
}): Promise<boolean> {
  const local = await options.instanceMetadata.getInstalledPlugins();
  if (local.some(p => p.pluginId === 'notifications')) return true;
  const endpoints =
    options.config.getOptionalConfigArray('discovery.endpoints') ?? [];
  return endpoints.some(endpoint => {
    const plugins = endpoint.getOptional('plugins');
    return Array.isArray(plugins) && plugins.includes('notifications');
  });
}
