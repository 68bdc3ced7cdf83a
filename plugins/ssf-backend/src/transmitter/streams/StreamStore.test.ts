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

import {
  createTestDatabases,
  itOnEachDatabaseWith,
} from '../../__testUtils__/databases';
import { POLL } from '../../__testUtils__/specUris';
import { testStream } from '../__testUtils__/streamRecords';
import { StreamRecord, StreamStore } from './StreamStore';

jest.setTimeout(60_000);

/** Client A's stream, `stream-1`, with `overrides`. */
const stream = (overrides: Partial<StreamRecord> = {}) =>
  testStream('stream-1', {
    clientId: 'client-a',
    aud: 'client-a',
    ...overrides,
  });

describe('StreamStore', () => {
  const databases = createTestDatabases();

  /** A test of a stream store on an empty database, once on each database. */
  const itWithStore = itOnEachDatabaseWith(
    databases,
    knex => new StreamStore(knex),
  );

  itWithStore('round-trips every field', async store => {
    const s = stream({ aud: ['a', 'b'] });
    await store.insert(s);

    expect(await store.get('stream-1')).toEqual(s);
    expect(await store.getByClientId('client-a')).toEqual(s);
    expect(await store.get('missing')).toBeUndefined();
    expect(await store.count()).toBe(1);

    const poll = stream({
      streamId: 'stream-2',
      clientId: 'client-b',
      delivery: { method: POLL, endpointUrl: 'https://p/poll/stream-2' },
      description: undefined,
      statusReason: 'paused by test',
      status: 'paused',
    });
    await store.insert(poll);
    expect(await store.get('stream-2')).toEqual(poll);
  });

  itWithStore('lists by owner and audience', async store => {
    await store.insert(stream({ streamId: 's1', clientId: 'a', aud: 'x' }));
    await store.insert(
      stream({ streamId: 's2', clientId: 'b', aud: ['x', 'y'] }),
    );
    await store.insert(stream({ streamId: 's3', clientId: 'c', aud: 'z' }));
    const ids = async (filter?: Parameters<StreamStore['list']>[0]) =>
      (await store.list(filter)).map(s => s.streamId);

    expect(await ids()).toEqual(['s1', 's2', 's3']);
    expect(await ids({ clientId: 'b' })).toEqual(['s2']);
    expect(await ids({ aud: 'x' })).toEqual(['s1', 's2']);
    expect(await store.list({ clientId: 'a', aud: 'z' })).toEqual([]);
  });

  itWithStore('enforces one stream per client', async store => {
    await store.insert(stream());
    await expect(store.insert(stream({ streamId: 'other' }))).rejects.toThrow();
    expect(await store.count()).toBe(1);
  });

  itWithStore('updates, rolls back and deletes', async store => {
    await store.insert(stream());

    const changed = stream({
      description: undefined,
      eventsRequested: [],
      delivery: { method: POLL, endpointUrl: 'https://p/poll/stream-1' },
      updatedAt: new Date('2026-11-02T10:00:00.000Z'),
    });
    await store.update(changed);
    expect(await store.get('stream-1')).toEqual(changed);

    // A failed unit of work leaves nothing behind.
    await expect(
      store.transaction(async tx => {
        await store.delete('stream-1', tx);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.get('stream-1')).toEqual(changed);

    expect(await store.delete('stream-1')).toBe(true);
    expect(await store.delete('stream-1')).toBe(false);
    expect(await store.count()).toBe(0);
  });
});
