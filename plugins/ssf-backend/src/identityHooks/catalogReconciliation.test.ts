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

import { decodeJwt } from 'jose';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import {
  ACCOUNT_DISABLED,
  ACCOUNT_ENABLED,
  CREDENTIAL_CHANGE,
  RISC,
  SESSION_REVOKED,
  TEST_ISSUER,
} from '../__testUtils__/specUris';
import {
  mutableCatalog,
  useIdentityHooksBackends,
  user,
  vanishingCatalog,
} from './__testUtils__/identityHooksBackend';

jest.setTimeout(60_000);

const IDENTIFIER_CHANGED = `${RISC}identifier-changed`;
const ALL_LIFECYCLE = [
  SESSION_REVOKED,
  ACCOUNT_DISABLED,
  ACCOUNT_ENABLED,
  IDENTIFIER_CHANGED,
];

type Receiver = Awaited<ReturnType<typeof startTestReceiver>>;

/** The decoded SETs a receiver got: event type, sub_id and payload. */
function sets(receiver: Receiver) {
  return receiver.received.map(r => {
    const claims = decodeJwt(r.body) as {
      sub_id: Record<string, unknown>;
      events: Record<string, Record<string, unknown>>;
      txn: string;
    };
    const [type] = Object.keys(claims.events);
    return {
      type,
      subject: claims.sub_id,
      payload: claims.events[type],
      txn: claims.txn,
    };
  });
}

const settle = () => new Promise(r => setTimeout(r, 300));

