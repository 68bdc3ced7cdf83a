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

/* eslint-disable no-console */

// `yarn test:conformance`: a black-box SSF 1.0 conformance suite. It talks to
// a running transmitter (and receiver) over HTTP only, so it can be pointed
// at any SSF implementation.
//
//   --base-url URL        the SSF base (default http://localhost:7007/api/ssf)
//   --token-a T, --token-b T
//                         access tokens of two receivers (OAuth clients);
//                         default: the dev portal's static tokens
//   --admin-token T       a portal user token for the receiver checks; on a
//                         local dev portal the guest user's is fetched
//   --audience A          the aud the receiver accepts (default: --base-url)
//   --host H              how the implementation reaches this machine
//                         (default 127.0.0.1)
//   --no-receiver         only the transmitter checks
//   --strict-transmitter-port P, --strict-transmitter-secret S
//                         also check the receiver managing a stream at a
//                         strict SSF 1.0 transmitter that this suite runs on
//                         127.0.0.1:P; the receiver must hold OAuth client
//                         credentials for issuer http://127.0.0.1:P/ssf
//                         (client portal-receiver, secret S)

import { receiverChecks } from './receiverChecks';
import { remoteStreamChecks } from './remoteStreamChecks';
import { Check, transmitterChecks } from './transmitterChecks';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function guestToken(baseUrl: string): Promise<string | undefined> {
  const origin = new URL(baseUrl).origin;
  try {
    const res = await fetch(
      `${origin}/api/auth/guest/refresh?env=development`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    const body: any = await res.json();
    return body?.backstageIdentity?.token;
  } catch {
    return undefined;
  }
}

async function main() {
  const baseUrl = arg('base-url', 'http://localhost:7007/api/ssf').replace(
    /\/+$/,
    '',
  );
  const host = arg('host', '127.0.0.1');
  const checks: Check[] = transmitterChecks({
    baseUrl,
    tokenA: arg('token-a', 'dev-receiver-a-token'),
    tokenB: arg('token-b', 'dev-receiver-b-token'),
    receiverHost: host,
  });
  let closeReceiver = async () => {};
  if (!process.argv.includes('--no-receiver')) {
    const adminToken = arg('admin-token', '') || (await guestToken(baseUrl));
    if (!adminToken) {
      console.error(
        'No --admin-token and no guest sign-in: skipping the receiver checks',
      );
    } else {
      const receiver = receiverChecks({
        baseUrl,
        adminToken,
        audience: arg('audience', baseUrl),
        keysHost: host,
      });
      checks.push(...receiver.checks);
      const port = Number(arg('strict-transmitter-port', '0'));
      const secret = arg('strict-transmitter-secret', '');
      const remote =
        port && secret
          ? remoteStreamChecks({
              baseUrl,
              adminToken,
              port,
              clientSecret: secret,
            })
          : undefined;
      if (remote) checks.push(...remote.checks);
      closeReceiver = async () => {
        await receiver.close();
        await remote?.close();
      };
    }
  }

  console.log(`SSF conformance against ${baseUrl}\n`);
  console.log('| group | check | result | detail |');
  console.log('| --- | --- | --- | --- |');
  let passed = 0;
  let failed = 0;
  let stopped = false;
  for (const check of checks) {
    if (stopped) {
      console.log(
        `| ${check.group} | ${check.name} | not run | an earlier critical check failed |`,
      );
      failed += 1;
      continue;
    }
    let result = 'pass';
    let detail = '';
    try {
      detail = (await check.run()) ?? '';
      passed += 1;
    } catch (error) {
      result = '**FAIL**';
      detail = (error as Error).message
        .replace(/\|/g, '\\|')
        .replace(/\s+/g, ' ');
      failed += 1;
      stopped = Boolean(check.critical);
    }
    console.log(`| ${check.group} | ${check.name} | ${result} | ${detail} |`);
  }
  await closeReceiver();
  console.log(`\nconformance: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
