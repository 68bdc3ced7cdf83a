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

import { storeTests } from '../../__testUtils__/databases';
import { POLL, PUSH, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { isUniqueViolation } from '../../database/uniqueViolation';
import { ProviderRecord, ProviderStore } from './ProviderStore';

jest.setTimeout(60_000);

const T0 = new Date('2026-11-01T10:00:00.123Z');
const T1 = new Date('2026-11-02T10:00:00.456Z');
const T2 = new Date('2026-11-03T10:00:00.789Z');

/** The smallest provider: every optional field absent. */
function provider(overrides: Partial<ProviderRecord> = {}): ProviderRecord {
  return {
    id: 'prov_1',
    name: 'Okta',
    type: 'OKTA',
    status: 'ACTIVE',
    issuer: 'https://okta.example.com',
    jwksUrl: 'https://okta.example.com/oauth2/v1/keys',
    deliveryMethod: PUSH,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** Every field set. */
function fullProvider(overrides: Partial<ProviderRecord> = {}): ProviderRecord {
  return provider({
    id: 'prov_full',
    name: 'Full',
    issuer: 'https://tx.example.com/ssf',
    jwksUrl: 'https://tx.example.com/ssf/jwks',
    wellKnownUrl: 'https://tx.example.com/.well-known/ssf-configuration/ssf',
    acceptUntypedSets: true,
    acceptNonUrlIssuer: true,
    authorizationSecretHash: 'ab'.repeat(32),
    deliveryMethod: POLL,
    pollEndpointUrl: 'https://tx.example.com/ssf/poll',
    remoteStreamId: 'remote-1',
    verificationState: 'state-1',
    lastVerifiedAt: T1,
    remoteStreamStatus: 'paused',
    remoteStreamReason: 'maintenance ✓',
    remoteStreamUpdatedAt: T1,
    remoteStreamAud: ['https://portal.example.com', 'receiver-2'],
    remoteStreamEventsRequested: [SESSION_REVOKED],
    remoteStreamEventsDelivered: [],
    remoteStreamDescription: 'Our stream',
    remoteStreamDeliveryMethod: POLL,
    remoteStreamEndpointUrl: 'https://tx.example.com/ssf/poll/remote-1',
    lastPollAt: T2,
    lastPollError: 'HTTP 503',
    createdAt: T0,
    updatedAt: T1,
    ...overrides,
  });
}

/** What the store gives back for a record: flags read as booleans. */
function read(p: ProviderRecord): ProviderRecord {
  return {
    ...p,
    acceptUntypedSets: p.acceptUntypedSets ?? false,
    acceptNonUrlIssuer: p.acceptNonUrlIssuer ?? false,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    error => error,
  );
}

describe('ProviderStore', () => {
  const itWithStore = storeTests(knex => new ProviderStore(knex));

  itWithStore('round-trips every field', async store => {
    const full = fullProvider();
    const minimal = provider();
    await store.insert(full);
    await store.insert(minimal);

    expect(await store.get('prov_full')).toEqual(full);
    expect(await store.get('prov_1')).toEqual(read(minimal));
    const got = await store.get('prov_1');
    expect(got?.acceptUntypedSets).toBe(false);
    expect(got?.acceptNonUrlIssuer).toBe(false);
    expect(got?.remoteStreamAud).toBeUndefined();
    expect(got?.lastPollAt).toBeUndefined();

    expect(await store.getByIssuer('https://tx.example.com/ssf')).toEqual(full);
    expect(await store.getByName('Okta')).toEqual(read(minimal));
    expect(await store.get('prov_missing')).toBeUndefined();
    expect(await store.getByIssuer('https://other.example.com')).toBe(
      undefined,
    );
    expect(await store.getByName('okta')).toBeUndefined();

    // A Transmitter-Supplied aud may be one string (RFC 7519 §4.1.3).
    await store.insert(
      provider({
        id: 'prov_aud',
        name: 'One aud',
        issuer: 'urn:example:not-a-url',
        remoteStreamAud: 'only-one',
      }),
    );
    expect((await store.get('prov_aud'))?.remoteStreamAud).toBe('only-one');
  });

  itWithStore(
    'reads a JSON column it cannot parse as absent',
    async (store, knex) => {
      await store.insert(fullProvider());
      await knex('ssf_providers')
        .where({ id: 'prov_full' })
        .update({ remote_stream_aud_json: '["unterminated' });
      expect(await store.get('prov_full')).toEqual(
        fullProvider({ remoteStreamAud: undefined }),
      );
    },
  );

  itWithStore(
    'lists by creation time then id, by delivery method and status',
    async store => {
      const pollFirst = provider({
        id: 'p_c',
        name: 'c',
        issuer: 'https://c',
        createdAt: T0,
        deliveryMethod: POLL,
      });
      await store.insert(
        provider({ id: 'p_b', name: 'b', issuer: 'https://b', createdAt: T1 }),
      );
      await store.insert(pollFirst);
      await store.insert(
        provider({
          id: 'p_a',
          name: 'a',
          issuer: 'https://a',
          createdAt: T1,
          status: 'INACTIVE',
          deliveryMethod: POLL,
        }),
      );
      const ids = (list: ProviderRecord[]) => list.map(p => p.id);

      expect(ids(await store.list())).toEqual(['p_c', 'p_a', 'p_b']);
      expect(ids(await store.list({ deliveryMethod: POLL }))).toEqual([
        'p_c',
        'p_a',
      ]);
      expect(ids(await store.list({ deliveryMethod: PUSH }))).toEqual(['p_b']);
      expect(ids(await store.list({ status: 'ACTIVE' }))).toEqual([
        'p_c',
        'p_b',
      ]);
      expect(
        ids(await store.list({ deliveryMethod: POLL, status: 'ACTIVE' })),
      ).toEqual(['p_c']);
      expect(await store.list({ status: 'GONE' })).toEqual([]);
      expect((await store.list())[0]).toEqual(read(pollFirst));
    },
  );

  itWithStore(
    'refuses a second provider with the same id, name or issuer as a unique violation',
    async store => {
      await store.insert(provider());

      // ProviderService turns exactly these errors into 409s.
      for (const clash of [
        provider({ name: 'Other', issuer: 'https://other.example.com' }),
        provider({ id: 'prov_2', issuer: 'https://other.example.com' }),
        provider({ id: 'prov_2', name: 'Other' }),
      ]) {
        const error = await rejection(store.insert(clash));
        expect(error).toBeDefined();
        expect(isUniqueViolation(error)).toBe(true);
      }
      expect(await store.list()).toEqual([read(provider())]);
    },
  );

  itWithStore(
    'replaces the admin fields without putting back stale receiver state',
    async store => {
      await store.insert(fullProvider());
      const stale = (await store.get('prov_full'))!;

      // Meanwhile the receiver learnt new things from the transmitter.
      const learnt = {
        remoteStreamId: 'remote-2',
        verificationState: 'state-2',
        lastVerifiedAt: T2,
        remoteStreamStatus: 'enabled',
        remoteStreamReason: undefined,
        remoteStreamUpdatedAt: T2,
        remoteStreamAud: 'new-aud',
        remoteStreamEventsRequested: ['a', 'b'],
        remoteStreamEventsDelivered: ['a'],
        remoteStreamDescription: 'Changed there',
        remoteStreamDeliveryMethod: PUSH,
        remoteStreamEndpointUrl: 'https://portal.example.com/api/ssf/events',
        lastPollAt: T2,
        lastPollError: undefined,
      };
      await store.patchState('prov_full', learnt);

      // An admin's replace built from the copy read before.
      const admin = {
        name: 'Renamed',
        type: 'GENERIC',
        status: 'INACTIVE',
        issuer: 'https://tx2.example.com/ssf',
        jwksUrl: 'https://tx2.example.com/ssf/jwks',
        wellKnownUrl: undefined,
        acceptUntypedSets: false,
        acceptNonUrlIssuer: false,
        authorizationSecretHash: undefined,
        deliveryMethod: PUSH,
        pollEndpointUrl: undefined,
        updatedAt: T2,
      } satisfies Partial<ProviderRecord>;
      await store.update({ ...stale, ...admin, createdAt: T2 });

      expect(await store.get('prov_full')).toEqual({
        ...stale,
        ...learnt,
        ...admin,
        // Fixed at creation.
        createdAt: T0,
      });

      // Replacing a provider that is gone creates nothing.
      await store.update(provider({ id: 'prov_gone', name: 'Gone' }));
      expect(await store.get('prov_gone')).toBeUndefined();
    },
  );

  itWithStore('patches only the receiver state it is given', async store => {
    await store.insert(fullProvider());
    await store.insert(provider());

    await store.patchState('prov_full', {
      lastPollAt: T0,
      lastPollError: undefined,
      remoteStreamEventsDelivered: ['x'],
    });
    expect(await store.get('prov_full')).toEqual(
      fullProvider({
        lastPollAt: T0,
        lastPollError: undefined,
        remoteStreamEventsDelivered: ['x'],
      }),
    );
    expect(await store.get('prov_1')).toEqual(read(provider()));

    // The delivery the transmitter set up is receiver state too.
    await store.patchState('prov_1', {
      deliveryMethod: POLL,
      pollEndpointUrl: 'https://okta.example.com/poll',
      remoteStreamAud: ['x', 'y'],
    });
    expect(await store.get('prov_1')).toEqual(
      read(
        provider({
          deliveryMethod: POLL,
          pollEndpointUrl: 'https://okta.example.com/poll',
          remoteStreamAud: ['x', 'y'],
        }),
      ),
    );

    // An empty patch and a missing provider change nothing.
    await store.patchState('prov_1', {});
    await store.patchState('prov_missing', { lastPollError: 'x' });
    expect(await store.get('prov_missing')).toBeUndefined();
    expect((await store.get('prov_1'))?.remoteStreamAud).toEqual(['x', 'y']);
  });

  itWithStore(
    'records a remote stream only when the provider has none',
    async store => {
      await store.insert(provider());

      const stream = {
        remoteStreamId: 'remote-1',
        remoteStreamStatus: 'enabled',
        remoteStreamAud: 'aud-1',
        remoteStreamUpdatedAt: T1,
      };
      expect(await store.claimRemoteStream('prov_1', stream)).toBe(true);
      const claimed = read(provider(stream));
      expect(await store.get('prov_1')).toEqual(claimed);

      // A second create (another request, meanwhile) is not recorded.
      expect(
        await store.claimRemoteStream('prov_1', {
          remoteStreamId: 'remote-2',
          remoteStreamAud: 'aud-2',
        }),
      ).toBe(false);
      expect(await store.get('prov_1')).toEqual(claimed);

      // Once the stream is forgotten, a new one can be recorded.
      await store.patchState('prov_1', { remoteStreamId: undefined });
      expect(
        await store.claimRemoteStream('prov_1', { remoteStreamId: 'remote-3' }),
      ).toBe(true);
      expect((await store.get('prov_1'))?.remoteStreamId).toBe('remote-3');

      expect(
        await store.claimRemoteStream('prov_missing', {
          remoteStreamId: 'remote-4',
        }),
      ).toBe(false);
    },
  );

  itWithStore(
    'checks and writes in one transaction, leaving nothing when it fails,',
    async store => {
      await store.insert(fullProvider());

      await expect(
        store.transaction(async tx => {
          await store.insert(provider(), tx);
          // Reads in the transaction see its writes.
          expect(await store.get('prov_1', tx)).toEqual(read(provider()));
          expect((await store.getByName('Okta', tx))?.id).toBe('prov_1');
          expect(
            (await store.getByIssuer('https://okta.example.com', tx))?.id,
          ).toBe('prov_1');
          throw new Error('validation failed');
        }),
      ).rejects.toThrow('validation failed');
      expect(await store.get('prov_1')).toBeUndefined();
      expect(await store.getByName('Okta')).toBeUndefined();

      await expect(
        store.transaction(async tx => {
          await store.update(
            fullProvider({ name: 'Renamed', status: 'INACTIVE' }),
            tx,
          );
          await store.patchState('prov_full', { lastPollError: 'x' }, tx);
          expect(await store.delete('prov_full', tx)).toBe(true);
          expect(await store.get('prov_full', tx)).toBeUndefined();
          throw new Error('audit failed');
        }),
      ).rejects.toThrow('audit failed');
      expect(await store.get('prov_full')).toEqual(fullProvider());

      expect(
        await store.transaction(async tx => {
          await store.insert(provider(), tx);
          return 'committed';
        }),
      ).toBe('committed');
      expect(await store.get('prov_1')).toEqual(read(provider()));

      expect(await store.delete('prov_1')).toBe(true);
      expect(await store.delete('prov_1')).toBe(false);
      expect(await store.list()).toEqual([fullProvider()]);
    },
  );
});
