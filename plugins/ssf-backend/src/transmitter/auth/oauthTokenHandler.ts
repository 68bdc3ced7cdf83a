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
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  createExternalTokenHandler,
  externalTokenHandlersServiceRef,
} from '@backstage/backend-defaults/auth';
import { Config } from '@backstage/config';
import { createRemoteJWKSet, JWTPayload, jwtVerify } from 'jose';
import {
  ssfStreamManagePermission,
  ssfStreamReadPermission,
} from '@shared-signals/plugin-ssf-common';

/** The `type` of this handler's entries in `backend.auth.externalAccess`. @public */
export const SSF_OAUTH_TOKEN_TYPE = 'ssf-oauth';

/** The scope names a receiver's access token carries, unless configured. @internal */
export const DEFAULT_SCOPES = { read: 'ssf.read', manage: 'ssf.manage' };

type Context = {
  jwks: ReturnType<typeof createRemoteJWKSet>;
  issuers?: string[];
  audiences?: string[];
  algorithms?: string[];
  subjectPrefix?: string;
  scopes: { read: string; manage: string };
  plugins: string[];
};

function stringOrArray(config: Config, key: string): string[] | undefined {
  const value = config.getOptional(key);
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : config.getStringArray(key);
}

/**
 * The scopes of an access token: RFC 9068 §2.2.3 and RFC 8693 §4.2 give
 * `scope` as one space-separated string; some authorization servers send an
 * array in `scp` instead.
 */
function grantedScopes(payload: JWTPayload): Set<string> {
  const scope = payload.scope ?? payload.scp;
  if (typeof scope === 'string')
    return new Set(scope.split(' ').filter(Boolean));
  if (Array.isArray(scope)) return new Set(scope.map(String));
  return new Set();
}

/** The names of the permissions a token's scopes grant a receiver. @internal */
export function permissionsForScopes(
  scopes: Set<string>,
  names: { read: string; manage: string },
): string[] {
  if (scopes.has(names.manage)) {
    return [ssfStreamReadPermission.name, ssfStreamManagePermission.name];
  }
  if (scopes.has(names.read)) return [ssfStreamReadPermission.name];
  return [];
}

function createSsfOAuthTokenHandler(pluginId: string) {
  return createExternalTokenHandler<Context>({
    type: SSF_OAUTH_TOKEN_TYPE,
    initialize({ options }) {
      const url = new URL(options.getString('url'));
      return {
        jwks: createRemoteJWKSet(url),
        issuers: stringOrArray(options, 'issuer'),
        audiences: stringOrArray(options, 'audience'),
        algorithms: stringOrArray(options, 'algorithm'),
        subjectPrefix: options.getOptionalString('subjectPrefix'),
        scopes: {
          read: options.getOptionalString('scopes.read') ?? DEFAULT_SCOPES.read,
          manage:
            options.getOptionalString('scopes.manage') ?? DEFAULT_SCOPES.manage,
        },
        plugins: options.getOptionalStringArray('plugins') ?? ['ssf'],
      };
    },
    async verifyToken(token, ctx) {
      // A receiver's token opens only the plugins named, whatever it says.
      if (!ctx.plugins.includes(pluginId)) return undefined;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, ctx.jwks, {
          issuer: ctx.issuers,
          audience: ctx.audiences,
          algorithms: ctx.algorithms,
        }));
      } catch {
        return undefined;
      }
      // RFC 9068 §2.2: client_id names the client the token was issued to;
      // for client-credentials tokens sub usually is the same client.
      const clientId =
        typeof payload.client_id === 'string' && payload.client_id
          ? payload.client_id
          : payload.sub;
      if (!clientId) return undefined;
      const prefix = ctx.subjectPrefix
        ? `external:${ctx.subjectPrefix}:`
        : 'external:';
      return {
        subject: `${prefix}${clientId}`,
        // Backstage carries these on the service principal; the stream
        // routes answer 403 insufficient_scope for a permission not listed.
        accessRestrictions: {
          permissionNames: permissionsForScopes(
            grantedScopes(payload),
            ctx.scopes,
          ),
        },
      } as { subject: string };
    },
  });
}

/**
 * An external access token type for SSF receivers (`type: ssf-oauth` in
 * `backend.auth.externalAccess`): OAuth 2.0 JWT access tokens verified like
 * Backstage's `jwks` type (issuer, audience, algorithms, JWKS URL), whose
 * stream owner is the token's `client_id` (RFC 9068), falling back to `sub`,
 * and whose scopes decide what the receiver may do: `ssf.read` reads and
 * polls its stream, `ssf.manage` also creates, changes, verifies and deletes
 * it (names configurable as `options.scopes.read` / `options.scopes.manage`).
 * Tokens are accepted only by the plugins in `options.plugins` (default
 * `[ssf]`).
 *
 * @public
 */
export const ssfOAuthTokenHandlerServiceFactory = createServiceFactory({
  service: externalTokenHandlersServiceRef,
  deps: { plugin: coreServices.pluginMetadata },
  factory: ({ plugin }) => createSsfOAuthTokenHandler(plugin.getId()),
});
