#!/usr/bin/env node
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

// Adds the packed plugins to a fresh Backstage app exactly as the root
// README's "Install into your portal" says: the dependencies `yarn add` would
// write, the two backend.add lines, and the config block. Only one thing is
// not a user's step: the packages are not on a registry, so the app's root
// `resolutions` point their names at the packed tarballs instead.
//
// Usage: addPlugins.js <app folder> <folder of packed tarballs> <repo root>

const fs = require('node:fs');
const path = require('node:path');

const [appDir, packsDir, repoRoot] = process.argv
  .slice(2)
  .map(p => path.resolve(p));

const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));
const writeJson = (file, value) =>
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

// name → tarball, read from the tarballs' own package.json files.
const packs = {};
for (const file of fs.readdirSync(packsDir).filter(f => f.endsWith('.tgz'))) {
  const manifest = readJson(
    path.join(packsDir, file.replace(/\.tgz$/, '.json')),
  );
  packs[manifest.name] = {
    file: path.join(packsDir, file),
    version: manifest.version,
  };
}

function addDependencies(workspace, names) {
  const file = path.join(appDir, workspace, 'package.json');
  const pkg = readJson(file);
  for (const name of names) {
    if (!packs[name]) throw new Error(`No packed tarball for ${name}`);
    pkg.dependencies[name] = `^${packs[name].version}`;
  }
  pkg.dependencies = Object.fromEntries(
    Object.entries(pkg.dependencies).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeJson(file, pkg);
}

// 1. yarn --cwd packages/backend add @shared-signals/plugin-ssf-backend @shared-signals/plugin-scaffolder-backend-module-ssf
addDependencies('packages/backend', [
  '@shared-signals/plugin-ssf-backend',
  '@shared-signals/plugin-scaffolder-backend-module-ssf',
  '@shared-signals/plugin-catalog-backend-module-ssf',
]);
// 2. yarn --cwd packages/app add @shared-signals/plugin-ssf
addDependencies('packages/app', ['@shared-signals/plugin-ssf']);

// The stand-in for the registry, and the platform pins this machine's
// registry mirror needs to resolve a fresh lockfile (see TOOLCHAIN notes in
// the root package.json's resolutions).
const rootFile = path.join(appDir, 'package.json');
const root = readJson(rootFile);
const ours = readJson(path.join(repoRoot, 'package.json')).resolutions ?? {};
root.resolutions = {
  ...root.resolutions,
  ...ours,
  ...Object.fromEntries(
    Object.entries(packs).map(([name, p]) => [name, `file:${p.file}`]),
  ),
};
writeJson(rootFile, root);

// 3. packages/backend/src/index.ts: the README's lines, before backend.start().
const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Install into your portal'));
const code =
  /```ts\n\/\/ packages\/backend\/src\/index\.ts\n([\s\S]*?)```/.exec(section);
if (!code)
  throw new Error('The README has no packages/backend/src/index.ts block');
const indexFile = path.join(appDir, 'packages/backend/src/index.ts');
const index = fs.readFileSync(indexFile, 'utf8');
if (!index.includes('backend.start();')) {
  throw new Error('packages/backend/src/index.ts has no backend.start()');
}
fs.writeFileSync(
  indexFile,
  index.replace('backend.start();', `${code[1]}\nbackend.start();`),
);

// 4. The README's configuration block, as app-config.local.yaml.
const block = /```yaml\n# app-config\.local\.yaml\n([\s\S]*?)```/.exec(section);
if (!block) throw new Error('The README has no app-config.local.yaml block');
fs.writeFileSync(path.join(appDir, 'app-config.local.yaml'), block[1]);
console.log(
  `Added ${Object.keys(packs).length} packages, ${
    code[1].trim().split('\n').length
  } backend lines and ${block[1].trim().split('\n').length} lines of config`,
);
