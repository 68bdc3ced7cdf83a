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

import { storeTests, rowCount } from '../../__testUtils__/databases';
import { Run, RunStore } from './RunStore';

jest.setTimeout(60_000);

function run(overrides: Partial<Run> = {}): Run {
  return {
    startedAt: new Date('2026-11-01T10:00:00.123Z'),
    finishedAt: new Date('2026-11-01T10:00:42.987Z'),
    result: {
      users: 1200,
      added: 3,
      removed: 1,
      changed: 7,
      events: 9,
      firstRun: false,
    },
    ...overrides,
  };
}

describe('RunStore', () => {
  const itWithStore = storeTests(knex => new RunStore(knex));

  itWithStore('keeps the last run of each source', async (store, knex) => {
    expect(await store.get('catalog')).toBeUndefined();

    const first = run({
      result: {
        users: 0,
        added: 0,
        removed: 0,
        changed: 0,
        events: 0,
        firstRun: true,
      },
    });
    await store.put('catalog', first);
    expect(await store.get('catalog')).toEqual(first);

    // The next run replaces it, optional members included.
    const second = run({
      startedAt: new Date('2026-11-02T10:00:00.000Z'),
      finishedAt: new Date('2026-11-02T10:05:00.001Z'),
      result: {
        users: 10,
        added: 0,
        removed: 0,
        changed: 1,
        events: 2,
        firstRun: false,
        removalsHeldBack: 8,
      },
    });
    await store.put('catalog', second);
    expect(await store.get('catalog')).toEqual(second);

    // And a run without them drops them again.
    const third = run({ startedAt: new Date('2026-11-03T10:00:00.000Z') });
    await store.put('catalog', third);
    const read = await store.get('catalog');
    expect(read).toEqual(third);
    expect(read?.result).not.toHaveProperty('removalsHeldBack');
    expect(read?.startedAt).toBeInstanceOf(Date);

    // Sources are independent.
    const other = run({ finishedAt: new Date('2026-12-24T23:59:59.999Z') });
    await store.put('hr-feed', other);
    expect(await store.get('hr-feed')).toEqual(other);
    expect(await store.get('catalog')).toEqual(third);
    // One row a source, however often it ran.
    expect(await rowCount(knex, 'ssf_lifecycle_runs')).toBe(2);
  });
});
