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

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { decodeJwt } from 'jose';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { waitFor } from '../__testUtils__/receiver';
import { ACCOUNT_DISABLED, SESSION_REVOKED } from '../__testUtils__/specUris';
import { callerOf, clientAuth, userAuth } from '../__testUtils__/testBackend';
import { hooksAdmin } from './__testUtils__/hooksAdmin';
import {
  mutableCatalog,
  useIdentityHooksBackends,
} from './__testUtils__/identityHooksBackend';

jest.setTimeout(60_000);

const HR_FEED = clientAuth('hr-feed');
const PLUGIN = clientAuth('plugin:hr-sync');
const STATUS = 'metadata.annotations["ssf.io/lifecycle"]';
const zoe = { format: 'email', email: 'zoe@example.com' };

describeOnEachDatabase('POST /identity-changes', (databases, id) => {
  const backends = useIdentityHooksBackends(databases, id);
  let receiver: Awaited<ReturnType<typeof backends.receiver>>;

  async function start() {
    receiver = await backends.receiver();
    const backend = await backends.start(mutableCatalog(), {
      lifecycle: { identityChanges: { allowedServices: ['hr-feed'] } },
    });
    await backend.createStream('client-a', receiver.url, [
      SESSION_REVOKED,
      ACCOUNT_DISABLED,
    ]);
    const post = (body: object, auth = HR_FEED) =>
      hooksAdmin(backend.server, auth).identityChanges(body);
    const outboxCount = () => rowCount(backend.knex, 'ssf_outbox');
    return { ...backend, post, outboxCount };
  }

  it('fires hooks for an HR feed terminating a user, once', async () => {
    const { post, outboxCount } = await start();
    const terminated = await post({
      changes: [
        {
          subject: zoe,
          attributes: {
            'metadata.annotations[ssf.io/lifecycle]': 'terminated',
          },
          observed_at: '2026-11-30T08:00:00Z',
        },
      ],
    });
    expect(terminated.status).toBe(200);
    expect(terminated.body.results).toEqual([
      {
        identity: 'email:zoe@example.com',
        changes: [
          { kind: 'attribute_changed', path: STATUS, to: 'terminated' },
        ],
        events: expect.arrayContaining([
          expect.objectContaining({
            hook_name: 'lifecycle-inactive-session-revoked',
            event_type: SESSION_REVOKED,
            sets: [{ stream_id: expect.any(String), jti: expect.any(String) }],
          }),
          expect.objectContaining({ event_type: ACCOUNT_DISABLED }),
        ]),
      },
    ]);
    await waitFor(() => receiver.received.length === 2, 10_000, 'SETs');
    const revoked = receiver.received
      .map(r => decodeJwt(r.body))
      .find(c => Object.keys(c.events as object)[0] === SESSION_REVOKED)!;
    expect(revoked.sub_id).toEqual(zoe);
    expect(
      (revoked.events as Record<string, { event_timestamp: number }>)[
        SESSION_REVOKED
      ].event_timestamp,
    ).toBe(Date.parse('2026-11-30T08:00:00Z') / 1000);

    // The same report again changes nothing and emits nothing.
    const again = await post({
      changes: [{ subject: zoe, attributes: { [STATUS]: 'terminated' } }],
    });
    expect(again.body.results[0]).toEqual({
      identity: 'email:zoe@example.com',
      changes: [],
      events: [],
    });
    expect(await outboxCount()).toBe(2);
  });

  it('fires removal hooks for a user the feed deprovisions, even one never seen', async () => {
    const { post } = await start();
    const removed = await post(
      {
        changes: [
          {
            subject: { format: 'email', email: 'new@example.com' },
            removed: true,
          },
        ],
      },
      PLUGIN,
    );
    expect(removed.status).toBe(200);
    expect(removed.body.results[0].changes).toEqual([{ kind: 'user_removed' }]);
    expect(
      removed.body.results[0].events
        .map((e: { hook_name: string }) => e.hook_name)
        .sort(),
    ).toEqual([
      'user-removed-account-disabled',
      'user-removed-session-revoked',
    ]);
  });

  it.each([
    ['no changes array', {}],
    ['an empty batch', { changes: [] }],
    ['neither attributes nor removed', { changes: [{ subject: zoe }] }],
    [
      'both attributes and removed',
      { changes: [{ subject: zoe, attributes: { a: 'b' }, removed: true }] },
    ],
    [
      'a bad subject',
      { changes: [{ subject: { format: 'email' }, removed: true }] },
    ],
    [
      'a non-string attribute',
      { changes: [{ subject: zoe, attributes: { a: 1 } }] },
    ],
    ['a bad path', { changes: [{ subject: zoe, attributes: { 'a[': 'x' } }] }],
    [
      'a bad time',
      {
        changes: [{ subject: zoe, removed: true, observed_at: 'yesterday' }],
      },
    ],
    [
      'too many changes',
      {
        changes: Array.from({ length: 1001 }, () => ({
          subject: zoe,
          removed: true,
        })),
      },
    ],
    [
      'an unknown member',
      { changes: [{ subject: zoe, removed: true, why: 1 }] },
    ],
  ])('refuses %s with 400 and emits nothing', async (_, body) => {
    const { post, knex, outboxCount } = await start();
    // A good change first in the batch: it must not be applied either.
    const batch =
      'changes' in body && Array.isArray(body.changes) && body.changes.length
        ? {
            changes: [{ subject: zoe, removed: true }, ...body.changes],
          }
        : body;
    const response = await post(batch);
    expect(response.status).toBe(400);
    expect(response.body.error.message).toMatch(/identity changes|path/);
    expect(await outboxCount()).toBe(0);
    expect(await rowCount(knex, 'ssf_identity_changes')).toBe(0);
  });

  it('refuses JSON that is not JSON, and takes a batch of 1,000', async () => {
    const { server, post } = await start();
    const broken = await callerOf(server, HR_FEED)(
      'post',
      '/api/ssf/identity-changes',
    )
      .set('Content-Type', 'application/json')
      .send('{"changes": [');
    expect(broken.status).toBe(400);
    const big = await post({
      changes: Array.from({ length: 1000 }, (_, i) => ({
        subject: { format: 'email', email: `user${i}@example.com` },
        attributes: { 'metadata.labels.team': `team-${i}` },
      })),
    });
    expect(big.status).toBe(200);
    expect(big.body.results).toHaveLength(1000);
  });

  it('lets only plugins, allow-listed services and hook admins submit', async () => {
    const { post } = await start();
    const body = { changes: [{ subject: zoe, attributes: { a: 'b' } }] };
    expect((await post(body, clientAuth('client-a'))).status).toBe(403);
    expect((await post(body, PLUGIN)).status).toBe(200);
    expect((await post(body, userAuth())).status).toBe(200);
    const anonymous = await post(body, mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('refuses users without ssf.hook.manage', async () => {
    const backend = await backends.start(mutableCatalog(), {
      permission: AuthorizeResult.DENY,
    });
    const response = await backend.admin.identityChanges({
      changes: [{ subject: zoe, removed: true }],
    });
    expect(response.status).toBe(403);
  });
});
