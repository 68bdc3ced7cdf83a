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

/** One route an Express router serves. @internal */
export interface RegisteredRoute {
  /** Lower-case HTTP method, e.g. `post`. */
  method: string;
  /**
   * The path as Express matches it, relative to the router: `:name`
   * parameters, and a literal colon escaped (`/subjects\:add`).
   */
  path: string;
}

// The parts of Express 4's (undocumented) router internals read here.
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  regexp: RegExp & { fast_slash?: boolean };
  keys: Array<{ name: string | number }>;
}

/**
 * Every route an Express 4 router serves, its mounted routers included, so a
 * test can hold the routes against the written contract (`src/schema/`).
 *
 * Express keeps a route's path as written but compiles a mount path
 * (`router.use('/a/:id', sub)`) into a regular expression only; that is
 * turned back into its path here, which is exact for the plain
 * `/segment/:param` mount paths this plugin uses and throws for anything else
 * rather than guess.
 *
 * @internal
 */
export function listRoutes(router: express.Router): RegisteredRoute[] {
  return walk((router as unknown as { stack: Layer[] }).stack, '');
}

function walk(stack: Layer[], prefix: string): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = [layer.route.path].flat();
      for (const path of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') {
            routes.push({ method, path: join(prefix, path) });
          }
        }
      }
    } else if (layer.handle?.stack) {
      routes.push(...walk(layer.handle.stack, `${prefix}${mountPath(layer)}`));
    }
  }
  return routes;
}

function join(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix || '/';
  return `${prefix}${path}`;
}

/** The mount path of a `router.use(path, sub)` layer, from its regexp. */
function mountPath(layer: Layer): string {
  if (layer.regexp.fast_slash) return '';
  // path-to-regexp 0.1 (Express 4) compiles `/a/:id/b` with `end: false` to
  // ^\/a(?:\/([^/]+?))\/b\/?(?=\/|$) (case-insensitive).
  let source = layer.regexp.source;
  const end = '\\/?(?=\\/|$)';
  if (!source.startsWith('^') || !source.endsWith(end)) {
    throw new Error(`Cannot read the mount path of /${source}/`);
  }
  source = source.slice(1, -end.length);
  for (const key of layer.keys) {
    const param = '(?:\\/([^/]+?))';
    if (!source.includes(param)) {
      throw new Error(`Cannot read the mount path of /${source}/`);
    }
    source = source.replace(param, `/:${key.name}`);
  }
  const path = source.replace(/\\(.)/g, '$1');
  if (/[()[\]?*+^$|]/.test(path)) {
    throw new Error(`Cannot read the mount path of /${layer.regexp.source}/`);
  }
  return path;
}
