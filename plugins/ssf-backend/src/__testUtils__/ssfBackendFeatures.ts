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

import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ssfPlugin } from '../plugin';

/**
 * The features of a backend with only the SSF plugin: its database is
 * `knex`, its config `config` beside the base URL, and every permission
 * check answers `permission` (allow unless told). Kept apart from the
 * request helpers so that the ingestion benchmark's backend process loads
 * nothing a backend would not.
 */
export function ssfBackendFeatures(options: {
  knex: Knex;
  config?: JsonObject;
  permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
}) {
  return [
    ssfPlugin,
    mockServices.database.factory({ knex: options.knex }),
    mockServices.rootConfig.factory({
      data: {
        backend: { baseUrl: 'http://localhost:7007' },
        ...options.config,
      },
    }),
    mockServices.permissions.factory({
      result: options.permission ?? AuthorizeResult.ALLOW,
    }),
  ];
}
