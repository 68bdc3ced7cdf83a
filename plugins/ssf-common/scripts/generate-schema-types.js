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

// @ts-check

// Writes src/generated/<surface>.ts from each OpenAPI document of the SSF
// backend (plugins/ssf-backend/src/schema/<surface>.yaml) with
// openapi-typescript, so the clients' types come from the written contract
// rather than being kept by hand beside it.
//
//   yarn workspace @shared-signals/plugin-ssf-common schema:generate
//   yarn workspace @shared-signals/plugin-ssf-common schema:generate --check
//
// `--check` writes nothing and fails when a committed file is stale; the
// jest test src/generated.test.ts does the same check in CI.
//
// Backstage's own generator (`backstage-repo-tools package schema openapi
// generate`) needs the openapi-generator jar (Java, Maven Central); this one
// is plain JavaScript.

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

/** Where the backend's OpenAPI documents are, one per surface. */
const SCHEMA_DIR = path.resolve(__dirname, '../../ssf-backend/src/schema');

/** Where the generated modules go. */
const OUTPUT_DIR = path.resolve(__dirname, '../src/generated');

const REGENERATE =
  'yarn workspace @shared-signals/plugin-ssf-common schema:generate';

/**
 * The options the types are generated with.
 *
 * @type {import('openapi-typescript').OpenAPITSOptions}
 */
const OPTIONS = {
  // A schema's `default` is what the backend assumes when a member is
  // absent, so the member stays optional in request bodies (with the
  // default, openapi-typescript would make it required).
  defaultNonNullable: false,
  silent: true,
};

const LICENSE = `/*
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
 */`;

// What openapi-typescript exports, with the doc comment each gets. The
// release tag lets the package's API report take them as they are.
const EXPORT_DOCS = {
  paths: 'The routes of the document, by path and method.',
  webhooks: 'The webhooks of the document (none).',
  components: 'The reusable schemas, responses and parameters of the document.',
  $defs: 'The `$defs` of the document (none).',
  operations: 'Each operation of the document, by `operationId`.',
};

/**
 * The surfaces, by the documents in SCHEMA_DIR.
 *
 * @returns {string[]}
 */
function listSurfaces() {
  return fs
    .readdirSync(SCHEMA_DIR)
    .filter(file => file.endsWith('.yaml'))
    .map(file => file.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * The path of a surface's generated module.
 *
 * @param {string} surface
 * @returns {string}
 */
function outputFile(surface) {
  return path.join(OUTPUT_DIR, `${surface}.ts`);
}

/**
 * openapi-typescript writes JSDoc tags (`@description`, `@enum {string}`,
 * `@constant`, `@default value`) that TSDoc, which the API reports read, does
 * not define. Says the same in TSDoc: the description as plain text, the
 * default as a code span, and no tag the type itself already states.
 *
 * @param {string} text
 * @returns {string}
 */
function toTsdoc(text) {
  return (
    text
      // One-line comments that only restate the type.
      .replace(/^\s*\/\*\* @(?:enum \{[^}]*\}|constant) \*\/\n/gm, '')
      // Such lines inside longer comments.
      .replace(/^\s*\* @(?:enum \{[^}]*\}|constant)\s*\n/gm, '')
      .replace(/@description /g, '')
      .replace(/@default (.+?)( \*\/)?$/gm, (_m, value, end) => {
        return `Default: \`${value}\`${end ?? ''}`;
      })
  );
}

/**
 * The generated module for one surface, exactly as it is committed.
 *
 * @param {string} surface e.g. `streams`
 * @returns {Promise<string>}
 */
async function generate(surface) {
  // Loaded here so that requiring this file (e.g. to list the surfaces)
  // costs nothing.
  const { default: openapiTS, astToString } = require('openapi-typescript');
  // prettier 2 ships no types (prettier 3 does); it is only called here.
  // @ts-expect-error TS7016
  const prettier = require('prettier');

  const source = path.join(SCHEMA_DIR, `${surface}.yaml`);
  const ast = await openapiTS(pathToFileURL(source), OPTIONS);
  const body = toTsdoc(astToString(ast)).replace(
    /^export (?:interface|type) (\w+|\$defs)\b/gm,
    (declaration, name) => {
      const doc = EXPORT_DOCS[/** @type {keyof EXPORT_DOCS} */ (name)];
      if (!doc) {
        throw new Error(`openapi-typescript exported an unknown ${name}`);
      }
      return `/**\n * ${doc}\n *\n * @public\n */\n${declaration}`;
    },
  );
  const relativeSource = path
    .relative(path.resolve(__dirname, '../..'), source)
    .split(path.sep)
    .join('/');
  const text = [
    LICENSE,
    '',
    '// GENERATED FILE, DO NOT EDIT.',
    `// Generated by openapi-typescript from plugins/${relativeSource}.`,
    `// To regenerate: ${REGENERATE}`,
    '',
    '/* eslint-disable */',
    '',
    body,
  ].join('\n');
  const config = await prettier.resolveConfig(outputFile(surface));
  return prettier.format(text, {
    ...config,
    filepath: outputFile(surface),
  });
}

/**
 * Writes every surface's module, or with `check` only reports the stale ones.
 *
 * @param {{ check: boolean }} options
 * @returns {Promise<string[]>} the surfaces whose committed module was stale
 */
async function run(options) {
  const stale = [];
  if (!options.check) {
    fs.mkdirSync(OUTPUT_DIR, { recursive: true });
  }
  for (const surface of listSurfaces()) {
    const file = outputFile(surface);
    const text = await generate(surface);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (current !== text) {
      stale.push(surface);
      if (!options.check) {
        fs.writeFileSync(file, text);
      }
    }
  }
  return stale;
}

module.exports = {
  SCHEMA_DIR,
  OUTPUT_DIR,
  REGENERATE,
  listSurfaces,
  outputFile,
  generate,
};

if (require.main === module) {
  const check = process.argv.includes('--check');
  run({ check }).then(
    stale => {
      if (check && stale.length > 0) {
        process.stderr.write(
          `Stale generated types for ${stale.join(', ')}; run ${REGENERATE}\n`,
        );
        process.exitCode = 1;
      } else if (!check) {
        process.stdout.write(
          stale.length > 0
            ? `Regenerated ${stale.join(', ')}\n`
            : 'Generated types are up to date\n',
        );
      }
    },
    error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exitCode = 1;
    },
  );
}
