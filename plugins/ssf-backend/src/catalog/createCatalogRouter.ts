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
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import type { Receiver } from '../receiver';
import { toWireProvider } from '../receiver';
import type { Transmitter } from '../transmitter';
import { toCatalogProvider, toCatalogStream } from './views';

/** The only caller of the catalog routes: the catalog plugin's own token. */
const CATALOG_PLUGIN = 'plugin:catalog';

/**
 * `GET /catalog/entities`: every stream and provider, for the catalog
 * module's entity provider. Only the catalog plugin may call it: the catalog
 * then decides who sees each entity (the SSF permission policy module keeps
 * that to holders of the read permissions). Portal users read the same
 * things through the admin routes, with their own permission checks.
 *
 * @internal
 */
export function createCatalogRouter(options: {
  httpAuth: HttpAuthService;
  transmitter: Pick<Transmitter, 'deliveryAdmin'>;
  receiver: Pick<Receiver, 'providers'>;
}): express.Router {
  const { httpAuth, transmitter, receiver } = options;
  const router = Router();
  router.get('/catalog/entities', async (req, res) => {
    const { principal } = await httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });
    if (principal.type === 'none') {
      throw new AuthenticationError('A catalog plugin token is required');
    }
    if (principal.type !== 'service' || principal.subject !== CATALOG_PLUGIN) {
      throw new NotAllowedError(
        'Only the catalog plugin may list SSF entities',
      );
    }
    const [streams, providers] = await Promise.all([
      transmitter.deliveryAdmin.listStreams(),
      receiver.providers.list(),
    ]);
    res.json({
      streams: streams.map(toCatalogStream),
      providers: providers.map(p => toCatalogProvider(toWireProvider(p))),
    });
  });
  return router;
}
