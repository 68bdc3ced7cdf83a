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

// What a fresh portal with the packed plugins must do: answer the SSF
// metadata, let a receiver create a stream with an external access token,
// list the scaffolder actions, and render the Shared Signals page in
// Chromium. Prints one line per check and "test:install: N passed, M failed".
//
// Usage: checks.js <backend url> <app url> <receiver token> <screenshot file>

const { chromium } = require('playwright-core');

const [backendUrl, appUrl, receiverToken, screenshot] = process.argv.slice(2);
const ssf = `${backendUrl}/api/ssf`;
const results = [];

async function check(name, fn) {
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail });
    console.log(`  ✓ ${name}${detail ? ` — ${detail}` : ''}`);
  } catch (error) {
    results.push({ name, ok: false, detail: String(error.message ?? error) });
    console.log(`  ✗ ${name} — ${error.message ?? error}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function json(res) {
  const text = await res.text();
  return text ? JSON.parse(text) : undefined;
}

async function guestToken() {
  const res = await fetch(
    `${backendUrl}/api/auth/guest/refresh?env=development`,
    {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    },
  );
  const body = await json(res);
  assert(
    body?.backstageIdentity?.token,
    `guest sign-in answered ${res.status}`,
  );
  return body.backstageIdentity.token;
}

async function main() {
  await check('the SSF metadata answers', async () => {
    const res = await fetch(`${ssf}/.well-known/ssf-configuration`);
    const body = await json(res);
    assert(res.status === 200, `answered ${res.status}`);
    assert(body.issuer === ssf, `issuer is ${body.issuer}`);
    assert(
      body.jwks_uri && body.configuration_endpoint,
      'jwks_uri or configuration_endpoint missing',
    );
    return `issuer ${body.issuer}`;
  });

  let clientId;
  let streamId;
  await check(
    'a receiver creates a stream with an external access token',
    async () => {
      const res = await fetch(`${ssf}/streams`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${receiverToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          delivery: { method: 'urn:ietf:rfc:8936' },
          events_requested: [
            'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
          ],
          description: 'test:install receiver',
        }),
      });
      const body = await json(res);
      assert(
        res.status === 201,
        `answered ${res.status} ${JSON.stringify(body)}`,
      );
      const list = await json(
        await fetch(`${ssf}/streams`, {
          headers: { authorization: `Bearer ${receiverToken}` },
        }),
      );
      assert(list.length === 1, `the receiver sees ${list.length} streams`);
      const unauthenticated = await fetch(`${ssf}/streams`);
      assert(
        unauthenticated.status === 401,
        `no token answered ${unauthenticated.status}`,
      );
      clientId = body.aud;
      streamId = body.stream_id;
      return `stream ${body.stream_id}, poll endpoint ${body.delivery.endpoint_url}`;
    },
  );

  await check('the catalog lists the stream as a Resource', async () => {
    assert(streamId, 'no stream was created');
    const token = await guestToken();
    const url = `${backendUrl}/api/catalog/entities/by-name/resource/default/ssf-stream-${streamId}`;
    // The entity provider's first refresh comes 15 s after start, and the
    // catalog then processes the entity: give it two refreshes.
    const deadline = Date.now() + 150_000;
    let res;
    for (;;) {
      res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (res.status === 200 || Date.now() > deadline) break;
      await new Promise(r => setTimeout(r, 2000));
    }
    const entity = await json(res);
    assert(res.status === 200, `answered ${res.status}`);
    assert(
      entity.spec?.type === 'ssf-stream',
      `spec.type is ${entity.spec?.type}`,
    );
    assert(
      entity.metadata?.annotations?.['shared-signals/stream-id'] === streamId,
      'the stream-id annotation is missing',
    );
    return `resource:default/ssf-stream-${streamId}`;
  });

  await check('the scaffolder lists the SSF actions', async () => {
    const token = await guestToken();
    const res = await fetch(`${backendUrl}/api/scaffolder/v2/actions`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const actions = (await json(res)).map(a => a.id);
    const ours = actions.filter(id => id.startsWith('ssf:'));
    for (const id of [
      'ssf:stream:create',
      'ssf:stream:verify',
      'ssf:stream:update-status',
      'ssf:provider:create',
    ]) {
      assert(
        ours.includes(id),
        `${id} is missing from ${ours.join(', ') || 'none'}`,
      );
    }
    return ours.join(', ');
  });

  await check('the Shared Signals page renders in Chromium', async () => {
    const browser = await chromium.launch({
      executablePath: process.env.SSF_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage({
        viewport: { width: 1400, height: 900 },
      });
      await page.goto(`${appUrl}/ssf`, { timeout: 120_000 });
      await page
        .getByRole('button', { name: 'Enter' })
        .click({ timeout: 120_000 });
      await page
        .getByRole('tab', { name: 'Streams', exact: true })
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('row', { name: new RegExp(clientId ?? 'install') })
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('tab', { name: 'Lifecycle hooks', exact: true })
        .click();
      await page
        .getByRole('row', { name: /lifecycle-inactive-session-revoked/ })
        .waitFor({ timeout: 60_000 });
      await page.screenshot({ path: screenshot });
      return `streams and lifecycle hooks shown; screenshot ${screenshot}`;
    } finally {
      await browser.close();
    }
  });

  const passed = results.filter(r => r.ok).length;
  console.log(
    `\ntest:install: ${passed} passed, ${results.length - passed} failed`,
  );
  process.exit(passed === results.length ? 0 : 1);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
