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

import { Knex } from 'knex';
import { captureLogs } from './__testUtils__/capturedLogs';
import { describeOnEachDatabase } from './__testUtils__/databases';
import { SESSION_REVOKED } from './__testUtils__/specUris';
import {
  callerOf,
  clientAuth,
  createPushStream,
  startSsfBackend,
  userAuth,
} from './__testUtils__/testBackend';

jest.setTimeout(120_000);

// Every JSON route, fed hostile input: always a 4xx with a message, never a
// 5xx, never a change in any table, never a secret in a response or a log.

type Route = [method: 'post' | 'put' | 'patch', path: string];

const ROUTES: Route[] = [
  ['post', '/api/ssf/streams'],
  ['put', '/api/ssf/streams'],
  ['patch', '/api/ssf/streams'],
  ['post', '/api/ssf/streams/status'],
  ['post', '/api/ssf/streams/verify'],
  ['post', '/api/ssf/subjects:add'],
  ['post', '/api/ssf/subjects:remove'],
  ['post', '/api/ssf/emit'],
  ['post', '/api/ssf/admin/streams/redeliver'],
  ['post', '/api/ssf/security-events-providers'],
  ['post', '/api/ssf/hooks'],
  ['put', '/api/ssf/hooks/hook_x'],
  ['patch', '/api/ssf/hooks/hook_x'],
  ['post', '/api/ssf/hooks/dry-run'],
  ['post', '/api/ssf/identity-changes'],
];

// Beyond each route's body limit: 64 kB, and 1 MB for identity change batches.
const hugeBodySize = (path: string) =>
  (path.endsWith('/identity-changes') ? 1536 : 200) * 1024;

function deep(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const HOSTILE_BODIES: Array<[string, string]> = [
  ['malformed JSON', '{"stream_id": '],
  ['a JSON string', '"hello"'],
  ['a JSON number', '42'],
  ['null', 'null'],
  ['an array', '[{"stream_id":"x"}]'],
  [
    'wrong types',
    JSON.stringify({
      stream_id: 7,
      status: true,
      delivery: 'push',
      events_requested: 'all',
      name: [],
      settings: 1,
      subject: 'me',
      type: {},
    }),
  ],
  [
    'deep nesting',
    JSON.stringify({
      stream_id: 'x',
      delivery: deep(1500),
      subject: deep(1500),
    }),
  ],
  [
    'unicode edge cases',
    JSON.stringify({
      stream_id: '\u0000\ud800💥\u202e',
      description: '\uffff'.repeat(10),
      name: '\u0000',
      status: 'énabled',
    }),
  ],
  [
    'SQL-ish strings',
    JSON.stringify({
      stream_id: "x' OR '1'='1",
      description: "'); DROP TABLE ssf_streams;--",
      name: "a'; DELETE FROM ssf_providers;--",
    }),
  ],
  [
    'header injection',
    JSON.stringify({
      delivery: {
        method: 'urn:ietf:rfc:8935',
        endpoint_url: 'https://receiver.example.com/',
        authorization_header: 'Bearer x\r\nX-Injected: yes',
      },
    }),
  ],
  [
    'prototype pollution',
    '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"stream_id":"x"}',
  ],
];

async function snapshot(knex: Knex) {
  const tables = [
    'ssf_streams',
    'ssf_stream_subjects',
    'ssf_outbox',
    'ssf_providers',
    'ssf_received_events',
    'ssf_lifecycle_hooks',
    'ssf_identity_snapshots',
    'ssf_identity_changes',
    'ssf_hook_firings',
  ];
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    if (await knex.schema.hasTable(table))
      out[table] = await knex(table).select();
  }
  return out;
}

describeOnEachDatabase('robustness', (databases, id) => {
  it('answers hostile input on every route with a 4xx and a message, changing nothing', async () => {
    const { lines, factory: logger } = captureLogs();
    const { server, knex } = await startSsfBackend({
      databases,
      id,
      extraFeatures: [logger],
    });
    // Something to protect: a stream with a secret header, and a provider.
    const stream = (
      await createPushStream(
        server,
        'client-a',
        'https://receiver.example.com/ssf',
        [SESSION_REVOKED],
        {
          delivery: {
            authorization_header: 'Bearer top-secret-receiver-credential',
          },
        },
      )
    ).body;
    expect(stream.stream_id).toBeDefined();
    const before = await snapshot(knex);

    const answers: string[] = [];
    for (const auth of [
      clientAuth('client-a'),
      userAuth(),
      clientAuth('plugin:some-plugin'),
    ]) {
      /** Sends `text` as it is, as JSON. */
      const sendJson = (method: Route[0], path: string, text: string) =>
        callerOf(server, auth)(method, path)
          .set('Content-Type', 'application/json')
          .send(text);
      for (const [method, path] of ROUTES) {
        for (const [what, body] of HOSTILE_BODIES) {
          const res = await sendJson(method, path, body);
          answers.push(res.text);
          const outcome = {
            route: `${method.toUpperCase()} ${path}`,
            what,
            status: res.status,
          };
          expect(outcome).toEqual({ ...outcome, status: expect.any(Number) });
          if (res.status < 400 || res.status >= 500) {
            throw new Error(
              `${outcome.route} with ${what} answered ${
                res.status
              }: ${res.text.slice(0, 300)}`,
            );
          }
          expect(res.text.length).toBeGreaterThan(0);
        }
        const huge = await sendJson(
          method,
          path,
          JSON.stringify({ description: 'x'.repeat(hugeBodySize(path)) }),
        );
        expect({ path, status: huge.status }).toEqual({ path, status: 413 });
      }
    }

    expect(await snapshot(knex)).toEqual(before);
    // The log capture works: the stream's creation was audited through it.
    expect(lines.some(l => l.includes('stream-mutate'))).toBe(true);
    const everything = [...answers, ...lines].join('\n');
    expect(everything).not.toContain('top-secret-receiver-credential');
    expect(everything).not.toMatch(/"d":"[A-Za-z0-9_-]{20,}/); // no private JWK member
  });
});
