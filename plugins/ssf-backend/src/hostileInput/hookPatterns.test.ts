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

import request from 'supertest';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { CREDENTIAL_CHANGE } from '../__testUtils__/specUris';
import {
  clientAuth,
  startSsfBackend,
  TestServer,
  userAuth,
} from '../__testUtils__/testBackend';
import {
  hooksAdmin,
  storedHookRows,
} from '../identityHooks/__testUtils__/hooksAdmin';
import { mutableCatalog } from '../identityHooks/__testUtils__/identityHooksBackend';

jest.setTimeout(300_000);

// The security probe's hostile input for lifecycle hooks: catastrophic
// regular expressions against long adversarial values, through a dry run
// and through saved hooks fired by identity changes, and payload templates
// nested far deeper than any call stack. Every answer must be a 400 with a
// message or a 200 that completed; never a 5xx. With a backtracking engine
// several of these requests would not finish in the lifetime of the
// universe, so completing at all is the assertion that matching is linear;
// no wall-clock time is measured.

const ADMIN = userAuth();
const HR_FEED = clientAuth('hr-feed');
const PATH = 'metadata.labels.mfa';
const ANN = { format: 'email', email: 'ann@example.com' };
// No {{to}}: a 4 kB value would not fit the payload's reason_admin.
const TEMPLATE = { credential_type: 'app', change_type: 'delete' };

// Classic ReDoS patterns (exponential or high-degree polynomial under
// backtracking), and patterns the linear-time engine refuses.
const PATTERNS = [
  '(a|a)*b',
  '(a+)+$',
  '(a+)+b',
  '(.*a){20}',
  '(.*a){20}b',
  '([a-zA-Z]+)*$',
  '([a-zA-Z]+)*!b',
  '(a|aa)+$',
  '(a|aa)+b',
  '(a*)*b',
  '((a+)+)+b',
  '(x+x+)+y',
  '(\\w+\\s?)+$',
  '^(([a-z])+.)+[A-Z]([a-z])+$',
  '(a|b|ab)*c',
  '(?i)(a|A)*b',
  '(.*)*!',
  '(\\pL|a)*\\d',
  // Refused: backreferences, lookaround, huge counts or programs.
  '(a)\\1',
  '(a*)\\1b',
  '(?=a)a*b',
  '(?!b)(a|a)*b',
  '(?<!a)b',
  '(.*){1,32000}[bc]',
  'a{1,1000}'.repeat(100),
  '(?:a?){500}a{500}',
  'x'.repeat(1001),
];

const VALUES = [
  `${'a'.repeat(26)}!`, // the probe's value
  `${'a'.repeat(4095)}!`,
  'a'.repeat(4096),
  'ab'.repeat(2048),
  `${'a '.repeat(2047)}!!`,
  `${'aA'.repeat(2047)}1!`,
  '💥'.repeat(2048),
  `${'\u0000'.repeat(100)}${'a'.repeat(3000)}`,
  '',
];

// Over the 4,096-character value limit of identity changes: refused, 400.
const TOO_LONG = 'a'.repeat(4097);

// Deep JSON is built as text: JSON.stringify itself recurses, and throws a
// RangeError at a few thousand levels, so the backend gets JSON that deep
// only from a client that writes it out as this one does.
const deepObject = (depth: number) =>
  `${'{"a":'.repeat(depth)}"bottom"${'}'.repeat(depth)}`;
const deepArray = (depth: number) =>
  `${'['.repeat(depth)}"{{to}}"${']'.repeat(depth)}`;
const withTemplate = (extra: string) =>
  `{"credential_type":"app","change_type":"delete",${extra}}`;

