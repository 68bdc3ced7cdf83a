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

import { TestDatabaseId } from '@backstage/backend-test-utils';
import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import {
  createTestDatabases,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { StreamRecord, StreamStore } from './StreamStore';
import { SubjectStore } from './SubjectStore';

jest.setTimeout(60_000);

function stream(streamId: string): StreamRecord {
  const now = new Date('2026-11-01T10:00:00.000Z');
  return {
    streamId,
    clientId: `client-${streamId}`,
    iss: 'https://portal.example.com/api/ssf',
    aud: `client-${streamId}`,
    eventsRequested: [
      'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
    ],
    delivery: {
      method: 'urn:ietf:rfc:8935',
      endpointUrl: 'https://receiver.example.com/events',
      authorizationHeader: 'Bearer secret',
    },
    description: 'A stream',
    receiverProfile: 'ssf',
    status: 'enabled',
    minVerificationInterval: 30,
    createdAt: now,
    updatedAt: now,
  };
}

const alice: SubjectIdentifier = {
  format: 'email',
  email: 'alice@example.com',
};
const bob: SubjectIdentifier = { format: 'email', email: 'bob@example.com' };

/** The stored rows of a stream, as the table holds them. */
async function rows(knex: Knex, streamId: string) {
  const found = await knex('ssf_stream_subjects')
    .where({ stream_id: streamId })
    .select('subject_json', 'included', 'verified');
  return found.map(r => ({
    subject: JSON.parse(r.subject_json),
    included: Boolean(r.included),
    verified: Boolean(r.verified),
  }));
}

describe('SubjectStore', () => {
  const databases = createTestDatabases();

  async function setup(id: TestDatabaseId) {
    const knex = await migratedDatabase(databases, id);
    const streams = new StreamStore(knex);
    await streams.insert(stream('s1'));
    await streams.insert(stream('s2'));
    await streams.insert(stream('s3'));
    return { knex, store: new SubjectStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'records a subject and updates it in place on %p',
    async id => {
      const { knex, store } = await setup(id);
      await store.set('s1', alice, { included: true, verified: true });
      expect(await rows(knex, 's1')).toEqual([
        { subject: alice, included: true, verified: true },
      ]);

      // subjects:remove after subjects:add: the same row flips.
      await store.set('s1', alice, { included: false, verified: false });
      expect(await rows(knex, 's1')).toEqual([
        { subject: alice, included: false, verified: false },
      ]);
      await store.set('s1', alice, { included: true, verified: false });
      expect(await rows(knex, 's1')).toEqual([
        { subject: alice, included: true, verified: false },
      ]);

      await store.set('s1', bob, { included: false, verified: true });
      const listed = (await store.listByStream(['s1'])).get('s1')!;
      expect(
        listed.sort((a, b) =>
          JSON.stringify(a.subject).localeCompare(JSON.stringify(b.subject)),
        ),
      ).toEqual([
        { subject: alice, included: true },
        { subject: bob, included: false },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'keys entries by the canonical subject on %p',
    async id => {
      const { knex, store } = await setup(id);
      // subjectMatching.canonicalSubject lower-cases email addresses…
      await store.set(
        's1',
        { format: 'email', email: 'Alice@Example.COM' },
        { included: true, verified: true },
      );
      await store.set('s1', alice, { included: false, verified: true });
      // …the latest spelling is the one kept.
      expect(await rows(knex, 's1')).toEqual([
        { subject: alice, included: false, verified: true },
      ]);

      // …and sorts members, so member order of a complex subject does not
      // make a second entry.
      const complex: SubjectIdentifier = {
        format: 'complex',
        user: { format: 'email', email: 'carol@example.com' },
        tenant: { format: 'opaque', id: 'tenant-1' },
      };
      const reordered = {
        tenant: { id: 'tenant-1', format: 'opaque' },
        format: 'complex',
        user: { email: 'CAROL@example.com', format: 'email' },
      } as SubjectIdentifier;
      await store.set('s2', complex, { included: true, verified: true });
      await store.set('s2', reordered, { included: true, verified: false });
      expect(await rows(knex, 's2')).toEqual([
        { subject: reordered, included: true, verified: false },
      ]);
      expect(await store.delete('s2', complex)).toBe(true);
      expect(await rows(knex, 's2')).toEqual([]);

      // Other identifiers are compared as they are: an opaque id's case
      // matters, so these are two subjects.
      await store.set(
        's3',
        { format: 'opaque', id: 'ABC' },
        { included: true, verified: true },
      );
      await store.set(
        's3',
        { format: 'opaque', id: 'abc' },
        { included: true, verified: true },
      );
      expect(await rows(knex, 's3')).toHaveLength(2);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'deletes an entry and says whether there was one on %p',
    async id => {
      const { knex, store } = await setup(id);
      await store.set('s1', alice, { included: true, verified: true });
      await store.set('s1', bob, { included: true, verified: true });
      await store.set('s2', alice, { included: true, verified: true });

      expect(
        await store.delete('s1', {
          format: 'email',
          email: 'ALICE@example.com',
        }),
      ).toBe(true);
      expect(await store.delete('s1', alice)).toBe(false);
      expect(
        await store.delete('s1', {
          format: 'email',
          email: 'nobody@example.com',
        }),
      ).toBe(false);
      expect(await rows(knex, 's1')).toEqual([
        { subject: bob, included: true, verified: true },
      ]);
      // The same subject on another stream is its own entry.
      expect(await rows(knex, 's2')).toEqual([
        { subject: alice, included: true, verified: true },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'lists the entries of several streams at once on %p',
    async id => {
      const { knex, store } = await setup(id);
      await store.set('s1', alice, { included: true, verified: true });
      await store.set('s2', alice, { included: false, verified: true });
      await store.set('s2', bob, { included: true, verified: false });
      await store.set('s3', bob, { included: true, verified: true });

      expect((await store.listByStream([])).size).toBe(0);

      const listed = await store.listByStream(['s1', 's2', 'unknown']);
      expect([...listed.keys()]).toEqual(['s1', 's2', 'unknown']);
      expect(listed.get('s1')).toEqual([{ subject: alice, included: true }]);
      expect(
        listed
          .get('s2')!
          .sort((a, b) =>
            JSON.stringify(a.subject).localeCompare(JSON.stringify(b.subject)),
          ),
      ).toEqual([
        { subject: alice, included: false },
        { subject: bob, included: true },
      ]);
      expect(listed.get('unknown')).toEqual([]);
      expect(listed.has('s3')).toBe(false);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    "works within the caller's transaction on %p",
    async id => {
      const { knex, store } = await setup(id);
      await store.set('s1', alice, { included: true, verified: true });
      await expect(
        knex.transaction(async tx => {
          await store.set('s1', bob, { included: true, verified: true }, tx);
          expect(await store.delete('s1', alice, tx)).toBe(true);
          // Seen inside the transaction…
          expect((await store.listByStream(['s1'], tx)).get('s1')).toEqual([
            { subject: bob, included: true },
          ]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      // …and gone with it.
      expect((await store.listByStream(['s1'])).get('s1')).toEqual([
        { subject: alice, included: true },
      ]);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'goes with its stream when the stream is deleted on %p',
    async id => {
      const { knex, store } = await setup(id);
      await store.set('s1', alice, { included: true, verified: true });
      await store.set('s2', bob, { included: true, verified: true });
      expect(await new StreamStore(knex).delete('s1')).toBe(true);
      expect(await rows(knex, 's1')).toEqual([]);
      expect(await rows(knex, 's2')).toHaveLength(1);
      await knex.destroy();
    },
  );
});
