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

/*
 * End-to-end tests of the Shared Signals admin page in a real browser.
 *
 * Runs with plain Node against a dev portal that is already up (see
 * scripts/e2e.sh, which starts it):
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs \
 *     packages/app/e2e-tests/ssf.e2e.ts
 *
 * playwright-core drives the machine's Chromium (never a downloaded one). The
 * test process also plays a push receiver and a transmitter's key server on
 * 127.0.0.1. Screenshots go to .tools/e2e-screenshots/, a summary to
 * .tools/e2e-results/ssf.e2e.json.
 */

/* eslint-disable no-console */
// playwright-core and jose are root dev tools (jose comes with the backend
// plugin); this file is not part of the app bundle.
import { chromium, Browser, Locator, Page } from 'playwright-core';
import {
  createRemoteJWKSet,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const APP_URL = process.env.E2E_APP_URL ?? 'http://localhost:3000';
const BACKEND_URL = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
const SSF_URL = `${BACKEND_URL}/api/ssf`;
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS_DIR =
  process.env.E2E_SCREENSHOTS ?? path.join(ROOT, '.tools/e2e-screenshots');
const RESULTS_FILE = path.join(
  process.env.E2E_RESULTS_DIR ?? path.join(ROOT, '.tools/e2e-results'),
  `${path.basename(__filename, '.ts')}.json`,
);
const STEP_TIMEOUT_MS = 90_000;
/**
 * The first page load fetches and runs the whole development bundle, which
 * on a busy machine takes longer than Playwright's 30 s default.
 */
const FIRST_LOAD_TIMEOUT_MS = 75_000;
/**
 * How soon a SET pushed while Received events is open must show there. The
 * tab has no polling at all; the signal path (a 500 ms coalescing window on
 * the backend, a 250 ms debounce on the page, one refetch) takes about a
 * second.
 */
const LIVE_UPDATE_MS = 5_000;
/** The chart screenshots for the README are taken this wide. */
const CHART_SHOT_WIDTH = 1280;
const HOUR_MS = 3600_000;

const CLIENT_ID = 'dev-receiver-a';
const CLIENT_TOKEN = 'dev-receiver-a-token';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const VERIFICATION =
  'https://schemas.openid.net/secevent/ssf/event-type/verification';

const runId = Date.now().toString(36);
const verifyState = `e2e-state-${runId}`;
const providerName = `E2E identity provider ${runId}`;
const subjectEmail = `alice.${runId}@example.com`;
const liveSubjectEmail = `bob.${runId}@example.com`;

// ---------------------------------------------------------------------------
// The local receiver and key server

interface ReceivedPush {
  /** When it arrived (ms since the epoch), to count it in its hour. */
  at: number;
  body: string;
  contentType?: string;
  authorization?: string;
}

const pushes: ReceivedPush[] = [];
let jwks: { keys: object[] } = { keys: [] };

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/events') {
      pushes.push({
        at: Date.now(),
        body: Buffer.concat(chunks).toString('utf8'),
        contentType: req.headers['content-type'],
        authorization: req.headers.authorization,
      });
      res.writeHead(202).end();
    } else if (req.method === 'GET' && req.url === '/idp/jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(jwks));
    } else {
      res.writeHead(404).end();
    }
  });
});

// ---------------------------------------------------------------------------
// A tiny step runner