const HOSTILE_TEMPLATES: Array<[string, string]> = [
  ['33 levels', withTemplate(`"x":${deepObject(32)}`)],
  ['3,000 levels of objects', withTemplate(`"x":${deepObject(3000)}`)],
  ['10,000 levels of objects', withTemplate(`"x":${deepObject(10_000)}`)],
  ['10,000 levels of arrays', withTemplate(`"x":${deepArray(10_000)}`)],
  [
    'arrays and objects mixed, 6,000 levels',
    withTemplate(`"x":${'[{"a":'.repeat(3000)}1${'}]'.repeat(3000)}`),
  ],
  [
    '2,000 members',
    withTemplate(
      Array.from({ length: 2000 }, (_, i) => `"k${i}":"v"`).join(','),
    ),
  ],
  ['1,000 placeholders', withTemplate(`"x":"${'{{to}}'.repeat(1000)}"`)],
  ['20 kB of JSON', withTemplate(`"x":"${'x'.repeat(20_000)}"`)],
];

// A JSON body with `json` (text) in place of the marker value.
function jsonWith(body: object, json: string): string {
  const text = JSON.stringify(body).replace('"@@JSON@@"', json);
  if (text === JSON.stringify(body)) throw new Error('no @@JSON@@ marker');
  return text;
}

type Answer = { what: string; status: number; text: string };

/** Sends `text` as it is, as JSON: deep JSON cannot go through JSON.stringify. */
const sendJson = (
  server: TestServer,
  method: 'post' | 'put' | 'patch',
  path: string,
  auth: string,
  text: string,
) =>
  request(server)
    [method](path)
    .set('Authorization', auth)
    .set('Content-Type', 'application/json')
    .send(text);

