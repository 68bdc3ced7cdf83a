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

// Checks what each packed tarball holds before anyone installs it: Backstage
// metadata (role, pluginId, pluginPackages), entry points that exist in the
// tarball, no workspace: ranges left, the config schema, and for the backend
// the migrations. Usage: checkPacks.js <folder of <name>.tgz and <name>.json>

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const dir = path.resolve(process.argv[2]);
const problems = [];
let checked = 0;

for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const pkg = JSON.parse(
    fs.readFileSync(path.join(dir, file.replace(/\.tgz$/, '.json')), 'utf8'),
  );
  const entries = new Set(
    execFileSync('tar', ['-tzf', path.join(dir, file)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(e => e.replace(/^package\//, '')),
  );
  const say = message => problems.push(`${pkg.name}: ${message}`);
  const has = p => entries.has(p.replace(/^\.\//, ''));

  const { role, pluginId, pluginPackages, pluginPackage } = pkg.backstage ?? {};
  if (!role) say('no backstage.role');
  if (role === 'backend-plugin-module') {
    // A module belongs to the plugin it extends.
    if (!pluginId || !pluginPackage) say('no pluginId and pluginPackage');
  } else {
    if (pluginId !== 'ssf') say(`backstage.pluginId is ${pluginId}`);
    if (!Array.isArray(pluginPackages) || !pluginPackages.includes(pkg.name)) {
      say('backstage.pluginPackages does not list the package');
    }
  }
  for (const key of ['main', 'types']) {
    if (!pkg[key] || !has(pkg[key]))
      say(`${key} ${pkg[key]} is not in the tarball`);
  }
  for (const [name, range] of Object.entries(pkg.dependencies ?? {})) {
    if (String(range).startsWith('workspace:'))
      say(`${name} is still ${range}`);
  }
  if (pkg.configSchema && !has(pkg.configSchema)) {
    say(`configSchema ${pkg.configSchema} is not in the tarball`);
  }
  if (role === 'backend-plugin') {
    // prepack compiles config.d.ts into config.schema.json.
    if (!pkg.configSchema) say('no configSchema');
    const migrations = [...entries].filter(e =>
      /^migrations\/\d+_.*\.js$/.test(e),
    );
    if (migrations.length < 4)
      say(`only ${migrations.length} migrations packed`);
  }
  if (role === 'frontend-plugin' && !pkg.exports?.['./alpha']) {
    say('no ./alpha export for the new frontend system');
  }
  console.log(
    `  ${pkg.name}@${pkg.version} (${role}): ${entries.size} files, ${(
      fs.statSync(path.join(dir, file)).size / 1024
    ).toFixed(0)} kB`,
  );
  checked += 1;
}

if (checked === 0) problems.push('no tarballs');
if (problems.length) {
  console.error(problems.map(p => `  ✗ ${p}`).join('\n'));
  process.exit(1);
}
