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

export interface Config {
  ssf?: {
    /** Who may use the Shared Signals admin pages and APIs. */
    permissions?: {
      /**
       * Entity refs of the groups (or users) granted every `ssf.*`
       * permission. Default: `group:default/ssf-admins`.
       */
      adminGroups?: string[];
      /**
       * Entity refs granted the `ssf.*.read` permissions only. Default: none.
       */
      readerGroups?: string[];
      /**
       * What the policy answers for permissions that are not `ssf.*` when it
       * is installed as the portal's only policy: `allow` (as create-app's
       * allow-all policy, the default) or `deny`.
       */
      otherPermissions?: 'allow' | 'deny';
    };
  };
}
