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

import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import express from 'express';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { createTestDatabases } from '../__testUtils__/databases';
import { startSsfBackend } from '../__testUtils__/testBackend';
import { listRoutes } from './listRoutes';

// The plugin's router, as the plugin builds it: the routes walked are the ones
// it really serves, not a list kept beside them.
const built: express.Router[] = [];
jest.mock('../router', () => {
  const actual = jest.requireActual('../router');
  return {
    ...actual,
    createRouter: (options: Parameters<typeof actual.createRouter>[0]) => {
      const router = actual.createRouter(options);
      built.push(router);
      return router;
    },
  };
});

jest.setTimeout(120_000);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

interface Operation {
  security?: unknown[];
}
interface Document {
  openapi: string;
  servers: Array<{ url: string }>;
  security?: unknown[];
  paths: Record<string, Record<string, Operation>>;
}

const documents = fs
  .readdirSync(__dirname)
  .filter(f => f.endsWith('.yaml'))
  .sort()
  .map(file => ({
    file,
    doc: parse(fs.readFileSync(path.join(__dirname, file), 'utf8')) as Document,
  }));

/** `METHOD /path` of every documented operation, and whether it is public. */
function documentedOperations() {
  const operations = new Map<string, { file: string; public: boolean }>();
  for (const { file, doc } of documents) {
    for (const [p, item] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const key = `${method.toUpperCase()} ${p}`;
        if (operations.has(key)) {
          throw new Error(`${key} is documented twice`);
        }
        const security = operation.security ?? doc.security ?? [];
        operations.set(key, { file, public: security.length === 0 });
      }
    }
  }
  return operations;
}

/** An Express path in OpenAPI's spelling: `:id` → `{id}`, `\:` → `:`. */
function toOpenApiPath(expressPath: string): string {
  return expressPath
    .replace(/(?<!\\):([A-Za-z_]\w*)/g, '{$1}')
    .replace(/\\:/g, ':');
}

// The routes that answer without a caller, on purpose: SSF 1.0 §7.1 metadata
// and the JWKS are public, and an RFC 8935 push is authenticated by the SET's
// signature (and a provider's bearer secret), not by a Backstage token. Each
// is documented with `security: []`; this list keeps a route from turning
// public by a slip in a document.
const PUBLIC = [
  'GET /.well-known/ssf-configuration',
  'GET /jwks',
  'POST /security-events',
];

describe('the written HTTP contract (src/schema)', () => {
  it('has one OpenAPI 3.1 document per surface, served at /api/ssf', () => {
    expect(documents.map(d => d.file)).toEqual([
      'admin.yaml',
      'catalog.yaml',
      'hooks.yaml',
      'ingestion.yaml',
      'people.yaml',
      'poll.yaml',
      'providers.yaml',
      'streams.yaml',
    ]);
    for (const { doc } of documents) {
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.servers).toEqual([{ url: '/api/ssf' }]);
    }
  });

  it('documents as public exactly the deliberately public routes', () => {
    const publicOnes = [...documentedOperations()]
      .filter(([, o]) => o.public)
      .map(([key]) => key)
      .sort();
    expect(publicOnes).toEqual([...PUBLIC].sort());
  });
});

describe.each(createTestDatabases().eachSupportedId())(
  'the routes the plugin serves, on %p',
  id => {
    const databases = createTestDatabases();

    async function start() {
      built.length = 0;
      const started = await startSsfBackend({
        databases,
        id,
        extraFeatures: [
          catalogServiceMock.factory(),
          // A request without an Authorization header carries no credentials
          // (the mock's default would be a signed-in user).
          mockServices.httpAuth.factory({
            defaultCredentials: mockCredentials.none(),
          }),
        ],
      });
      expect(built).toHaveLength(1);
      const routes = listRoutes(built[0]).map(r => ({
        ...r,
        key: `${r.method.toUpperCase()} ${toOpenApiPath(r.path)}`,
      }));
      return { ...started, routes };
    }

    it('are exactly the documented ones', async () => {
      const { backend, routes } = await start();
      const served = new Set(routes.map(r => r.key));
      const documented = new Set(documentedOperations().keys());
      expect({
        servedButUndocumented: [...served].filter(k => !documented.has(k)),
        documentedButNotServed: [...documented].filter(k => !served.has(k)),
      }).toEqual({ servedButUndocumented: [], documentedButNotServed: [] });
      // Every surface is served (a router that vanished would take its
      // documented routes with it and fail above; this names the document).
      const servedFiles = new Set(
        [...documentedOperations()]
          .filter(([key]) => served.has(key))
          .map(([, o]) => o.file),
      );
      expect([...servedFiles].sort()).toEqual(documents.map(d => d.file));
      await backend.stop();
    });

    it('check their caller first: without credentials every non-public route answers 401', async () => {
      const { backend, server, routes } = await start();
      const publicKeys = new Set(PUBLIC);
      const answers: Record<string, number> = {};
      for (const route of routes) {
        if (publicKeys.has(route.key)) continue;
        // Any value stands for a path parameter; the body is well-formed JSON
        // but empty, so only a caller check can answer before validation.
        const url = `/api/ssf${route.path
          .replace(/(?<!\\):[A-Za-z_]\w*/g, 'x')
          .replace(/\\:/g, ':')}`;
        const req =
          request(server)[
            route.method as 'get' | 'post' | 'put' | 'patch' | 'delete'
          ](url);
        const res = ['post', 'put', 'patch'].includes(route.method)
          ? await req.send({})
          : await req;
        answers[route.key] = res.status;
      }
      const expected = Object.fromEntries(
        Object.keys(answers).map(key => [key, 401]),
      );
      expect(answers).toEqual(expected);
      await backend.stop();
    });

    it('leave the public routes public', async () => {
      const { backend, server } = await start();
      expect(
        (await request(server).get('/api/ssf/.well-known/ssf-configuration'))
          .status,
      ).toBe(200);
      expect((await request(server).get('/api/ssf/jwks')).status).toBe(200);
      // Refused for what it carries (RFC 8935 §2.3), not for who sent it.
      const push = await request(server)
        .post('/api/ssf/security-events')
        .set('Content-Type', 'application/secevent+jwt')
        .send('not-a-set');
      expect(push.status).toBe(400);
      expect(push.body).toEqual({
        err: 'invalid_request',
        description: expect.any(String),
      });
      await backend.stop();
    });
  },
);
