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

import fs from 'node:fs';
import path from 'node:path';

/**
 * The shape of the package, checked so it stays the shape the README draws:
 *
 * - three concerns (`transmitter/`, `receiver/`, `identityHooks/`), each
 *   reached from outside only through its `index.ts`;
 * - shared helpers (`http/`, `database/`) that import no concern;
 * - nothing inside a concern imports the files that assemble it (its
 *   `create*.ts`, `router.ts`, `index.ts`) or the plugin's top-level files.
 *
 * Tests and test utilities may reach anywhere: they exercise the parts.
 */

const SRC = __dirname;
const CONCERNS = ['transmitter', 'receiver', 'identityHooks'];
const SHARED = [
  'http',
  'database',
  'config',
  'metrics',
  'notifications',
  'signals',
];
const TOP_LEVEL = ['plugin.ts', 'index.ts', 'router.ts'];
// Top-level wiring beside plugin.ts (the agent actions, the catalog's
// view, the relay, the people index): they use the concerns' services, and so, like plugin.ts, only
// through their index.ts.
const WIRING = ['actions', 'catalog', 'people', 'relay'];

function productionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__testUtils__' ? [] : productionFiles(full);
    }
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)
      ? [full]
      : [];
  });
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

function relativeImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map(m => {
    const target = path.resolve(path.dirname(file), m[1]);
    for (const candidate of [`${target}.ts`, `${target}.tsx`, target]) {
      if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
        return path.relative(SRC, candidate);
      }
    }
    return path.relative(SRC, path.join(target, 'index.ts'));
  });
}

/** The top folder of a path below src/, or '' for a top-level file. */
const topOf = (rel: string) =>
  rel.includes(path.sep) ? rel.split(path.sep)[0] : '';

function violations(): string[] {
  const found: string[] = [];
  for (const file of productionFiles(SRC)) {
    const from = path.relative(SRC, file);
    const fromTop = topOf(from);
    for (const to of relativeImports(file)) {
      const toTop = topOf(to);
      const edge = `${from} -> ${to}`;
      if (fromTop !== '' && TOP_LEVEL.includes(to)) {
        found.push(`${edge}: only the plugin's top-level files import these`);
      } else if (
        WIRING.includes(fromTop) &&
        CONCERNS.includes(toTop) &&
        to !== path.join(toTop, 'index.ts')
      ) {
        found.push(
          `${edge}: wiring reaches a concern only through its index.ts`,
        );
      } else if (SHARED.includes(fromTop) && !SHARED.includes(toTop)) {
        found.push(`${edge}: shared helpers import no concern`);
      } else if (
        CONCERNS.includes(fromTop) &&
        CONCERNS.includes(toTop) &&
        fromTop !== toTop &&
        to !== path.join(toTop, 'index.ts')
      ) {
        found.push(`${edge}: another concern only through its index.ts`);
      } else if (
        CONCERNS.includes(fromTop) &&
        fromTop === toTop &&
        path.dirname(from) !== fromTop &&
        path.dirname(to) === toTop &&
        /^(create[A-Z].*|router|index)\.ts$/.test(path.basename(to))
      ) {
        found.push(`${edge}: a part does not import what assembles it`);
      }
    }
  }
  return found;
}

describe('package layout', () => {
  it('keeps every import within the rules the README draws', () => {
    expect(violations()).toEqual([]);
  });

  it('finds the imports it checks', () => {
    // Guards the check itself: if the import pattern stopped matching, the
    // rule above would pass on nothing.
    const edges = relativeImports(path.join(SRC, 'plugin.ts'));
    expect(edges).toEqual(
      expect.arrayContaining([
        path.join('transmitter', 'index.ts'),
        path.join('receiver', 'index.ts'),
        path.join('identityHooks', 'index.ts'),
      ]),
    );
  });
});
