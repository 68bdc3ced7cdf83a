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
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { installTestMeterProvider } from '../__testUtils__/metrics';
import { waitFor } from '../__testUtils__/receiver';
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  mutableCatalog,
  useIdentityHooksBackends,
  user,
  vanishingCatalog,
} from './__testUtils__/identityHooksBackend';

// Before any backend: the plugin's MetricsService takes its meter at setup.
const meter = installTestMeterProvider();

jest.setTimeout(60_000);

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

describeOnEachDatabase('identity hooks metrics', (databases, id) => {
  const backends = useIdentityHooksBackends(databases, id);

  it('counts completed runs, the changes they found and the events they emitted', async () => {
    const catalog = mutableCatalog([
      user('alice', { email: 'alice@example.com', lifecycle: 'active' }),
      user('bob', { email: 'bob@example.com' }),
    ]);
    const backend = await backends.start(catalog);
    const receiver = await backends.receiver();
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
      user('alice', { email: 'alice@example.com', lifecycle: 'terminated' }),
    );
    catalog.put(user('carol', { email: 'carol@example.com' }));
    await backend.reconcile();
    await waitFor(() => receiver.received.length >= 1, 10_000, 'the SET');
    const status = await backend.admin.lifecycleStatus();
    const lastRun = status.body.catalog.last_run;
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
  });

  it('counts a run whose removals were held back', async () => {
    const catalog = vanishingCatalog();
    const backend = await backends.start(catalog);
    await backend.reconcile();
    catalog.vanish();
    const before = await figures();
    await backend.reconcile();
    expect(await figures()).toEqual({
      ...before,
      heldBack: before.heldBack + 1,
      durations: before.durations + 1,
    });
  });

  it('counts a run that failed', async () => {
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
    const backend = await backends.start({
      ...mutableCatalog(),
      factory: broken,
    });
    const before = await figures();
    await backend.reconcile().catch(() => {});
    expect(await figures()).toEqual({
      ...before,
      failed: before.failed + 1,
      durations: before.durations + 1,
    });
  });
});
