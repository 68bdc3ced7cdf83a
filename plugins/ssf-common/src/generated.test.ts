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
import { parse } from 'yaml';
import {
  generate,
  listSurfaces,
  outputFile,
  OUTPUT_DIR,
  REGENERATE,
  SCHEMA_DIR,
} from '../scripts/generate-schema-types';

// Generating runs the OpenAPI bundler and prettier on six documents.
jest.setTimeout(60_000);

const surfaces = listSurfaces();

function staleness(surface: string, committed: string, fresh: string) {
  if (committed === fresh) return undefined;
  const before = committed.split('\n');
  const after = fresh.split('\n');
  let line = 0;
  while (before[line] === after[line]) line++;
  return (
    `src/generated/${surface}.ts is stale from line ${line + 1} ` +
    `(${JSON.stringify(before[line])}, now ${JSON.stringify(after[line])}); ` +
    `do not edit it, run ${REGENERATE}`
  );
}

describe('the types generated from the backend OpenAPI documents', () => {
  it('has one generated module per document, and no other', () => {
    expect(surfaces).toEqual([
      'admin',
      'catalog',
      'hooks',
      'ingestion',
      'people',
      'poll',
      'providers',
      'streams',
    ]);
    const modules = fs
      .readdirSync(OUTPUT_DIR)
      .filter(f => f.endsWith('.ts'))
      .map(f => f.slice(0, -'.ts'.length))
      .sort();
    expect(modules).toEqual(surfaces);
  });

  it.each(surfaces)(
    'src/generated/%s.ts is what the document generates now',
    async surface => {
      const committed = fs.readFileSync(outputFile(surface), 'utf8');
      const fresh = await generate(surface);
      // Undefined when up to date; otherwise says where, and how to fix it.
      expect(staleness(surface, committed, fresh)).toBeUndefined();
    },
  );

  it('puts each path in one document only, so their paths intersect exactly', () => {
    // SsfApiPaths is the intersection of every document's paths; a path in
    // two documents would intersect each one's `get?: never` with the
    // other's operation and leave the route uncallable.
    const owners = new Map<string, string[]>();
    for (const surface of surfaces) {
      const doc = parse(
        fs.readFileSync(path.join(SCHEMA_DIR, `${surface}.yaml`), 'utf8'),
      ) as { paths: Record<string, unknown> };
      for (const p of Object.keys(doc.paths)) {
        owners.set(p, [...(owners.get(p) ?? []), surface]);
      }
    }
    const shared = [...owners].filter(([, docs]) => docs.length > 1);
    expect(shared).toEqual([]);
  });
});
