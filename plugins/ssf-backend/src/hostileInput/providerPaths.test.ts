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
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { callerOf, clientAuth, userAuth } from '../__testUtils__/testBackend';
import {
  asAdmin,
  PROVIDER_ID_ROUTES,
  PROVIDERS,
  startReceiverBackend,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';

jest.setTimeout(120_000);

// Every provider route that takes an id, with an id that does not decode:
// always a 4xx in the provider API's error body (`errorCode`, `errorSummary`,
// `errorLink`, `errorId`, `errorCauses`), never a 5xx, never a change.

// Path segments decodeURIComponent refuses: "%" not followed by two hex
// digits (RFC 3986 §2.1), and octets that are not UTF-8 (RFC 3629 §3:
// a lone continuation byte, a truncated sequence, an overlong form, a
// surrogate, beyond U+10FFFF).
const MALFORMED = [
  '%ff',
  '%E0%A4%A',
  '%',
  '%%',
  '%zz',
  '%f',
  'a%',
  'sse%',
  '%80',
  '%C0%AF',
  '%ED%A0%80',
  '%F4%90%80%80',
  '%E0%A4',
  '%ff%fe%fd',
  `${'%ff'.repeat(500)}`,
];

async function snapshot(knex: Knex) {
  return {
    providers: await knex('ssf_providers').select(),
    events: await knex('ssf_received_events').select(),
  };
}

const PROVIDER_ERROR_MEMBERS = [
  'errorCauses',
  'errorCode',
  'errorId',
  'errorLink',
  'errorSummary',
];

/** What is wrong with an answer, if anything. */
function problemWith(
  res: { status: number; body: any; text: string },
  allowed: number[],
): string | undefined {
  if (!allowed.includes(res.status)) {
    return `answered ${res.status}`;
  }
  const body = res.body ?? {};
  if (
    JSON.stringify(Object.keys(body).sort()) !==
      JSON.stringify(PROVIDER_ERROR_MEMBERS) ||
    body.errorLink !== body.errorCode ||
    !Array.isArray(body.errorCauses)
  ) {
    return 'not in the provider API error body';
  }
  if (res.status !== 400) {
    return undefined;
  }
  if (
    body.errorCode !== 'E0000001' ||
    !/not valid percent-encoded UTF-8/.test(
      body.errorCauses[0]?.errorSummary ?? '',
    )
  ) {
    return 'a 400 that does not say what is wrong';
  }
  // The quoted input is bounded.
  return res.text.length < 2048 ? undefined : 'a 400 quoting too much';
}

describeOnEachDatabase('malformed provider paths', (databases, id) => {
  it('answers a malformed id on every provider route with a 4xx in the provider API body, changing nothing', async () => {
    const transmitter = await TestTransmitter.start();
    try {
      const { server, knex } = await startReceiverBackend({ databases, id });
      // Something to protect.
      const created = await asAdmin(server).post(PROVIDERS, {
        name: 'p',
        type: 'okta',
        settings: {
          issuer: transmitter.issuer,
          jwks_url: transmitter.jwksUrl,
        },
      });
      expect(created.status).toBe(200);
      const before = await snapshot(knex);

      const failures: string[] = [];
      const admin = userAuth();
      for (const auth of [admin, clientAuth('client-a'), undefined]) {
        for (const bad of MALFORMED) {
          for (const [method, path] of PROVIDER_ID_ROUTES) {
            const res = await callerOf(server, auth)(
              method,
              `${PROVIDERS}/${bad}${path}`,
            )
              .set('Content-Type', 'application/json')
              .send(method === 'get' || method === 'delete' ? '' : '{}');
            const route = `${method.toUpperCase()} ${PROVIDERS}/${bad.slice(
              0,
              24,
            )}${path} (${auth ? 'auth' : 'none'})`;
            // An admin learns what is wrong; every caller gets a 4xx in
            // the provider API's body, never a 5xx.
            const problem = problemWith(
              res,
              auth === admin ? [400] : [400, 401, 403],
            );
            if (problem) {
              failures.push(
                `${route}: ${problem}: ${res.status} ${res.text.slice(0, 200)}`,
              );
            }
          }
        }
      }
      expect(failures).toEqual([]);
      expect(await snapshot(knex)).toEqual(before);
    } finally {
      await transmitter.close();
    }
  });
});
