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

// The types generated from the SSF backend's OpenAPI documents
// (plugins/ssf-backend/src/schema/<surface>.yaml), one set per surface and
// named after it. Component schemas are read as, e.g.,
// `SsfAdminComponents['schemas']['AdminStream']`.

import type { paths as AdminPaths } from '../generated/admin';
import type { paths as CatalogPaths } from '../generated/catalog';
import type { paths as HooksPaths } from '../generated/hooks';
import type { paths as IngestionPaths } from '../generated/ingestion';
import type { paths as PeoplePaths } from '../generated/people';
import type { paths as PollPaths } from '../generated/poll';
import type { paths as ProvidersPaths } from '../generated/providers';
import type { paths as StreamsPaths } from '../generated/streams';

export type {
  paths as SsfAdminPaths,
  components as SsfAdminComponents,
  operations as SsfAdminOperations,
} from '../generated/admin';
export type {
  paths as SsfCatalogPaths,
  components as SsfCatalogComponents,
  operations as SsfCatalogOperations,
} from '../generated/catalog';
export type {
  paths as SsfHooksPaths,
  components as SsfHooksComponents,
  operations as SsfHooksOperations,
} from '../generated/hooks';
export type {
  paths as SsfIngestionPaths,
  components as SsfIngestionComponents,
  operations as SsfIngestionOperations,
} from '../generated/ingestion';
export type {
  paths as SsfPeoplePaths,
  components as SsfPeopleComponents,
  operations as SsfPeopleOperations,
} from '../generated/people';
export type {
  paths as SsfPollPaths,
  components as SsfPollComponents,
  operations as SsfPollOperations,
} from '../generated/poll';
export type {
  paths as SsfProvidersPaths,
  components as SsfProvidersComponents,
  operations as SsfProvidersOperations,
} from '../generated/providers';
export type {
  paths as SsfStreamsPaths,
  components as SsfStreamsComponents,
  operations as SsfStreamsOperations,
} from '../generated/streams';

/**
 * Every route of the SSF backend (`/api/ssf`), from all of its OpenAPI
 * documents: what a {@link SsfApiClient} can call. No path is in two
 * documents (src/generated.test.ts checks it), so the intersection is exact.
 *
 * @public
 */
export type SsfApiPaths = StreamsPaths &
  PollPaths &
  AdminPaths &
  ProvidersPaths &
  HooksPaths &
  IngestionPaths &
  CatalogPaths &
  PeoplePaths;
