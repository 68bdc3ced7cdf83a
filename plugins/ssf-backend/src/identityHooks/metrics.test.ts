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

import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { installTestMeterProvider } from '../__testUtils__/metrics';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import { userAuth } from '../__testUtils__/testBackend';
import {
  mutableCatalog,
  startIdentityHooksBackend,
  user,
} from './__testUtils__/identityHooksBackend';

// Before any backend: the plugin's MetricsService takes its meter at setup.
const meter = installTestMeterProvider();

jest.setTimeout(60_000);

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const RUNS = 'ssf.identity_hooks.reconciliations';
const DURATION = 'ssf.identity_hooks.reconciliation.duration';
const CHANGES = 'ssf.identity_hooks.reconciliation.changes';
const EVENTS = 'ssf.identity_hooks.reconciliation.events';
const catalogSource = { source: 'catalog' };

/** Every figure the identity hooks report, read at once. */
async function figures() {
  return {
    completed: await meter.value(RUNS, { outcome: 'completed' }),
    heldBack: await meter.value(RUNS, { outcome: 'held_back' }),
    failed: await meter.value(RUNS, { outcome: 'failed' }),
    durations: await meter.value(DURATION, catalogSource),
    added: await meter.value(CHANGES, { kind: 'added' }),
    changed: await meter.value(CHANGES, { kind: 'changed' }),
    removed: await meter.value(CHANGES, { kind: 'removed' }),
    events: await meter.value(EVENTS, catalogSource),
  };
}

afterAll(() => meter.shutdown());

describe.each(createTestDatabases().eachSupportedId())(
  'identity hooks metrics on %p',
  id => {
    const databases = createTestDatabases();

    it('counts completed runs, the changes they found and the events they emitted', async () => {
      const catalog = mutableCatalog([
        user('alice', { email: 'alice@example.com', lifecycle: 'active' }),
        user('bob', { email: 'bob@example.com' }),
      ]);
      const backend = await startIdentityHooksBackend({
        databases,
        id,
        catalog,
      });
      const receiver = await startTestReceiver();
      try {
        await backend.createStream('client-a', receiver.url, [SESSION_REVOKED]);
        const start = await figures();

        // The first run records a baseline: a run, but no changes.
        await backend.reconcile();
        const afterFirst = await figures();
        expect(afterFirst).toEqual({
          ...start,
          completed: start.completed + 1,
          durations: start.durations + 1,
        });

        catalog.put(
          user('alice', {
            email: 'alice@example.com',
            lifecycle: 'terminated',
          }),
        );
        catalog.put(user('carol', { email: 'carol@example.com' }));
        await backend.reconcile();
        await waitFor(() => receiver.received.length >= 1, 10_000, 'the SET');
        const lastRun = (
          await request(backend.server)
            .get('/api/ssf/lifecycle/status')
            .set('Authorization', userAuth())
        ).body.catalog.last_run;
        expect(lastRun).toMatchObject({ added: 1, changed: 1, removed: 0 });
        expect(lastRun.events).toBeGreaterThan(0);
        expect(await figures()).toEqual({
          ...afterFirst,
          completed: afterFirst.completed + 1,
          durations: afterFirst.durations + 1,
          added: afterFirst.added + 1,
          changed: afterFirst.changed + 1,
          events: afterFirst.events + lastRun.events,
        });
      } finally {
        await receiver.close();
        await backend.backend.stop();
      }
    });

    it('counts a run whose removals were held back', async () => {
      const users = Array.from({ length: 30 }, (_, i) =>
        user(`u${i}`, { email: `u${i}@example.com` }),
      );
      const catalog = mutableCatalog(users);
      const backend = await startIdentityHooksBackend({
        databases,
        id,
        catalog,
      });
      try {
        await backend.reconcile();
        for (const u of users.slice(0, 20)) {
          catalog.remove(`user:default/${u.metadata.name}`);
        }
        const before = await figures();
        await backend.reconcile();
        expect(await figures()).toEqual({
          ...before,
          heldBack: before.heldBack + 1,
          durations: before.durations + 1,
        });
      } finally {
        await backend.backend.stop();
      }
    });

    it('counts a run that failed', async () => {
      const catalog = mutableCatalog();
      const broken = createServiceFactory({
        service: catalogServiceRef,
        deps: {},
        factory: () =>
          ({
            // eslint-disable-next-line require-yield
            async *streamEntities() {
              throw new Error('the catalog is down');
            },
            getEntityByRef: async () => undefined,
          } as never),
      });
      const backend = await startIdentityHooksBackend({
        databases,
        id,
        catalog: { ...catalog, factory: broken },
      });
      try {
        const before = await figures();
        await backend.reconcile().catch(() => {});
        expect(await figures()).toEqual({
          ...before,
          failed: before.failed + 1,
          durations: before.durations + 1,
        });
      } finally {
        await backend.backend.stop();
      }
    });
  },
);
