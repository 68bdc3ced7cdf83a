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
import { createTestDatabases } from '../__testUtils__/databases';
import {
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../__testUtils__/testBackend';
import { mutableCatalog } from './__testUtils__/lifecycleBackend';

jest.setTimeout(60_000);

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const SESSION_REVOKED = `${CAEP}session-revoked`;
const CREDENTIAL_CHANGE = `${CAEP}credential-change`;
const ADMIN = userAuth();
const PUSH = 'urn:ietf:rfc:8935';

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

describe.each(createTestDatabases().eachSupportedId())(
  'lifecycle hooks API on %p',
  id => {
    const databases = createTestDatabases();

    async function start(
      options: {
        lifecycle?: object;
        permission?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
        knex?: Parameters<typeof startSsfBackend>[0]['knex'];
      } = {},
    ) {
      return startSsfBackend({
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
    }

    it('seeds the default hooks once, read-only, and keeps them on restart', async () => {
      const first = await start();
      const list = await request(first.server)
        .get('/api/ssf/hooks')
        .set('Authorization', ADMIN);
      expect(list.status).toBe(200);
      expect(
        list.body.items.map((h: { name: string }) => h.name).sort(),
      ).toEqual([
        'email-changed-identifier-changed',
        'lifecycle-inactive-account-disabled',
        'lifecycle-inactive-session-revoked',
        'lifecycle-reactivated-account-enabled',
        'user-removed-account-disabled',
        'user-removed-session-revoked',
      ]);
      const revoked = list.body.items.find(
        (h: { name: string }) =>
          h.name === 'lifecycle-inactive-session-revoked',
      );
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
      const edit = await request(first.server)
        .patch(`/api/ssf/hooks/${revoked.id}`)
        .set('Authorization', ADMIN)
        .send({ enabled: false });
      expect(edit.status).toBe(409);
      expect(edit.body.error.message).toMatch(/defined in app-config/);
      expect(
        (
          await request(first.server)
            .delete(`/api/ssf/hooks/${revoked.id}`)
            .set('Authorization', ADMIN)
        ).status,
      ).toBe(409);
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
      const again = await request(second.server)
        .get('/api/ssf/hooks')
        .set('Authorization', ADMIN);
      expect(again.body.items).toHaveLength(7);
      const revokedAgain = again.body.items.find(
        (h: { name: string }) =>
          h.name === 'lifecycle-inactive-session-revoked',
      );
      expect(revokedAgain.id).toBe(revoked.id);
      // The new annotation key reached the default hooks.
      expect(revokedAgain.trigger.path).toBe(
        'metadata.annotations["example.com/status"]',
      );
      await second.backend.stop();
    });

    it('creates, reads, changes and deletes hooks', async () => {
      const { server, backend } = await start();
      const created = await request(server)
        .post('/api/ssf/hooks')
        .set('Authorization', ADMIN)
        .send(mfaRemoved);
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

      expect(
        (
          await request(server)
            .post('/api/ssf/hooks')
            .set('Authorization', ADMIN)
            .send(mfaRemoved)
        ).status,
      ).toBe(409);

      // Racing creates of one name: one wins, the rest are told why.
      const raced = await Promise.all(
        Array.from({ length: 5 }, () =>
          request(server)
            .post('/api/ssf/hooks')
            .set('Authorization', ADMIN)
            .send({ ...mfaRemoved, name: 'raced' }),
        ),
      );
      expect(raced.map(r => r.status).sort()).toEqual([
        201, 409, 409, 409, 409,
      ]);

      const read = await request(server)
        .get(`/api/ssf/hooks/${hookId}`)
        .set('Authorization', ADMIN);
      expect(read.body).toEqual(created.body);

      const disabled = await request(server)
        .patch(`/api/ssf/hooks/${hookId}`)
        .set('Authorization', ADMIN)
        .send({ enabled: false });
      expect(disabled.status).toBe(200);
      expect(disabled.body.enabled).toBe(false);
      expect(disabled.body.description).toBe('A user lost MFA');

      const replaced = await request(server)
        .put(`/api/ssf/hooks/${hookId}`)
        .set('Authorization', ADMIN)
        .send({ ...mfaRemoved, name: 'mfa-off', subject_format: 'iss_sub' });
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        name: 'mfa-off',
        enabled: true,
        subject_format: 'iss_sub',
      });

      expect(
        (
          await request(server)
            .delete(`/api/ssf/hooks/${hookId}`)
            .set('Authorization', ADMIN)
        ).status,
      ).toBe(204);
      expect(
        (
          await request(server)
            .get(`/api/ssf/hooks/${hookId}`)
            .set('Authorization', ADMIN)
        ).status,
      ).toBe(404);
      await backend.stop();
    });

    it.each([
      [{ ...mfaRemoved, name: 'Bad Name' }, /name/],
      [
        { ...mfaRemoved, trigger: { ...mfaRemoved.trigger, to: '(' } },
        /trigger.to: not a valid regular expression/,
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
        const { server, backend } = await start();
        const response = await request(server)
          .post('/api/ssf/hooks')
          .set('Authorization', ADMIN)
          .send(body);
        expect(response.status).toBe(400);
        expect(response.body.error.message).toMatch(message);
        const list = await request(server)
          .get('/api/ssf/hooks')
          .set('Authorization', ADMIN);
        expect(
          list.body.items.filter((h: { source: string }) => h.source === 'api'),
        ).toEqual([]);
        await backend.stop();
      },
    );

    it('dry-runs a change against saved hooks and against an unsaved one', async () => {
      const { server, backend, knex } = await start();
      const stream = await request(server)
        .post('/api/ssf/streams')
        .set('Authorization', clientAuth('client-a'))
        .send({
          delivery: { method: PUSH, endpoint_url: 'http://127.0.0.1:9/x' },
          events_requested: [SESSION_REVOKED],
        });
      const change = {
        subject: { format: 'email', email: 'ann@example.com' },
        before: { 'metadata.annotations[ssf.io/lifecycle]': 'active' },
        attributes: { 'metadata.annotations["ssf.io/lifecycle"]': 'suspended' },
      };
      const saved = await request(server)
        .post('/api/ssf/hooks/dry-run')
        .set('Authorization', ADMIN)
        .send({ change });
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
        subject: { format: 'email', email: 'ann@example.com' },
        payload: {
          initiating_entity: 'policy',
          reason_admin: { en: 'The user became suspended' },
        },
        streams: [stream.body.stream_id],
      });

      const unsaved = await request(server)
        .post('/api/ssf/hooks/dry-run')
        .set('Authorization', ADMIN)
        .send({
          change: {
            subject: { format: 'email', email: 'ann@example.com' },
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
      const [{ n }] = await knex('ssf_outbox').count({ n: '*' });
      expect(Number(n)).toBe(0);
      await backend.stop();
    });

    it('refuses users without ssf.hook.manage, and receivers', async () => {
      const { server, backend } = await start({
        permission: AuthorizeResult.DENY,
      });
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
        const asUser = await request(server)
          [method](path)
          .set('Authorization', ADMIN)
          .send({});
        expect([method, path, asUser.status]).toEqual([method, path, 403]);
        // Receivers (external access tokens) manage their stream, not hooks;
        // allow-listed services may post identity changes (tested apart).
        const asReceiver = await request(server)
          [method](path)
          .set('Authorization', clientAuth('client-a'))
          .send({});
        expect([method, path, asReceiver.status]).toEqual([method, path, 403]);
      }
      await backend.stop();
    });
  },
);
