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

import { ErrorRequestHandler } from 'express';

/**
 * Adds the RFC 6750 challenge to authentication failures: SSF receivers are
 * OAuth clients and expect `WWW-Authenticate: Bearer` on a 401. The error
 * body itself stays Backstage's standard error format. A token without the
 * scope a route needs gets the RFC 6750 §3.1 `insufficient_scope` challenge.
 *
 * @internal
 */
export function bearerChallenge(realm: string): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (error?.name === 'InsufficientScopeError' && !res.headersSent) {
      // RFC 6750 §3.1: the token is valid but lacks the scope.
      res.setHeader(
        'WWW-Authenticate',
        `Bearer realm="${realm}", error="insufficient_scope", scope="${error.scope}"`,
      );
    }
    if (error?.name === 'AuthenticationError' && !res.headersSent) {
      const challenge = req.headers.authorization
        ? `Bearer realm="${realm}", error="invalid_token"`
        : `Bearer realm="${realm}"`;
      res.setHeader('WWW-Authenticate', challenge);
    }
    next(error);
  };
}
