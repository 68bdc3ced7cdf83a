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

// How the SSF streams and providers appear in the software catalog (the
// catalog module @shared-signals/plugin-catalog-backend-module-ssf), named
// here because the permission policy module hides them by the same names.

/**
 * `spec.type` of a transmitter stream's `Resource` entity.
 *
 * @public
 */
export const SSF_STREAM_RESOURCE_TYPE = 'ssf-stream';

/**
 * `spec.type` of a Security Events Provider's `Resource` entity.
 *
 * @public
 */
export const SSF_PROVIDER_RESOURCE_TYPE = 'ssf-provider';

/**
 * The annotation that holds the stream ID on a stream's entity.
 *
 * @public
 */
export const SSF_STREAM_ID_ANNOTATION = 'shared-signals/stream-id';

/**
 * The annotation that holds the provider ID on a provider's entity.
 *
 * @public
 */
export const SSF_PROVIDER_ID_ANNOTATION = 'shared-signals/provider-id';
