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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { captureLogs } from '../__testUtils__/capturedLogs';
import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { CREDENTIAL_CHANGE, SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  callerOf,
  clientAuth,
  createPushStream,
  startSsfBackend,
} from '../__testUtils__/testBackend';
import { hooksAdmin, storedHookRows } from './__testUtils__/hooksAdmin';
import { mutableCatalog } from './__testUtils__/identityHooksBackend';

jest.setTimeout(60_000);

const mfaRemoved = {
  name: 'mfa-removed',
  description: 'A user lost MFA',
  trigger: {
    on: 'attribute_changed',
    path: 'metadata.labels[mfa]',
    from: 'on',
    to: 'off|',
  },
  event_type: CREDENTIAL_CHANGE,
  payload_template: {
    credential_type: 'app',
    change_type: 'delete',
    reason_admin: { en: '{{name}} turned MFA {{to}}' },
  },
};

// A valid credential-change payload nested `depth` objects deep.
function deepTemplate(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { en: 'bottom' };
  for (let i = 1; i < depth; i++) value = { a: value };
  return { ...mfaRemoved.payload_template, nested: value };
}

// With a backtracking engine, (a|a)*b takes time doubling with every "a":
// the probe measured 480 ms for 26. The value below (at the matched-value
// cap) would take longer than the universe's age, so a response at all
// shows the linear-time engine; no wall-clock time is asserted.
const CATASTROPHIC = '(a|a)*b';
const LONG_A = 'a'.repeat(4095);
const ANN = { format: 'email', email: 'ann@example.com' };