describeOnEachDatabase(
  'hostile hook patterns and templates',
  (databases, id) => {
    it('answers every catastrophic pattern, long value and deep template with a 400 or a completed 200, never a 5xx', async () => {
      const { server, backend, knex } = await startSsfBackend({
        databases,
        id,
        config: {
          ssf: {
            lifecycle: { identityChanges: { allowedServices: ['hr-feed'] } },
          },
        },
        extraFeatures: [mutableCatalog().factory],
      });
      const admin = hooksAdmin(server);
      const hrFeed = hooksAdmin(server, HR_FEED);
      const answers: Answer[] = [];
      const record = async (what: string, call: Promise<request.Response>) => {
        const res = await call;
        answers.push({ what, status: res.status, text: res.text });
        return res;
      };
      const hook = (name: string, trigger: object, template: unknown) => ({
        name,
        trigger: { on: 'attribute_changed', path: PATH, ...trigger },
        event_type: CREDENTIAL_CHANGE,
        payload_template: template,
      });

      // 1. Dry runs of unsaved hooks: every pattern, as from and as to,
      // against every value.
      for (const [i, pattern] of PATTERNS.entries()) {
        for (const [j, value] of [...VALUES, TOO_LONG].entries()) {
          for (const key of ['from', 'to'] as const) {
            await record(
              `dry run ${key} pattern ${i} value ${j}`,
              admin.dryRun({
                change: {
                  subject: ANN,
                  before: { [PATH]: key === 'from' ? value : 'x' },
                  attributes: { [PATH]: key === 'to' ? value : 'y' },
                },
                hook: hook(`dry-${i}`, { [key]: pattern }, TEMPLATE),
              }),
            );
          }
        }
      }

      // 2. The same patterns saved, then fired by an HR feed's changes: the
      // adversarial values arrive, then change to one another, so that both
      // `from` and `to` patterns see them.
      const saved: string[] = [];
      for (const [i, pattern] of PATTERNS.entries()) {
        for (const key of ['from', 'to'] as const) {
          const res = await record(
            `save ${key} pattern ${i}`,
            admin.create(hook(`p-${key}-${i}`, { [key]: pattern }, TEMPLATE)),
          );
          if (res.status === 201) saved.push(res.body.id);
        }
      }
      // The patterns the engine takes were saved; the rest were refused.
      expect(saved.length).toBeGreaterThanOrEqual(2 * 18);
      let fired = 0;
      for (const round of [0, 1, 2]) {
        const res = await record(
          `identity changes round ${round}`,
          hrFeed.identityChanges({
            changes: VALUES.map((_, k) => ({
              subject: { format: 'email', email: `user${k}@example.com` },
              attributes: {
                [PATH]: VALUES[(k + round) % VALUES.length],
              },
            })),
          }),
        );
        expect(res.status).toBe(200);
        for (const result of res.body.results) fired += result.events.length;
      }
      // The patterns were really matched: some values fit some of them,
      // e.g. (a+)+$ takes 4,096 a's and (.*)*! anything ending in "!".
      expect(fired).toBeGreaterThan(0);
      await record(
        'identity change over the value limit',
        hrFeed.identityChanges({
          changes: [
            {
              subject: { format: 'email', email: 'long@example.com' },
              attributes: { [PATH]: TOO_LONG },
            },
          ],
        }),
      );

      // 3. Deep and large templates, on every route that takes a hook:
      // refused, and nothing stored.
      const target = saved[0];
      const before = await storedHookRows(knex);
      for (const [what, template] of HOSTILE_TEMPLATES) {
        const body = hook('hostile-template', { to: 'on' }, '@@JSON@@');
        for (const [method, path, sent] of [
          ['post', '/api/ssf/hooks', jsonWith(body, template)],
          ['put', `/api/ssf/hooks/${target}`, jsonWith(body, template)],
          [
            'patch',
            `/api/ssf/hooks/${target}`,
            jsonWith({ payload_template: '@@JSON@@' }, template),
          ],
          [
            'post',
            '/api/ssf/hooks/dry-run',
            jsonWith(
              {
                change: { subject: ANN, attributes: { [PATH]: 'on' } },
                hook: body,
              },
              template,
            ),
          ],
        ] as const) {
          const res = await record(
            `${what} template on ${method} ${path}`,
            sendJson(server, method, path, ADMIN, sent),
          );
          expect({ what, method, path, status: res.status }).toEqual({
            what,
            method,
            path,
            status: 400,
          });
          expect(res.body.error.message).toMatch(/payload_template/);
        }
      }
      // Deep input elsewhere in the same routers.
      for (const [what, path, auth, text] of [
        [
          'a 10,000-level subject',
          '/api/ssf/identity-changes',
          HR_FEED,
          jsonWith(
            { changes: [{ subject: '@@JSON@@', attributes: { a: 'b' } }] },
            deepObject(10_000),
          ),
        ],
        [
          '10,000-level attributes',
          '/api/ssf/identity-changes',
          HR_FEED,
          jsonWith(
            { changes: [{ subject: ANN, attributes: '@@JSON@@' }] },
            deepObject(10_000),
          ),
        ],
        [
          'a 10,000-level dry-run change',
          '/api/ssf/hooks/dry-run',
          ADMIN,
          jsonWith(
            { change: { subject: ANN, attributes: '@@JSON@@' } },
            deepArray(10_000),
          ),
        ],
      ] as const) {
        const res = await record(
          what,
          sendJson(server, 'post', path, auth, text),
        );
        expect({ what, status: res.status }).toEqual({ what, status: 400 });
      }
      expect(await storedHookRows(knex)).toEqual(before);

      // Every answer a completed 200/201 or a 400 that says why.
      const bad = answers.filter(
        a =>
          !(
            a.status === 200 ||
            a.status === 201 ||
            (a.status === 400 && JSON.parse(a.text).error.message)
          ),
      );
      expect(
        bad.map(a => `${a.what}: ${a.status} ${a.text.slice(0, 200)}`),
      ).toEqual([]);
      expect(answers.filter(a => a.status >= 500)).toEqual([]);
      // The refused patterns were refused with the engine's reason.
      const messages = answers
        .filter(a => a.status === 400)
        .map(a => JSON.parse(a.text).error.message as string);
      expect(
        messages.some(m =>
          /invalid escape sequence: `\\1`.*Backreferences/.test(m),
        ),
      ).toBe(true);
      expect(
        messages.some(m => /unsupported Perl syntax: `\(\?=`/.test(m)),
      ).toBe(true);
      expect(
        messages.some(m =>
          /too large for the linear-time matching engine/.test(m),
        ),
      ).toBe(true);
      expect(answers.length).toBeGreaterThan(600);

      // The backend still answers.
      const metadata = await request(server).get(
        '/api/ssf/.well-known/ssf-configuration',
      );
      expect(metadata.status).toBe(200);
      const hooks = await admin.list();
      expect(hooks.status).toBe(200);
      await backend.stop();
    });
  },
);