type Step = { name: string; needs?: string[]; run: () => Promise<void> };
const steps: Step[] = [];
const step = (name: string, run: () => Promise<void>, needs?: string[]) =>
  steps.push({ name, run, needs });

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let i = 0; Date.now() < deadline && i < 1000; i++) {
    try {
      const value = await fn();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${
      lastError ? `: ${lastError}` : ''
    }`,
  );
}

async function visible(locator: Locator, timeout = 30_000) {
  await locator
    .filter({ visible: true })
    .first()
    .waitFor({ state: 'visible', timeout });
}

// ---------------------------------------------------------------------------
// Helpers on the page

let browser: Browser;
let page: Page;
let receiverUrl: string;

/** A JSON frame on the portal's signals websocket. */
interface SignalFrame {
  at: number;
  direction: 'sent' | 'received';
  /** Sent: `{ action: 'subscribe', channel }`; received: `{ channel, message }`. */
  data: {
    action?: string;
    channel?: string;
    message?: Record<string, unknown>;
  };
}

const signalFrames: SignalFrame[] = [];
/** When the page asked for the Received events list (ms since the epoch). */
const receivedEventsListReads: number[] = [];
/** When the page's main frame navigated (a reload, a route change). */
const navigations: number[] = [];

/**
 * Records what the page hears from the signals backend and when it reads
 * the Received events list: together they tell whether a refetch followed
 * a signal.
 */
function watchSignalsAndReads(p: Page) {
  p.on('websocket', ws => {
    if (!new URL(ws.url()).pathname.includes('/api/signals')) {
      return;
    }
    const record =
      (direction: SignalFrame['direction']) =>
      (frame: { payload: string | Buffer }) => {
        try {
          const data = JSON.parse(String(frame.payload));
          signalFrames.push({ at: Date.now(), direction, data });
        } catch {
          // Not JSON: not a signal message.
        }
      };
    ws.on('framesent', record('sent'));
    ws.on('framereceived', record('received'));
  });
  p.on('request', req => {
    const url = new URL(req.url());
    if (req.method() === 'GET' && url.pathname === '/api/ssf/received-events') {
      receivedEventsListReads.push(Date.now());
    }
  });
  p.on('framenavigated', frame => {
    if (frame === p.mainFrame()) {
      navigations.push(Date.now());
    }
  });
}

async function shot(name: string) {
  // Let tables and cards settle (spinners, fade-ins).
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

async function openTab(title: string) {
  await page.getByRole('tab', { name: title, exact: true }).click();
}

/**
 * A dialog by its title. By name, because a Select's popover is a dialog too
 * (and stays in the tree while it fades out).
 */
function dialog(name: string | RegExp) {
  return page.getByRole('dialog', { name });
}

async function receiverApi(method: string, url: string, body?: unknown) {
  const res = await fetch(`${SSF_URL}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${CLIENT_TOKEN}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

// ---------------------------------------------------------------------------
// The flow

step('the portal answers and has no stream for dev-receiver-a', async () => {
  const config = await fetch(`${SSF_URL}/.well-known/ssf-configuration`);
  check(config.ok, `ssf-configuration answered ${config.status}`);
  // A rerun against a portal that is still up starts from a clean slate.
  const { status, json } = await receiverApi('GET', '/streams');
  check(status === 200, `GET /streams answered ${status}`);
  for (const s of json as Array<{ stream_id: string }>) {
    const del = await receiverApi(
      'DELETE',
      `/streams?stream_id=${encodeURIComponent(s.stream_id)}`,
    );
    check(del.status === 204, `DELETE stream answered ${del.status}`);
  }
});

step('sign in as guest', async () => {
  await page.goto(APP_URL, { timeout: FIRST_LOAD_TIMEOUT_MS });
  await page.getByRole('button', { name: 'Enter' }).click();
  await visible(page.getByRole('link', { name: /Shared Signals/ }));
});

step(
  'open the Shared Signals page on the Streams tab',
  async () => {
    await page
      .getByRole('link', { name: /Shared Signals/ })
      .filter({ visible: true })
      .first()
      .click();
    await page.waitForURL(/\/ssf/);
    await visible(page.getByRole('tab', { name: 'Streams', exact: true }));
    await visible(page.getByRole('button', { name: 'Create stream' }));
  },
  ['sign in as guest'],
);

step(
  'create a push stream for dev-receiver-a',
  async () => {
    await page.getByRole('button', { name: 'Create stream' }).first().click();
    const d = dialog('Create stream');
    await d.getByRole('textbox', { name: /Client ID/ }).fill(CLIENT_ID);
    await d
      .getByRole('textbox', { name: /Description/ })
      .fill('End-to-end test receiver');
    await d
      .getByRole('textbox', { name: /Endpoint URL/ })
      .fill(`${receiverUrl}/events`);
    await d.getByLabel('Authorization header').fill('Bearer e2e-push-secret');
    await d.getByRole('button', { name: /Events requested/ }).click();
    await page.getByRole('option', { name: 'session-revoked' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await d.waitFor({ state: 'hidden' });
    await visible(page.getByRole('row', { name: new RegExp(CLIENT_ID) }));
    await shot('streams');

    // What the receiver sees through its own token.
    const { json } = await receiverApi('GET', '/streams');
    check(json.length === 1, `the receiver sees ${json.length} streams`);
    const [s] = json;
    check(
      s.delivery.endpoint_url === `${receiverUrl}/events`,
      `endpoint_url is ${s.delivery.endpoint_url}`,
    );
    check(
      s.events_requested.includes(SESSION_REVOKED),
      `events_requested is ${JSON.stringify(s.events_requested)}`,
    );
  },
  ['open the Shared Signals page on the Streams tab'],
);

step(
  'a stream opens straight from its URL, and back and forward work',
  async () => {
    const { json } = await receiverApi('GET', '/streams');
    const streamId: string = json[0].stream_id;
    const streamUrl = `${APP_URL}/ssf/streams/${encodeURIComponent(streamId)}`;
    // A fresh load of the URL, as from a bookmark or a link in a ticket.
    await page.goto(streamUrl);
    await visible(page.getByRole('toolbar', { name: 'Stream actions' }));
    await visible(page.getByRole('heading', { name: CLIENT_ID }));
    await visible(page.getByText(streamId, { exact: true }));
    await shot('stream-detail-by-url');

    // The list was the page before; the browser's buttons move between them.
    await page.goBack();
    await visible(page.getByRole('row', { name: new RegExp(CLIENT_ID) }));
    check(
      new URL(page.url()).pathname === '/ssf/streams',
      `back went to ${page.url()}`,
    );
    await page.goForward();
    await visible(page.getByRole('toolbar', { name: 'Stream actions' }));
    check(page.url() === streamUrl, `forward went to ${page.url()}`);

    // Selecting a row leads to the same URL.
    await page.getByRole('button', { name: 'All streams' }).click();
    await page.getByRole('row', { name: new RegExp(CLIENT_ID) }).click();
    await page.waitForURL(streamUrl);
    await page.getByRole('button', { name: 'All streams' }).click();
    await visible(page.getByRole('row', { name: new RegExp(CLIENT_ID) }));
  },
  ['create a push stream for dev-receiver-a'],
);

async function openStreamDetail() {
  await page.getByRole('row', { name: new RegExp(CLIENT_ID) }).click();
  await visible(page.getByRole('toolbar', { name: 'Stream actions' }));
}

async function backToListAndRefresh() {
  await page.getByRole('button', { name: 'All streams' }).click();
  await page.getByRole('button', { name: 'Refresh' }).click();
  await visible(page.getByRole('row', { name: new RegExp(CLIENT_ID) }));
}

step(
  'verify the stream: the receiver gets the verification SET',
  async () => {
    await openStreamDetail();
    await page
      .getByRole('toolbar', { name: 'Stream actions' })
      .getByRole('button', { name: 'Verify' })
      .click();
    const d = dialog(/^Verify /);
    await d.getByRole('textbox', { name: /State/ }).fill(verifyState);
    await d.getByRole('button', { name: 'Send verification' }).click();
    await visible(page.getByText(/Verification requested/));

    const push = await eventually('the verification SET at the receiver', () =>
      pushes.find(p => {
        const events = decodeJwt(p.body).events as Record<string, any>;
        return events?.[VERIFICATION]?.state === verifyState;
      }),
    );
    check(
      push.contentType?.startsWith('application/secevent+jwt'),
      `content type ${push.contentType}`,
    );
    check(
      push.authorization === 'Bearer e2e-push-secret',
      'the push carries the stream authorization header',
    );
    // Signed with a key the transmitter publishes, for this receiver.
    const { payload, protectedHeader } = await jwtVerify(
      push.body,
      createRemoteJWKSet(new URL(`${SSF_URL}/jwks`)),
      { typ: 'secevent+jwt' },
    );
    check(protectedHeader.kid, 'the SET names its key');
    check(payload.iss, 'the SET has an issuer');
  },
  ['create a push stream for dev-receiver-a'],
);

step(
  'the stream detail shows the verification was delivered',
  async () => {
    // The detail shows what the list last loaded: refresh until delivered.
    await eventually(
      'the UI to show the verification delivered',
      async () => {
        await backToListAndRefresh();
        await openStreamDetail();
        return (
          (await page.getByText('Delivered to the receiver').count()) > 0 &&
          (await page.getByText(verifyState, { exact: true }).count()) > 0
        );
      },
      30_000,
    );
    await shot('stream-detail');
  },
  ['verify the stream: the receiver gets the verification SET'],
);

async function changeStatus(radio: RegExp, reason: string) {
  await page
    .getByRole('toolbar', { name: 'Stream actions' })
    .getByRole('button', { name: 'Enable / pause / disable' })
    .click();
  const d = dialog(/^Change the status of /);
  await d.locator('label').filter({ hasText: radio }).click();
  await d.getByRole('textbox', { name: /Reason/ }).fill(reason);
  await d.getByRole('button', { name: 'Change status' }).click();
  await d.waitFor({ state: 'hidden' });
  await visible(page.getByText('The stream status was changed.'));
}

function statusField() {
  // The "Status" field of the Configuration card.
  return page.getByText('Status', { exact: true }).locator('xpath=..').first();
}

step(
  'pause the stream and enable it again',
  async () => {
    await changeStatus(/^Paused/, 'e2e maintenance window');
    await eventually('the status to show Paused', async () =>
      /Paused — e2e maintenance window/.test(await statusField().innerText()),
    );
    let status = await receiverApi(
      'GET',
      `/streams/status?stream_id=${encodeURIComponent(
        (
          await receiverApi('GET', '/streams')
        ).json[0].stream_id,
      )}`,
    );
    check(
      status.json.status === 'paused',
      `the receiver sees ${JSON.stringify(status.json)}`,
    );
    await page
      .getByRole('toolbar', { name: 'Stream actions' })
      .getByRole('button', { name: 'Verify' })
      .waitFor();
    check(
      await page
        .getByRole('toolbar', { name: 'Stream actions' })
        .getByRole('button', { name: 'Verify' })
        .isDisabled(),
      'Verify is disabled on a paused stream',
    );

    await changeStatus(/^Enabled/, '');
    await eventually('the status to show Enabled', async () =>
      /Enabled/.test(await statusField().innerText()),
    );
    status = await receiverApi(
      'GET',
      `/streams/status?stream_id=${encodeURIComponent(
        (
          await receiverApi('GET', '/streams')
        ).json[0].stream_id,
      )}`,
    );
    check(
      status.json.status === 'enabled',
      `the receiver sees ${JSON.stringify(status.json)}`,
    );
    await backToListAndRefresh();
    const row = page.getByRole('row', { name: new RegExp(CLIENT_ID) });
    check(
      /Enabled/.test(await row.innerText()),
      `the list row says ${await row.innerText()}`,
    );
    // The list again, now with the delivered verification counted.
    await shot('streams');
  },
  ['create a push stream for dev-receiver-a'],
);

/** The hour (since the epoch) a time falls in: a chart's bucket. */
const hourOf = (ms: number) => Math.floor(ms / HOUR_MS);

/**
 * The table under a history chart's "Show the numbers": each column's
 * counts by its label, oldest hour first (the last row is the current hour).
 */
async function chartTable(card: Locator): Promise<Record<string, number[]>> {
  const details = card.locator('details');
  if (!(await details.evaluate(d => (d as HTMLDetailsElement).open))) {
    await card.getByText('Show the numbers', { exact: true }).click();
  }
  const table = card.locator('table');
  await visible(table);
  return table.evaluate(t => {
    const texts = (row: Element) =>
      Array.from(row.querySelectorAll('th, td')).map(
        c => c.textContent?.trim() ?? '',
      );
    const labels = texts(t.querySelector('thead tr')!);
    const rows = Array.from(t.querySelectorAll('tbody tr')).map(texts);
    return Object.fromEntries(
      labels.map((label, i) => [label, rows.map(r => Number(r[i]))]),
    );
  });
}

/**
 * Opens a detail page with `open` and reads its chart card `title` until the
 * table holds `expected` for each of its 24 hours (oldest first), which the
 * test counts on its own side. Read again rather than reloaded: the chart
 * refetches on its signal, so a SET still on its way shows up by itself.
 * The page is opened again only when the hour turns, since the chart's
 * window then moves.
 *
 * In-app navigation rather than page.goto: the dev server holds full page
 * loads while it rebuilds.
 */
async function chartMatches(
  open: () => Promise<void>,
  title: string,
  expected: (hour: number) => Record<string, number>,
): Promise<Locator> {
  const card = page.getByRole('region', { name: title });
  let openedHour = hourOf(Date.now());
  await open();
  await eventually(
    `the "${title}" chart to show the test's own counts`,
    async () => {
      const hour = hourOf(Date.now());
      if (hour !== openedHour) {
        openedHour = hour;
        await open();
      }
      await visible(card);
      const table = await chartTable(card);
      check(hourOf(Date.now()) === hour, 'the hour turned; reading again');
      const hours = Array.from({ length: 24 }, (_, i) => hour - 23 + i);
      const mismatches: string[] = [];
      for (const [i, h] of hours.entries()) {
        for (const [label, want] of Object.entries(expected(h))) {
          const got = table[label]?.[i];
          if (got !== want) {
            mismatches.push(`${label} ${got} ≠ ${want} (${23 - i} h ago)`);
          }
        }
      }
      check(mismatches.length === 0, mismatches.join(', '));
      return true;
    },
  );
  return card;
}

/** Back from a detail page to its tab's list, if a detail is open. */
async function leaveDetail(backLabel: string) {
  const back = page.getByRole('button', { name: backLabel });
  if (await back.count()) {
    await back.click();
  }
}

/** Takes a screenshot of `card` on a page CHART_SHOT_WIDTH wide. */
async function chartShot(card: Locator, name: string) {
  const viewport = page.viewportSize()!;
  await page.setViewportSize({ ...viewport, width: CHART_SHOT_WIDTH });
  try {
    // The table folded away again, the chart in view.
    await card.locator('details').evaluate(d => {
      (d as HTMLDetailsElement).open = false;
    });
    await card.evaluate(el => el.scrollIntoView({ block: 'center' }));
    await shot(name);
  } finally {
    await page.setViewportSize(viewport);
  }
}

step(
  "the stream page's chart counts the SETs the receiver got this hour",
  async () => {
    // Counted at the receiver: every push it answered 202, by hour.
    const deliveredIn = (hour: number) =>
      pushes.filter(p => hourOf(p.at) === hour).length;
    check(pushes.length > 0, 'nothing was delivered yet');
    const card = await chartMatches(
      async () => {
        await openTab('Streams');
        await leaveDetail('All streams');
        await openStreamDetail();
      },
      'Deliveries in the last 24 hours',
      hour => ({
        delivered: deliveredIn(hour),
        'failed attempts': 0,
        'dead-lettered': 0,
      }),
    );
    // The drawing says the same as the table.
    await visible(
      card.getByRole('img', {
        name: new RegExp(`Last 24 hours: ${pushes.length} delivered, 0 `),
      }),
    );
    await chartShot(card, 'stream-delivery-chart');
  },
  ['verify the stream: the receiver gets the verification SET'],
);

let signingKey: CryptoKey;
const kid = `e2e-key-${runId}`;
let providerId: string;
let providerUrl: string;

/**
 * A session-revoked SET about `email` from the test provider's issuer,
 * signed with `key` (the provider's published key unless told otherwise).
 */
function providerSet(
  email: string,
  key: CryptoKey = signingKey,
  reason = 'End-to-end test',
) {
  return new SignJWT({
    jti: randomUUID(),
    aud: SSF_URL,
    sub_id: { format: 'email', email },
    events: {
      [SESSION_REVOKED]: {
        event_timestamp: Math.floor(Date.now() / 1000),
        reason_admin: { en: reason },
      },
    },
  })
    .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid })
    .setIssuer(`${receiverUrl}/idp`)
    .setIssuedAt()
    .sign(key);
}

/** Every SET the test provider pushed, and what the portal answered. */
const providerPushes: Array<{ at: number; status: number; err?: string }> = [];

/** Pushes a SET to the portal's receiver endpoint (RFC 8935). */
async function pushToReceiver(set: string) {
  const at = Date.now();
  const res = await fetch(`${SSF_URL}/security-events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/secevent+jwt',
      accept: 'application/json',
    },
    body: set,
  });
  const text = await res.text();
  let err: string | undefined;
  try {
    err = text ? JSON.parse(text).err : undefined;
  } catch {
    // A body that is not JSON carries no err code.
  }
  providerPushes.push({ at, status: res.status, err });
  return { status: res.status, text, err };
}

step(
  'add a provider with an issuer and JWKS URL',
  async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    signingKey = pair.privateKey as CryptoKey;
    jwks = {
      keys: [
        { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' },
      ],
    };

    await openTab('Providers');
    await page.getByRole('button', { name: 'Add provider' }).first().click();
    const d = dialog('Add provider');
    await d.getByRole('textbox', { name: /Name/ }).fill(providerName);
    // react-aria radios hide the input: press the label.
    await d.getByText('From an issuer and JWKS URL').click();
    await d.getByRole('textbox', { name: /Issuer/ }).fill(`${receiverUrl}/idp`);
    await d
      .getByRole('textbox', { name: /JWKS URL/ })
      .fill(`${receiverUrl}/idp/jwks`);
    await d.getByRole('button', { name: 'Add', exact: true }).click();
    await d.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(providerName) });
    await visible(row);
    check(
      /Active/.test(await row.innerText()),
      `the provider row says ${await row.innerText()}`,
    );
    await shot('providers');
  },
  ['sign in as guest'],
);

step(
  'a provider opens at its own URL, with its remote stream',
  async () => {
    await page
      .getByRole('row', { name: new RegExp(providerName) })
      .getByText(providerName, { exact: true })
      .click();
    await page.waitForURL(/\/ssf\/providers\/[^/]+$/);
    providerUrl = page.url();
    providerId = decodeURIComponent(
      new URL(providerUrl).pathname.split('/').pop()!,
    );
    await visible(page.getByRole('heading', { name: providerName }));
    await visible(page.getByText(`Remote stream of ${providerName}`));
    await page.goBack();
    await visible(page.getByRole('row', { name: new RegExp(providerName) }));
    // Opened afresh from the URL.
    await page.goto(providerUrl);
    await visible(page.getByRole('toolbar', { name: 'Provider actions' }));
    await visible(page.getByRole('heading', { name: providerName }));
    await shot('provider-detail-by-url');
    await page.getByRole('button', { name: 'All providers' }).click();
    await visible(page.getByRole('row', { name: new RegExp(providerName) }));
  },
  ['add a provider with an issuer and JWKS URL'],
);

step(
  'a pushed SET appears under Received events',
  async () => {
    const res = await pushToReceiver(await providerSet(subjectEmail));
    check(res.status === 202, `push answered ${res.status} ${res.text}`);

    await openTab('Received events');
    const row = page.getByRole('row').filter({ hasText: subjectEmail });
    await visible(row);
    const text = await row.innerText();
    check(text.includes(providerName), `the row names ${text}`);
    check(text.includes('session-revoked'), `the row shows ${text}`);
    await row.click();
    const panel = page.getByRole('region', { name: 'Received event' });
    await visible(panel);
    await visible(panel.getByText(/reason_admin/));
    await shot('received-events');
  },
  ['add a provider with an issuer and JWKS URL'],
);

step(
  'a SET pushed while Received events is open appears there by a signal, without a reload',
  async () => {
    // Opened afresh (from another tab), so that it subscribes now.
    await openTab('Providers');
    await visible(page.getByRole('row', { name: new RegExp(providerName) }));
    const openedAt = Date.now();
    await openTab('Received events');
    await visible(page.getByRole('row').filter({ hasText: subjectEmail }));
    await eventually('the page to subscribe to ssf:received-events', () =>
      signalFrames.some(
        f =>
          f.direction === 'sent' &&
          f.at >= openedAt &&
          f.data.action === 'subscribe' &&
          f.data.channel === 'ssf:received-events',
      ),
    );
    // A full reload would drop this; a route change would show in the URL
    // and in the main frame's navigations.
    const marker = randomUUID();
    await page.evaluate(m => {
      (window as unknown as { ssfE2eMarker: string }).ssfE2eMarker = m;
    }, marker);
    const urlBefore = page.url();

    const pushedAt = Date.now();
    const res = await pushToReceiver(await providerSet(liveSubjectEmail));
    check(res.status === 202, `push answered ${res.status} ${res.text}`);
    // No Refresh click, no reload: the row comes by itself.
    const row = page.getByRole('row').filter({ hasText: liveSubjectEmail });
    await visible(row, LIVE_UPDATE_MS);
    const shownAt = Date.now();
    const text = await row.innerText();
    check(text.includes(providerName), `the row names ${text}`);
    check(text.includes('session-revoked'), `the row shows ${text}`);

    check(
      (await page.evaluate(
        () => (window as unknown as { ssfE2eMarker?: string }).ssfE2eMarker,
      )) === marker,
      'the page was reloaded',
    );
    check(page.url() === urlBefore, `the page moved to ${page.url()}`);
    const moved = navigations.filter(at => at >= pushedAt).length;
    check(moved === 0, `the page navigated ${moved} times`);

    // It was the signal: the backend's message for this provider reached
    // the page over the websocket, and the page read the list again only
    // after it (the tab has no polling, and nothing else was pressed).
    const signal = signalFrames.find(
      f =>
        f.direction === 'received' &&
        f.at >= pushedAt &&
        f.data.channel === 'ssf:received-events' &&
        f.data.message?.providerId === providerId,
    );
    check(
      signal && signal.at <= shownAt,
      `no ssf:received-events signal for provider ${providerId} came before the row (frames: ${JSON.stringify(
        signalFrames.filter(f => f.at >= pushedAt).map(f => f.data),
      )})`,
    );
    const reads = receivedEventsListReads.filter(at => at >= pushedAt);
    check(reads.length > 0, 'the page did not read the list again');
    check(
      reads.every(at => at >= signal.at),
      `the page read the list ${signal.at - reads[0]} ms before the signal`,
    );
    console.log(
      `      signal ${signal.at - pushedAt} ms after the push, row ${
        shownAt - pushedAt
      } ms after it`,
    );
  },
  ['a provider opens at its own URL, with its remote stream'],
);

step(
  "the provider page's chart counts the SETs it sent, accepted and refused",
  async () => {
    // A SET signed with a key the provider does not publish: refused with
    // RFC 8935's invalid_key.
    const foreign = await generateKeyPair('ES256');
    const refused = await pushToReceiver(
      await providerSet(
        `mallory.${runId}@example.com`,
        foreign.privateKey as CryptoKey,
      ),
    );
    check(
      refused.status === 400 && refused.err === 'invalid_key',
      `a SET with a foreign key answered ${refused.status} ${refused.text}`,
    );

    // Counted on the test's side: what the portal answered each push.
    const sent = (hour: number, accepted: boolean) =>
      providerPushes.filter(
        p => hourOf(p.at) === hour && (p.status === 202) === accepted,
      ).length;
    const card = await chartMatches(
      async () => {
        await openTab('Providers');
        await leaveDetail('All providers');
        await page
          .getByRole('row', { name: new RegExp(providerName) })
          .getByText(providerName, { exact: true })
          .click();
        await page.waitForURL(providerUrl);
      },
      'SETs received in the last 24 hours',
      hour => ({ accepted: sent(hour, true), rejected: sent(hour, false) }),
    );
    const accepted = providerPushes.filter(p => p.status === 202).length;
    const rejected = providerPushes.length - accepted;
    // The two earlier SETs were accepted, this one refused.
    check(
      accepted === 2 && rejected === 1,
      `the portal accepted ${accepted} and refused ${rejected} SETs`,
    );
    await visible(
      card.getByRole('img', {
        name: new RegExp(
          `Last 24 hours: ${accepted} accepted, ${rejected} rejected`,
        ),
      }),
    );
    const byErr = await card.locator('dl').innerText();
    check(/invalid_key\s+1/.test(byErr), `rejected by error: ${byErr}`);
    await chartShot(card, 'provider-ingestion-chart');
    await page.getByRole('button', { name: 'All providers' }).click();
    await visible(page.getByRole('row', { name: new RegExp(providerName) }));
  },
  ['a provider opens at its own URL, with its remote stream'],
);

const hookName = `e2e-risk-high-${runId}`;

step(
  'create a lifecycle hook and see its dry run',
  async () => {
    await openTab('Lifecycle hooks');
    // The default hooks are seeded from config.
    await visible(
      page.getByRole('row', { name: /lifecycle-inactive-session-revoked/ }),
    );
    await page.getByRole('button', { name: 'Create hook' }).first().click();
    const d = dialog('Create hook');
    await d.getByRole('textbox', { name: /Name/ }).fill(hookName);
    await d
      .getByRole('textbox', { name: /Description/ })
      .fill('Revoke sessions when a user is marked high risk');
    await d
      .getByRole('textbox', { name: /Attribute path/ })
      .fill('metadata.labels.risk');
    await d
      .getByRole('textbox', { name: /To \(regular expression\)/ })
      .fill('high');
    await d.getByRole('button', { name: /Event type/ }).click();
    await page.getByRole('option', { name: 'session-revoked' }).click();
    await d
      .getByRole('textbox', { name: /Payload template/ })
      .fill(
        '{"initiating_entity": "policy", "reason_admin": {"en": "Risk of {{name}} became {{to}}"}}',
      );
    await d.getByRole('button', { name: 'Create', exact: true }).click();
    await d.waitFor({ state: 'hidden' });
    await visible(page.getByRole('row', { name: new RegExp(hookName) }));
    await shot('hooks');

    await page.getByRole('button', { name: 'Dry run' }).first().click();
    const run = dialog('Dry run');
    await run.getByRole('textbox', { name: /User email/ }).fill(subjectEmail);
    await run
      .getByRole('textbox', { name: /Attribute path/ })
      .fill('metadata.labels.risk');
    await run.getByRole('textbox', { name: /Value before/ }).fill('low');
    await run.getByRole('textbox', { name: /Value after/ }).fill('high');
    await run.getByRole('button', { name: 'Run dry run' }).click();
    const event = page.getByRole('region', { name: `Event from ${hookName}` });
    await visible(event);
    const text = await event.innerText();
    check(text.includes('session-revoked'), `the dry run shows ${text}`);
    check(
      text.includes(`Risk of ${subjectEmail} became high`),
      `the payload is rendered: ${text}`,
    );
    await shot('hooks-dry-run');
    await run
      .getByRole('button', { name: 'Close', exact: true })
      .last()
      .click();
    await run.waitFor({ state: 'hidden' });
  },
  ['open the Shared Signals page on the Streams tab'],
);

step(
  'the Transmitter tab shows the metadata and keys',
  async () => {
    await openTab('Transmitter');
    await visible(page.getByText(/ssf-configuration/).first());
    await visible(page.getByText(/ES256|RS256/).first());
    await shot('transmitter');
  },
  ['open the Shared Signals page on the Streams tab'],
);

// ---------------------------------------------------------------------------
// The catalog: streams as Resources, their consumers, and people

const STREAM_TITLE = 'End-to-end test receiver';
const CONSUMER = 'component:default/example-website';
const OWNER = 'group:default/guests';
/** A user of examples/org.yaml, whom the test provider reports about. */
const CATALOG_USER = { ref: 'user:default/alice', email: 'alice@example.com' };
const signalReason = `E2E security signal ${runId}`;

/** A guest's Backstage token, for reading the catalog API directly. */
async function guestToken(): Promise<string> {
  const res = await fetch(
    `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
  );
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** Takes a screenshot of `card` only, scrolled into view. */
async function cardShot(card: Locator, name: string) {
  await card.scrollIntoViewIfNeeded();
  await page.waitForTimeout(400);
  await card.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

/** The catalog card whose heading is `title`. */
function catalogCard(title: string) {
  return page
    .locator('article, [class*="MuiCard"], [class*="bui-Card"]')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) })
    .first();
}

let streamEntityName: string;

step(
  'the stream is a Resource in the catalog, with the owner and consumer set on its page',
  async () => {
    await page.goto(`${APP_URL}/ssf/streams`);
    await openStreamDetail();
    await page
      .getByRole('toolbar', { name: 'Stream actions' })
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    const d = dialog(/^Edit stream/);
    await d.getByRole('textbox', { name: /^Owner/ }).fill(OWNER);
    await d
      .getByRole('textbox', { name: /Consuming component/ })
      .fill(CONSUMER);
    await d.getByRole('button', { name: 'Save', exact: true }).click();
    await d.waitFor({ state: 'hidden' });

    const { json } = await receiverApi('GET', '/streams');
    const streamId: string = json[0].stream_id;
    check(json[0].consumer === CONSUMER, `consumer is ${json[0].consumer}`);
    streamEntityName = `ssf-stream-${streamId}`;
    // The catalog module reads the streams every 15 s in the dev portal
    // (catalog.providers.ssf.schedule); the catalog then processes them.
    const token = await guestToken();
    const entity = await eventually(
      'the stream entity with its relations',
      async () => {
        const res = await fetch(
          `${BACKEND_URL}/api/catalog/entities/by-name/resource/default/${streamEntityName}`,
          { headers: { authorization: `Bearer ${token}` } },
        );
        if (!res.ok) return undefined;
        const e = await res.json();
        const relations = (e.relations ?? []).map(
          (r: { type: string; targetRef: string }) =>
            `${r.type} ${r.targetRef}`,
        );
        return relations.includes(`dependencyOf ${CONSUMER}`) &&
          relations.includes(`ownedBy ${OWNER}`)
          ? e
          : undefined;
      },
      60_000,
    );
    check(entity.spec.type === 'ssf-stream', `spec.type ${entity.spec.type}`);
    check(
      entity.metadata.annotations['shared-signals/stream-id'] === streamId,
      'the stream-id annotation',
    );

    await page.goto(`${APP_URL}/catalog/default/resource/${streamEntityName}`);
    await visible(page.getByRole('heading', { name: STREAM_TITLE }).first());
    await visible(page.getByText('ssf-stream').first());
    const link = page.getByRole('link', {
      name: /Stream in the Shared Signals admin page/,
    });
    await visible(link);
    const href = await link.getAttribute('href');
    check(
      href?.endsWith(`/ssf/streams/${streamId}`),
      `the admin page link is ${href}`,
    );
    await visible(
      catalogCard('Relations').getByText('example-website').first(),
    );
    await shot('catalog-stream-resource');
  },
  ['create a push stream for dev-receiver-a'],
);

step(
  "the consuming component's relations graph has an edge to the stream",
  async () => {
    await page.goto(`${APP_URL}/catalog/default/component/example-website`);
    const graph = catalogCard('Relations');
    await visible(graph);
    // The graph's nodes and edge labels are SVG text.
    await visible(graph.locator('svg text', { hasText: STREAM_TITLE }).first());
    await visible(graph.locator('svg text', { hasText: 'dependsOn' }).first());
    // And the component lists it among the resources it depends on.
    const resources = catalogCard('Depends on resources');
    await visible(resources.getByRole('link', { name: STREAM_TITLE }));
    await cardShot(graph, 'catalog-graph-stream-edge');
  },
  [
    'the stream is a Resource in the catalog, with the owner and consumer set on its page',
  ],
);

step(
  "the provider page's relay rule re-sends its session-revoked SETs to the portal's streams",
  async () => {
    await page.goto(providerUrl);
    await page
      .getByRole('button', { name: `Edit relay of ${providerName}` })
      .click();
    const d = dialog(/^Relay events from/);
    await d.getByRole('button', { name: /Event types to relay/ }).click();
    await page.getByRole('option', { name: 'session-revoked' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await d.getByRole('button', { name: 'Save', exact: true }).click();
    await d.waitFor({ state: 'hidden' });
    await visible(page.getByText('The relay rule was saved.'));
    const section = page.getByRole('region', {
      name: "Relay to the portal's streams",
    });
    await visible(section.getByText('session-revoked').first());
    await cardShot(section, 'provider-relay');
  },
  ['a provider opens at its own URL, with its remote stream'],
);

step(
  "a user's Security signals card lists the SET a provider pushed about them, and its relay",
  async () => {
    const set = await providerSet(CATALOG_USER.email, signingKey, signalReason);
    const receivedJti = decodeJwt(set).jti;
    const res = await pushToReceiver(set);
    check(res.status === 202, `push answered ${res.status} ${res.text}`);
    // Relayed: a SET of the portal's transmitter reaches the stream's
    // receiver, naming the one it was received as.
    const relayed = await eventually('the relayed SET at the receiver', () =>
      pushes.find(p => {
        const claims = decodeJwt(p.body) as Record<string, any>;
        return claims.relayed_from?.jti === receivedJti;
      }),
    );
    const relayedClaims = decodeJwt(relayed.body) as Record<string, any>;
    check(
      relayedClaims.iss === SSF_URL &&
        relayedClaims.relayed_from.iss === `${receiverUrl}/idp` &&
        relayedClaims.relayed_from.provider_id === providerId,
      `the relayed SET is ${JSON.stringify(relayedClaims)}`,
    );

    await page.goto(`${APP_URL}/catalog/default/user/alice`);
    const card = catalogCard('Security signals');
    await visible(card);
    const received = card
      .getByRole('region', { name: 'Received' })
      .getByRole('row')
      .filter({ hasText: signalReason });
    await visible(received);
    const text = await received.innerText();
    check(text.includes(providerName), `the row names the provider: ${text}`);
    check(/session.revoked/i.test(text), `the row names the event: ${text}`);
    const sent = card
      .getByRole('region', { name: 'Sent' })
      .getByRole('row')
      .filter({ hasText: signalReason });
    await visible(sent);
    check(
      (await sent.innerText()).includes(STREAM_TITLE),
      `the sent row names the stream: ${await sent.innerText()}`,
    );
    await visible(card.getByText(CATALOG_USER.email).first());
    await cardShot(card, 'security-signals-card');

    // The rows lead to the Shared Signals page: the received event opened
    // beside the list, the stream's detail.
    await received.getByRole('link').first().click();
    await page.waitForURL(/\/ssf\/received-events\?event=/);
    const panel = page.getByRole('region', { name: 'Received event' });
    await visible(panel.getByText(signalReason).first());
    await page.goBack();
    await card
      .getByRole('region', { name: 'Sent' })
      .getByRole('link', { name: STREAM_TITLE })
      .first()
      .click();
    await page.waitForURL(/\/ssf\/streams\/[^/?]+$/);
    await visible(page.getByRole('toolbar', { name: 'Stream actions' }));
  },
  [
    "the provider page's relay rule re-sends its session-revoked SETs to the portal's streams",
  ],
);

// ---------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
  });
  context.setDefaultTimeout(30_000);
  page = await context.newPage();
  watchSignalsAndReads(page);
  const consoleErrors: string[] = [];
  page.on('pageerror', e => consoleErrors.push(String(e)));

  const failed = new Set<string>();
  const results: Array<{
    name: string;
    ok: boolean;
    ms: number;
    error?: string;
  }> = [];
  for (const [i, s] of steps.entries()) {
    const started = Date.now();
    const missing = (s.needs ?? []).filter(n => failed.has(n));
    let error: string | undefined;
    if (missing.length) {
      error = `not run: needs "${missing.join('", "')}"`;
    } else {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          s.run(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`step timed out (${STEP_TIMEOUT_MS} ms)`)),
              STEP_TIMEOUT_MS,
            );
          }),
        ]);
      } catch (e) {
        // Playwright's call logs are long: keep the gist.
        error = (e instanceof Error ? e.message : String(e))
          .split('\n')
          .slice(0, 4)
          .join('\n');
        await page
          .screenshot({
            path: path.join(
              SHOTS_DIR,
              `failed-${String(i + 1).padStart(2, '0')}.png`,
            ),
          })
          .catch(() => {});
        // Close a dialog a failed step left open.
        await page.keyboard.press('Escape').catch(() => {});
      } finally {
        clearTimeout(timer);
      }
    }
    const ms = Date.now() - started;
    if (error) failed.add(s.name);
    results.push({ name: s.name, ok: !error, ms, error });
    console.log(
      error
        ? `  ✗ ${s.name} (${ms} ms)\n      ${error
            .split('\n')
            .join('\n      ')}`
        : `  ✓ ${s.name} (${ms} ms)`,
    );
  }
  if (consoleErrors.length) {
    console.log(`  page errors:\n    ${consoleErrors.join('\n    ')}`);
  }

  await browser.close();
  server.close();
  const passed = results.filter(r => r.ok).length;
  fs.writeFileSync(
    RESULTS_FILE,
    JSON.stringify(
      { passed, failed: results.length - passed, results },
      null,
      2,
    ),
  );
  console.log(
    `\n  ${passed} of ${results.length} steps passed; screenshots in ${SHOTS_DIR}`,
  );
  return results.length - passed;
}

main().then(
  failures => process.exit(failures ? 1 : 0),
  e => {
    console.error(e);
    browser?.close().catch(() => {});
    process.exit(1);
  },
);
