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

import { Knex } from 'knex';
import {
  callerOf,
  TestServer,
  userAuth,
} from '../../__testUtils__/testBackend';

/**
 * The lifecycle hooks API as one caller: a portal user by default, whom the
 * test backend's permissions allow unless it was started to deny.
 */
export function hooksAdmin(server: TestServer, authorization = userAuth()) {
  const call = callerOf(server, authorization);
  const hook = (id: string) => `/api/ssf/hooks/${id}`;
  return {
    call,
    list: () => call('get', '/api/ssf/hooks'),
    create: (definition: object) => call('post', '/api/ssf/hooks', definition),
    get: (id: string) => call('get', hook(id)),
    replace: (id: string, definition: object) =>
      call('put', hook(id), definition),
    change: (id: string, members: object) => call('patch', hook(id), members),
    remove: (id: string) => call('delete', hook(id)),
    dryRun: (body: object) => call('post', '/api/ssf/hooks/dry-run', body),
    identityChanges: (body: object) =>
      call('post', '/api/ssf/identity-changes', body),
    firings: (query = '') => call('get', `/api/ssf/hook-firings${query}`),
    lifecycleStatus: () => call('get', '/api/ssf/lifecycle/status'),
  };
}

/** The stored hooks as rows, booleans as booleans (SQLite gives 0 and 1). */
export async function storedHookRows(knex: Knex) {
  return (await knex('ssf_lifecycle_hooks').select().orderBy('id')).map(r => ({
    ...r,
    enabled: Boolean(r.enabled),
  }));
}
