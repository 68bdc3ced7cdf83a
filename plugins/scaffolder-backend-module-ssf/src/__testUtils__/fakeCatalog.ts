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
  createBackendPlugin,
} from '@backstage/backend-plugin-api';

/**
 * Stands in for the catalog backend with just the reads the scaffolder makes
 * when it starts a task from a template ref: the template entity by name (or
 * by refs), and 404 for anything else (such as the user entity).
 */
export function createFakeCatalogPlugin(entities: Array<Record<string, any>>) {
  const refOf = (e: Record<string, any>) =>
    `${String(e.kind).toLocaleLowerCase('en-US')}:${
      e.metadata.namespace ?? 'default'
    }/${e.metadata.name}`.toLocaleLowerCase('en-US');
  const byRef = new Map(entities.map(e => [refOf(e), e]));

  return createBackendPlugin({
    pluginId: 'catalog',
    register(env) {
      env.registerInit({
        deps: { httpRouter: coreServices.httpRouter },
        async init({ httpRouter }) {
          httpRouter.use((req, res, next) => {
            const byName = req.path.match(
              /^\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/,
            );
            if (req.method === 'GET' && byName) {
              const entity = byRef.get(
                `${byName[1]}:${byName[2]}/${byName[3]}`.toLocaleLowerCase(
                  'en-US',
                ),
              );
              if (entity) res.json(entity);
              else res.status(404).json({ error: { message: 'not found' } });
              return;
            }
            if (req.method === 'POST' && req.path === '/entities/by-refs') {
              const chunks: Buffer[] = [];
              req.on('data', (c: Buffer) => chunks.push(c));
              req.on('end', () => {
                const { entityRefs } = JSON.parse(
                  Buffer.concat(chunks).toString('utf8') || '{}',
                );
                res.json({
                  items: (entityRefs ?? []).map(
                    (r: string) =>
                      byRef.get(r.toLocaleLowerCase('en-US')) ?? null,
                  ),
                });
              });
              return;
            }
            next();
          });
        },
      });
    },
  });
}
