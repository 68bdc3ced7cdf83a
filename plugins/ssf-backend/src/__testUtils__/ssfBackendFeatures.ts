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
  BackstageCredentials,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ssfPlugin } from '../plugin';

/**
 * Who may do what in a test backend: every permission check answers this
 * one result, or what the function gives for the permission's name and the
 * caller's entity ref (a user's, or a service's subject).
 */
export type TestPermission =
  | AuthorizeResult.ALLOW
  | AuthorizeResult.DENY
  | ((permission: string, principal: string) => AuthorizeResult);

function principalOf(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? 'none';
}

/** The permissions service answering as `decide` says, basic and conditional checks alike. */
function permissionsAnswering(
  decide: (permission: string, principal: string) => AuthorizeResult,
) {
  const answer = async (
    requests: Array<{ permission: { name: string } }>,
    options: { credentials: BackstageCredentials },
  ) =>
    requests.map(r => ({
      result: decide(r.permission.name, principalOf(options.credentials)),
    })) as any;
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => ({ authorize: answer, authorizeConditional: answer }),
  });
}

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
  permission?: TestPermission;
}) {
  const permission = options.permission ?? AuthorizeResult.ALLOW;
  return [
    ssfPlugin,
    mockServices.database.factory({ knex: options.knex }),
    mockServices.rootConfig.factory({
      data: {
        backend: { baseUrl: 'http://localhost:7007' },
        ...options.config,
      },
    }),
    typeof permission === 'function'
      ? permissionsAnswering(permission)
      : mockServices.permissions.factory({ result: permission }),
  ];
}
