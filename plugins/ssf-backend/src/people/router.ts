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

import { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { queryParams } from '../http/validation';
import { PersonSignals } from './PersonSignals';

const DEFAULT_LIMIT = 20;

const signalsQuery = z
  .object({
    entity_ref: z
      .string({ error: 'entity_ref is required' })
      .min(1, 'entity_ref is required')
      .max(512),
    limit: z.coerce.number().int().min(1).max(100).optional(),
  })
  .strict();

/**
 * `GET /people/signals?entity_ref=user:default/jane`: the security events
 * about one catalog user, for portal users (the Security signals card).
 *
 * @internal
 */
export function createPeopleRouter(options: {
  signals: PersonSignals;
  httpAuth: HttpAuthService;
}): express.Router {
  const router = Router();
  router.get('/people/signals', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user'],
    });
    const q = queryParams(req, signalsQuery);
    res.json(
      await options.signals.forUser(
        q.entity_ref,
        q.limit ?? DEFAULT_LIMIT,
        credentials,
      ),
    );
  });
  return router;
}