describeOnEachDatabase('lifecycle hooks API', (databases, id) => {
  const cleanUp = useCleanups();

  async function start(
    options: {
      lifecycle?: object;
      permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
      knex?: Parameters<typeof startSsfBackend>[0]['knex'];
    } = {},
  ) {
    const started = await startSsfBackend({
      databases,
      id,
      knex: options.knex,
      permission: options.permission,
      config: {
        ssf: {
          ...(options.lifecycle && { lifecycle: options.lifecycle }),
          transmitter: {
            delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
          },
        },
      },
      extraFeatures: [mutableCatalog().factory],
    });
    cleanUp(() => started.backend.stop());
    return { ...started, admin: hooksAdmin(started.server) };
  }

  /** The hook named `name` in a list the API answered. */
  const named = (list: request.Response, name: string) =>
    list.body.items.find((h: { name: string }) => h.name === name);

  it('installs the default hooks once, read-only, and keeps them on restart', async () => {
    const first = await start();
    const list = await first.admin.list();
    expect(list.status).toBe(200);
    expect(list.body.items.map((h: { name: string }) => h.name).sort()).toEqual(
      [
        'email-changed-identifier-changed',
        'lifecycle-inactive-account-disabled',
        'lifecycle-inactive-session-revoked',
        'lifecycle-reactivated-account-enabled',
        'user-removed-account-disabled',
        'user-removed-session-revoked',
      ],
    );
    const revoked = named(list, 'lifecycle-inactive-session-revoked');
    expect(revoked).toMatchObject({
      id: expect.stringMatching(/^hook_/),
      enabled: true,
      source: 'config',
      subject_format: 'email',
      event_type: SESSION_REVOKED,
      trigger: {
        on: 'attribute_changed',
        path: 'metadata.annotations["ssf.io/lifecycle"]',
        to: 'suspended|terminated',
      },
    });
    const edit = await first.admin.change(revoked.id, { enabled: false });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toMatch(/defined in app-config/);
    expect((await first.admin.remove(revoked.id)).status).toBe(409);
    await first.backend.stop();

    // A restart with an extra configured hook: no duplicates, same ids.
    const second = await start({
      knex: first.knex,
      lifecycle: {
        lifecycleAnnotation: 'example.com/status',
        hooks: [
          {
            name: 'contractor-added',
            trigger: { on: 'user_added' },
            eventType: SESSION_REVOKED,
            payloadTemplate: { reason_admin: { en: 'new {{identity}}' } },
          },
        ],
      },
    });
    const again = await second.admin.list();
    expect(again.body.items).toHaveLength(7);
    const revokedAgain = named(again, 'lifecycle-inactive-session-revoked');
    expect(revokedAgain.id).toBe(revoked.id);
    // The new annotation key reached the default hooks.
    expect(revokedAgain.trigger.path).toBe(
      'metadata.annotations["example.com/status"]',
    );
  });

  it('creates, reads, changes and deletes hooks', async () => {
    const { admin } = await start();
    const created = await admin.create(mfaRemoved);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'mfa-removed',
      enabled: true,
      source: 'api',
      subject_format: 'email',
      // The path is stored in canonical form.
      trigger: { path: 'metadata.labels.mfa', from: 'on', to: 'off|' },
    });
    const hookId = created.body.id;

    expect((await admin.create(mfaRemoved)).status).toBe(409);

    // Racing creates of one name: one wins, the rest are told why.
    const raced = await Promise.all(
      Array.from({ length: 5 }, () =>
        admin.create({ ...mfaRemoved, name: 'raced' }),
      ),
    );
    expect(raced.map(r => r.status).sort()).toEqual([201, 409, 409, 409, 409]);

    const read = await admin.get(hookId);
    expect(read.body).toEqual(created.body);

    const disabled = await admin.change(hookId, { enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body.enabled).toBe(false);
    expect(disabled.body.description).toBe('A user lost MFA');

    const replaced = await admin.replace(hookId, {
      ...mfaRemoved,
      name: 'mfa-off',
      subject_format: 'iss_sub',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      name: 'mfa-off',
      enabled: true,
      subject_format: 'iss_sub',
    });

    expect((await admin.remove(hookId)).status).toBe(204);
    expect((await admin.get(hookId)).status).toBe(404);
  });

  it.each([
    [{ ...mfaRemoved, name: 'Bad Name' }, /name/],
    [
      { ...mfaRemoved, trigger: { ...mfaRemoved.trigger, to: '(' } },
      /trigger.to: not a pattern the linear-time matching engine \(RE2 syntax\) takes: error parsing regexp: missing closing \)/,
    ],
    [
      { ...mfaRemoved, trigger: { ...mfaRemoved.trigger, from: '(a)\\1' } },
      /trigger.from: .*invalid escape sequence: `\\1`.*Backreferences, lookahead and lookbehind are not supported/,
    ],
    [
      { ...mfaRemoved, trigger: { ...mfaRemoved.trigger, to: '(?!on).*' } },
      /trigger.to: .*invalid or unsupported Perl syntax: `\(\?!`/,
    ],
    [
      { ...mfaRemoved, trigger: { ...mfaRemoved.trigger, to: '.{1000}' } },
      /trigger.to: the pattern is too large .* at most 1000/,
    ],
    [
      { ...mfaRemoved, payload_template: deepTemplate(3000) },
      /payload_template: nests objects and arrays more than 32 levels deep/,
    ],
    [
      {
        ...mfaRemoved,
        payload_template: {
          ...mfaRemoved.payload_template,
          reason_admin: { en: '{{to}}'.repeat(65) },
        },
      },
      /more than 64 placeholders/,
    ],
    [
      { ...mfaRemoved, trigger: { on: 'attribute_changed', path: 'a[' } },
      /unclosed/,
    ],
    [{ ...mfaRemoved, trigger: { on: 'user_renamed' } }, /trigger/],
    [{ ...mfaRemoved, event_type: 'urn:example:nope' }, /not a CAEP or RISC/],
    [
      { ...mfaRemoved, payload_template: { credential_type: 'app' } },
      /change_type/,
    ],
    [
      {
        ...mfaRemoved,
        payload_template: {
          ...mfaRemoved.payload_template,
          reason_admin: { en: '{{nmae}}' },
        },
      },
      /unknown placeholders \{\{nmae\}\}/,
    ],
    [{ ...mfaRemoved, extra: true }, /Unrecognized key/],
  ])(
    'refuses a bad hook with 400 naming the problem (%#)',
    async (body, message) => {
      const { admin } = await start();
      const response = await admin.create(body);
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(message);
      const list = await admin.list();
      expect(
        list.body.items.filter((h: { source: string }) => h.source === 'api'),
      ).toEqual([]);
    },
  );

  it('dry-runs a change against saved hooks and against an unsaved one', async () => {
    const { server, knex, admin } = await start();
    const stream = await createPushStream(
      server,
      'client-a',
      'http://127.0.0.1:9/x',
      [SESSION_REVOKED],
    );
    const change = {
      subject: ANN,
      before: { 'metadata.annotations[ssf.io/lifecycle]': 'active' },
      attributes: { 'metadata.annotations["ssf.io/lifecycle"]': 'suspended' },
    };
    const saved = await admin.dryRun({ change });
    expect(saved.status).toBe(200);
    expect(saved.body.changes).toEqual([
      {
        kind: 'attribute_changed',
        path: 'metadata.annotations["ssf.io/lifecycle"]',
        from: 'active',
        to: 'suspended',
      },
    ]);
    expect(
      saved.body.events.map((e: { hook_name: string }) => e.hook_name).sort(),
    ).toEqual([
      'lifecycle-inactive-account-disabled',
      'lifecycle-inactive-session-revoked',
    ]);
    const revoked = saved.body.events.find(
      (e: { event_type: string }) => e.event_type === SESSION_REVOKED,
    );
    expect(revoked).toMatchObject({
      hook_id: expect.stringMatching(/^hook_/),
      subject: ANN,
      payload: {
        initiating_entity: 'policy',
        reason_admin: { en: 'The user became suspended' },
      },
      streams: [stream.body.stream_id],
    });

    const unsaved = await admin.dryRun({
      change: {
        subject: ANN,
        before: { 'metadata.labels.mfa': 'on' },
        attributes: { 'metadata.labels.mfa': null },
      },
      hook: mfaRemoved,
    });
    expect(unsaved.status).toBe(200);
    expect(unsaved.body.events).toEqual([
      expect.objectContaining({
        hook_name: 'mfa-removed',
        event_type: CREDENTIAL_CHANGE,
        payload: expect.objectContaining({
          reason_admin: { en: 'ann@example.com turned MFA ' },
        }),
        streams: [],
      }),
    ]);

    // A dry run emits nothing.
    expect(await rowCount(knex, 'ssf_outbox')).toBe(0);
  });

  it('refuses a 3,000-level payload_template on every hook route with 400, storing nothing', async () => {
    const { knex, admin } = await start();
    const created = await admin.create(mfaRemoved);
    expect(created.status).toBe(201);
    const before = await storedHookRows(knex);
    const deep = { ...mfaRemoved, payload_template: deepTemplate(3000) };
    const deepArrays = {
      ...mfaRemoved,
      payload_template: {
        ...mfaRemoved.payload_template,
        // Arrays nest as well as objects.
        list: JSON.parse(`${'['.repeat(3000)}${']'.repeat(3000)}`),
      },
    };
    const change = {
      subject: ANN,
      before: { 'metadata.labels.mfa': 'on' },
      attributes: { 'metadata.labels.mfa': 'off' },
    };
    for (const [method, path, body] of [
      ['post', '/api/ssf/hooks', deep],
      ['post', '/api/ssf/hooks', { ...deepArrays, name: 'arrays' }],
      ['put', `/api/ssf/hooks/${created.body.id}`, deep],
      [
        'patch',
        `/api/ssf/hooks/${created.body.id}`,
        { payload_template: deep.payload_template },
      ],
      ['post', '/api/ssf/hooks/dry-run', { change, hook: deep }],
      ['post', '/api/ssf/hooks/dry-run', { change, hook: deepArrays }],
    ] as const) {
      const response = await admin.call(method, path, body);
      expect([method, path, response.status]).toEqual([method, path, 400]);
      expect(response.body.error.message).toMatch(
        /payload_template:? nests objects and arrays more than 32 levels deep/,
      );
    }
    expect(await storedHookRows(knex)).toEqual(before);
  });

  it('matches a catastrophic pattern in linear time on a dry run, and refuses a backreference naming why', async () => {
    const { admin } = await start();
    const dryRun = (to: string, value: string) =>
      admin.dryRun({
        change: { subject: ANN, attributes: { 'metadata.labels.mfa': value } },
        hook: {
          ...mfaRemoved,
          trigger: { on: 'attribute_changed', path: 'metadata.labels.mfa', to },
        },
      });
    // The probe's request.
    const probe = await dryRun(CATASTROPHIC, `${'a'.repeat(26)}!`);
    expect(probe.status).toBe(200);
    expect(probe.body.events).toEqual([]);
    const long = await dryRun(CATASTROPHIC, `${LONG_A}!`);
    expect(long.status).toBe(200);
    expect(long.body.events).toEqual([]);
    // And the pattern does match what it should.
    const matching = await dryRun(CATASTROPHIC, `${LONG_A}b`);
    expect(matching.status).toBe(200);
    expect(matching.body.events).toEqual([
      expect.objectContaining({ hook_name: 'mfa-removed' }),
    ]);

    const backreference = await dryRun('(a)\\1', 'aa');
    expect(backreference.status).toBe(400);
    expect(backreference.body.error.message).toMatch(
      /hook.trigger.to: not a pattern the linear-time matching engine \(RE2 syntax\) takes: error parsing regexp: invalid escape sequence: `\\1`/,
    );
  });

  it('fires a saved hook with a catastrophic pattern from identity changes, in linear time', async () => {
    const { server, admin } = await start();
    const saved = await admin.create({
      ...mfaRemoved,
      trigger: {
        on: 'attribute_changed',
        path: 'metadata.labels.mfa',
        to: CATASTROPHIC,
      },
      // Without {{to}}: the 4 kB value would not fit in reason_admin.
      payload_template: { credential_type: 'app', change_type: 'delete' },
    });
    expect(saved.status).toBe(201);
    const submit = (email: string, value: string) =>
      admin.identityChanges({
        changes: [
          {
            subject: { format: 'email', email },
            attributes: { 'metadata.labels.mfa': value },
          },
        ],
      });
    const adversarial = await submit('ann@example.com', `${LONG_A}!`);
    expect(adversarial.status).toBe(200);
    expect(adversarial.body.results[0].events).toEqual([]);
    const matching = await submit('bob@example.com', `${LONG_A}b`);
    expect(matching.status).toBe(200);
    expect(matching.body.results[0].events).toEqual([
      expect.objectContaining({
        hook_name: 'mfa-removed',
        event_type: CREDENTIAL_CHANGE,
      }),
    ]);
    // The backend still answers.
    expect(
      (await request(server).get('/api/ssf/.well-known/ssf-configuration'))
        .status,
    ).toBe(200);
  });

  it('refuses to start with a config hook whose pattern the engine cannot take, naming it', async () => {
    await expect(
      start({
        lifecycle: {
          hooks: [
            {
              name: 'backreference',
              trigger: {
                on: 'attribute_changed',
                path: 'metadata.labels.mfa',
                to: '(on)\\1',
              },
              eventType: SESSION_REVOKED,
            },
          ],
        },
      }),
    ).rejects.toThrow(
      /ssf\.lifecycle\.hooks\[0\] \(backreference\): Invalid hook: trigger\.to: .*invalid escape sequence/,
    );
  });

  it('never fires, nor fails on, a stored hook whose pattern RE2 refuses, and warns at startup', async () => {
    const first = await start();
    const created = await first.admin.create(mfaRemoved);
    expect(created.status).toBe(201);
    await first.backend.stop();
    // As saved before patterns were checked with RE2: a lookahead.
    await first
      .knex('ssf_lifecycle_hooks')
      .where({ id: created.body.id })
      .update({
        trigger_json: JSON.stringify({
          on: 'attribute_changed',
          path: 'metadata.labels.mfa',
          to: '(?!on).*',
        }),
      });
    const { lines, factory: logger } = captureLogs();
    const second = await startSsfBackend({
      databases,
      id,
      knex: first.knex,
      config: {},
      extraFeatures: [mutableCatalog().factory, logger],
    });
    cleanUp(() => second.backend.stop());
    const admin = hooksAdmin(second.server);
    expect(
      lines.some(l =>
        /hook mfa-removed \(hook_[^)]+\) never fires until its trigger.to is changed: .*unsupported Perl syntax/.test(
          l,
        ),
      ),
    ).toBe(true);
    const fired = await admin.identityChanges({
      changes: [{ subject: ANN, attributes: { 'metadata.labels.mfa': 'off' } }],
    });
    expect(fired.status).toBe(200);
    expect(fired.body.results[0].events).toEqual([]);
    // Changing it keeps the stored pattern, which is refused until fixed.
    const disabled = await admin.change(created.body.id, { enabled: false });
    expect(disabled.status).toBe(400);
    expect(disabled.body.error.message).toMatch(/trigger.to: .*RE2/);
    const fixed = await admin.change(created.body.id, {
      trigger: mfaRemoved.trigger,
    });
    expect(fixed.status).toBe(200);
  });

  it('refuses users without ssf.hook.manage, and receivers', async () => {
    const { server, admin } = await start({
      permission: AuthorizeResult.DENY,
    });
    const asReceiver = callerOf(server, clientAuth('client-a'));
    for (const [method, path] of [
      ['get', '/api/ssf/hooks'],
      ['post', '/api/ssf/hooks'],
      ['get', '/api/ssf/hooks/hook_x'],
      ['put', '/api/ssf/hooks/hook_x'],
      ['patch', '/api/ssf/hooks/hook_x'],
      ['delete', '/api/ssf/hooks/hook_x'],
      ['post', '/api/ssf/hooks/dry-run'],
      ['get', '/api/ssf/hook-firings'],
      ['post', '/api/ssf/identity-changes'],
      ['post', '/api/ssf/lifecycle/reconcile'],
      ['get', '/api/ssf/lifecycle/status'],
    ] as const) {
      const user = await admin.call(method, path, {});
      expect([method, path, user.status]).toEqual([method, path, 403]);
      // Receivers (external access tokens) manage their stream, not hooks;
      // allow-listed services may post identity changes (tested apart).
      const receiver = await asReceiver(method, path, {});
      expect([method, path, receiver.status]).toEqual([method, path, 403]);
    }
  });
});
