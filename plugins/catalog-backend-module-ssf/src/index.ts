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

/**
 * A catalog module that publishes the Shared Signals (SSF) plugin's streams
 * and providers as `Resource` entities.
 *
 * @packageDocumentation
 */

export { catalogModuleSsf as default } from './module';
export { SsfEntityProvider } from './provider/SsfEntityProvider';
export type { SsfEntityProviderOptions } from './provider/SsfEntityProvider';
// The entities' type and annotation names are in
// @shared-signals/plugin-ssf-common (SSF_STREAM_RESOURCE_TYPE and others).
