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

import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SWRConfig } from 'swr';
import { SsfApi, ssfApiRef } from '../api';

/**
 * Renders a tab in a test app with the given SsfApi mock and permission
 * decision. Permission results are cached by `usePermission` across
 * renders, so each render gets a cache of its own.
 */
export function renderTab(
  element: JSX.Element,
  options: {
    api: SsfApi;
    authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  },
) {
  return renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>,
    {
      apis: [
        [ssfApiRef, options.api],
        mockApis.permission({
          authorize: options.authorize ?? AuthorizeResult.ALLOW,
        }),
        mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      ],
    },
  );
}