describeOnEachDatabase('catalog lifecycle hooks', (databases, id) => {
  const { start, receiver: newReceiver } = useIdentityHooksBackends(
    databases,
    id,
  );

  it('sends session-revoked for a user terminated in the catalog to the streams that want it', async () => {
    const catalog = mutableCatalog([
      user('alice', { email: 'alice@example.com', lifecycle: 'active' }),
      user('bob', { email: 'bob@example.com' }),
    ]);
    const backend = await start(catalog);
    const subscribed = await newReceiver();
    const other = await newReceiver();
    const paused = await newReceiver();
    const a = await backend.createStream('client-a', subscribed.url, [
      SESSION_REVOKED,
    ]);
    expect(a.status).toBe(201);
    await backend.createStream('client-b', other.url, [CREDENTIAL_CHANGE]);
    const c = await backend.createStream('client-c', paused.url, [
      SESSION_REVOKED,
    ]);
    expect(
      (await backend.setStatus('client-c', c.body.stream_id, 'paused')).status,
    ).toBe(200);

    // First run: snapshots only, no event storm on install.
    await backend.reconcile();
    await settle();
    expect(subscribed.received).toHaveLength(0);
    const status = await backend.admin.lifecycleStatus();
    expect(status.body.catalog).toMatchObject({
      enabled: true,
      lifecycle_annotation: 'ssf.io/lifecycle',
      snapshots: 2,
      last_run: { users: 2, added: 2, events: 0, first_run: true },
    });

    catalog.put(
      user('alice', { email: 'alice@example.com', lifecycle: 'terminated' }),
    );
    await backend.reconcile();

    await waitFor(() => subscribed.received.length === 1, 10_000, 'SET');
    const [revoked] = sets(subscribed);
    expect(revoked).toMatchObject({
      type: SESSION_REVOKED,
      subject: { format: 'email', email: 'alice@example.com' },
      payload: {
        initiating_entity: 'policy',
        reason_admin: { en: 'The user became terminated' },
        event_timestamp: expect.any(Number),
      },
    });
    await settle();
    expect(other.received).toHaveLength(0);
    expect(paused.received).toHaveLength(0);

    // The paused stream held it and delivers on re-enable.
    await backend.setStatus('client-c', c.body.stream_id, 'enabled');
    await waitFor(
      () =>
        sets(paused).some(
          s =>
            s.type === SESSION_REVOKED &&
            s.subject.email === 'alice@example.com',
        ),
      10_000,
      'held SET',
    );

    // Why it was sent: the firing names hook, identity, change and SETs.
    const firings = await backend.admin.firings();
    expect(firings.status).toBe(200);
    const revokedFiring = firings.body.items.find(
      (f: { event_type: string }) => f.event_type === SESSION_REVOKED,
    );
    expect(revokedFiring).toMatchObject({
      hook_name: 'lifecycle-inactive-session-revoked',
      identity: 'user:default/alice',
      source: 'catalog',
      subject: { format: 'email', email: 'alice@example.com' },
      change: {
        kind: 'attribute_changed',
        path: 'metadata.annotations["ssf.io/lifecycle"]',
        from: 'active',
        to: 'terminated',
      },
      txn: revoked.txn,
    });
    expect(revokedFiring.sets.map((s: { jti: string }) => s.jti)).toContain(
      subscribed.jtis()[0],
    );

    // Seen once: another reconciliation sends nothing more.
    await backend.reconcile();
    await settle();
    expect(subscribed.received).toHaveLength(1);
  });

  it('runs each default hook', async () => {
    const catalog = mutableCatalog([
      user('carol', { email: 'carol@example.com', lifecycle: 'active' }),
      user('dave', { email: 'dave@example.com' }),
      user('erin'),
    ]);
    const backend = await start(catalog);
    const receiver = await newReceiver();
    await backend.createStream('client-a', receiver.url, ALL_LIFECYCLE);
    await backend.reconcile();

    const step = async (count: number, change: () => void) => {
      receiver.received.splice(0);
      change();
      await backend.reconcile();
      await waitFor(() => receiver.received.length >= count, 10_000, 'SETs');
      await settle();
      return sets(receiver).map(s => ({
        type: s.type,
        subject: s.subject,
        payload: s.payload,
      }));
    };

    // Suspended: sessions revoked and account disabled, one txn.
    const suspended = await step(2, () =>
      catalog.put(
        user('carol', { email: 'carol@example.com', lifecycle: 'suspended' }),
      ),
    );
    expect(suspended.map(s => s.type).sort()).toEqual(
      [ACCOUNT_DISABLED, SESSION_REVOKED].sort(),
    );
    expect(new Set(sets(receiver).map(s => s.txn)).size).toBe(1);
    expect(suspended[0].subject).toEqual({
      format: 'email',
      email: 'carol@example.com',
    });

    // Re-activated: the annotation leaves suspended.
    const reactivated = await step(1, () =>
      catalog.put(
        user('carol', { email: 'carol@example.com', lifecycle: 'active' }),
      ),
    );
    expect(reactivated).toEqual([
      {
        type: ACCOUNT_ENABLED,
        subject: { format: 'email', email: 'carol@example.com' },
        payload: { reason_admin: { en: 'The user is no longer suspended' } },
      },
    ]);

    // Email changed: about the old email, naming the new one.
    const renamed = await step(1, () =>
      catalog.put(user('dave', { email: 'david@example.com' })),
    );
    expect(renamed).toEqual([
      {
        type: IDENTIFIER_CHANGED,
        subject: { format: 'email', email: 'dave@example.com' },
        payload: { 'new-value': 'david@example.com' },
      },
    ]);

    // Removed: sessions revoked and account disabled, by the last email.
    const removed = await step(2, () => catalog.remove('user:default/dave'));
    expect(removed.map(s => s.type).sort()).toEqual(
      [ACCOUNT_DISABLED, SESSION_REVOKED].sort(),
    );
    expect(removed[0].subject).toEqual({
      format: 'email',
      email: 'david@example.com',
    });

    // A user without an email is named by issuer and entity ref.
    const noEmail = await step(2, () =>
      catalog.put({
        ...user('erin'),
        metadata: {
          ...user('erin').metadata,
          annotations: { 'ssf.io/lifecycle': 'terminated' },
        },
      }),
    );
    expect(noEmail[0].subject).toEqual({
      format: 'iss_sub',
      iss: TEST_ISSUER,
      sub: 'user:default/erin',
    });
  });

  it('reacts to catalog history events and emits a change once when the reconciliation sees it too', async () => {
    const catalog = mutableCatalog([
      user('frank', { email: 'frank@example.com', lifecycle: 'active' }),
    ]);
    const backend = await start(catalog);
    const receiver = await newReceiver();
    await backend.createStream('client-a', receiver.url, [SESSION_REVOKED]);
    await backend.reconcile();

    catalog.put(
      user('frank', { email: 'frank@example.com', lifecycle: 'terminated' }),
    );
    await backend.catalogUpdated('user:default/frank');
    await waitFor(() => receiver.received.length === 1, 10_000, 'SET');

    // The same change seen again by the event and the safety net.
    await backend.catalogUpdated('user:default/frank');
    await backend.reconcile();
    await settle();
    expect(receiver.received).toHaveLength(1);
    expect(await rowCount(backend.knex, 'ssf_identity_changes')).toBe(1);
  });

  it('holds back removals when most of the catalog vanishes at once', async () => {
    const catalog = vanishingCatalog();
    const backend = await start(catalog);
    const receiver = await newReceiver();
    await backend.createStream('client-a', receiver.url, [SESSION_REVOKED]);
    await backend.reconcile();
    catalog.vanish();
    await backend.reconcile();
    await settle();
    expect(receiver.received).toHaveLength(0);
    const status = await backend.admin.lifecycleStatus();
    expect(status.body.catalog.last_run).toMatchObject({
      removed: 0,
      removals_held_back: 20,
    });
    expect(status.body.catalog.snapshots).toBe(30);
  });
});
