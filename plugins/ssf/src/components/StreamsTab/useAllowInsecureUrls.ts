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

import { configApiRef, useApi } from '@backstage/core-plugin-api';

/**
 * Whether the stream form accepts `http:` endpoint URLs. The backend decides
 * (`ssf.transmitter.delivery.allowInsecureUrls`, not visible to the
 * browser); the form follows `ssf.ui.allowInsecureUrls`, which defaults to
 * true only in a development build, so that it does not refuse what a
 * development backend accepts. The backend still has the last word.
 */
export function useAllowInsecureUrls(): boolean {
  const configApi = useApi(configApiRef);
  return (
    configApi.getOptionalBoolean('ssf.ui.allowInsecureUrls') ??
    process.env.NODE_ENV === 'development'
  );
}
