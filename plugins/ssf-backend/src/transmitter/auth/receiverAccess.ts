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

import { Config } from '@backstage/config';
import { DEFAULT_SCOPES, SSF_OAUTH_TOKEN_TYPE } from './oauthTokenHandler';

/**
 * What the plugin needs to know of `backend.auth.externalAccess` to treat
 * receivers right: how Backstage decorated their client IDs, and the scope
 * names its challenges ask for.
 *
 * @internal
 */
export interface ReceiverAccessConfig {
  /** Turns a service principal's subject back into the client ID the authorization server issued. */
  clientIdOf(subject: string): string;
  /** The scope a permission needs, for `WWW-Authenticate` challenges. */
  scopes: { read: string; manage: string };
}

/**
 * Reads the receiver-facing parts of `backend.auth.externalAccess`. Refuses
 * an `ssf-oauth` entry with `accessRestrictions`: Backstage would replace the
 * restrictions its tokens' scopes grant with those, so a read-only token
 * could change streams.
 *
 * @internal
 */
export function readReceiverAccessConfig(config: Config): ReceiverAccessConfig {
  const entries =
    config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  const prefixes = new Set<string>();
  let scopes = DEFAULT_SCOPES;
  for (const entry of entries) {
    const type = entry.getOptionalString('type');
    if (type !== 'jwks' && type !== SSF_OAUTH_TOKEN_TYPE) continue;
    const prefix = entry.getOptionalString('options.subjectPrefix');
    prefixes.add(prefix ? `external:${prefix}:` : 'external:');
    if (type === SSF_OAUTH_TOKEN_TYPE) {
      if (entry.has('accessRestrictions')) {
        throw new Error(
          `backend.auth.externalAccess: an '${SSF_OAUTH_TOKEN_TYPE}' entry must not have accessRestrictions; its tokens are restricted by their scopes and by options.plugins (default [ssf])`,
        );
      }
      scopes = {
        read: entry.getOptionalString('options.scopes.read') ?? scopes.read,
        manage:
          entry.getOptionalString('options.scopes.manage') ?? scopes.manage,
      };
    }
  }
  // Longest first, so `external:oauth2:` wins over `external:`.
  const ordered = [...prefixes].sort((a, b) => b.length - a.length);
  return {
    clientIdOf(subject) {
      const prefix = ordered.find(p => subject.startsWith(p));
      return prefix ? subject.slice(prefix.length) : subject;
    },
    scopes,
  };
}
