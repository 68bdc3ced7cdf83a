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

import express from 'express';
import Router from 'express-promise-router';
import { bearerChallenge } from './http/authChallenge';
import { bodyParserErrors } from './http/bodyParserErrors';

/** The largest JSON body any route accepts; larger ones get 413. @internal */
export const MAX_JSON_BODY = '64kb';

/**
 * The plugin's top-level router: JSON parsing with a size limit, the concern
 * routers, and the bearer challenge on 401s. Errors are left to Backstage's
 * error handler, which renders them in the standard error format.
 *
 * @internal
 */
export function createRouter(options: {
  realm: string;
  routers: express.Router[];
  /**
   * Routers that parse their own bodies, mounted ahead of everything else
   * (SET ingestion: the hottest route, which no other route needs to see).
   */
  ownBodyRouters?: express.Router[];
  /** Routes that take larger JSON bodies than MAX_JSON_BODY (batches). */
  bodyLimits?: Record<string, string>;
}): express.Router {
  const router = Router();
  for (const r of options.ownBodyRouters ?? []) {
    router.use(r);
  }
  // A body parsed by a route's own parser is left alone by the general one.
  for (const [path, limit] of Object.entries(options.bodyLimits ?? {})) {
    router.use(path, express.json({ limit, strict: true }));
    router.use(path, bodyParserErrors(limit));
  }
  router.use(express.json({ limit: MAX_JSON_BODY, strict: true }));
  router.use(bodyParserErrors(MAX_JSON_BODY));
  for (const r of options.routers) {
    router.use(r);
  }
  router.use(bearerChallenge(options.realm));
  return router;
}
