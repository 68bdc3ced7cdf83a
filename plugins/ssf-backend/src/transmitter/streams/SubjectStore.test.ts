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

import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import {
  createTestDatabases,
  itOnEachDatabaseWith,
} from '../../__testUtils__/databases';
import { insertStreams, testStream } from '../__testUtils__/streamRecords';
import { StreamStore } from './StreamStore';
import { SubjectStore } from './SubjectStore';

jest.setTimeout(60_000);

const alice: SubjectIdentifier = {
  format: 'email',
  email: 'alice@example.com',
};
const bob: SubjectIdentifier = { format: 'email', email: 'bob@example.com' };
/** How subjects:add with `verified: true` records a subject. */
const ADDED = { included: true, verified: true };

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

/** Listed entries in a fixed order, as the store promises none. */
const bySubject = <T extends { subject: SubjectIdentifier }>(entries: T[]) =>
  [...entries].sort((a, b) =>
    JSON.stringify(a.subject).localeCompare(JSON.stringify(b.subject)),
  );

describe('SubjectStore', () => {
  const databases = createTestDatabases();

  /** A test of the subject store on streams s1…s3, once on each database. */
  const itWithStore = itOnEachDatabaseWith(databases, async knex => {
    await insertStreams(
      knex,
      ['s1', 's2', 's3'].map(id => testStream(id)),
    );
    return { knex, store: new SubjectStore(knex) };
  });

  itWithStore(
    'records a subject and updates it in place',
    async ({ knex, store }) => {
      await store.set('s1', alice, ADDED);
      expect(await rows(knex, 's1')).toEqual([{ subject: alice, ...ADDED }]);

      // subjects:remove after subjects:add: the same row flips.
      for (const flags of [
        { included: false, verified: false },
        { included: true, verified: false },
      ]) {
        await store.set('s1', alice, flags);
        expect(await rows(knex, 's1')).toEqual([{ subject: alice, ...flags }]);
      }

      await store.set('s1', bob, { included: false, verified: true });
      const listed = (await store.listByStream(['s1'])).get('s1')!;
      expect(bySubject(listed)).toEqual([
        { subject: alice, included: true },
        { subject: bob, included: false },
      ]);
    },
  );

  itWithStore(
    'keys entries by the canonical subject',
    async ({ knex, store }) => {
      // subjectMatching.canonicalSubject lower-cases email addresses…
      await store.set(
        's1',
        { format: 'email', email: 'Alice@Example.COM' },
        ADDED,
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
      await store.set('s2', complex, ADDED);
      await store.set('s2', reordered, { included: true, verified: false });
      expect(await rows(knex, 's2')).toEqual([
        { subject: reordered, included: true, verified: false },
      ]);
      expect(await store.delete('s2', complex)).toBe(true);
      expect(await rows(knex, 's2')).toEqual([]);

      // Other identifiers are compared as they are: an opaque id's case
      // matters, so these are two subjects.
      await store.set('s3', { format: 'opaque', id: 'ABC' }, ADDED);
      await store.set('s3', { format: 'opaque', id: 'abc' }, ADDED);
      expect(await rows(knex, 's3')).toHaveLength(2);
    },
  );

  itWithStore(
    'deletes an entry and says whether there was one',
    async ({ knex, store }) => {
      await store.set('s1', alice, ADDED);
      await store.set('s1', bob, ADDED);
      await store.set('s2', alice, ADDED);
      const email = (address: string): SubjectIdentifier => ({
        format: 'email',
        email: address,
      });

      expect(await store.delete('s1', email('ALICE@example.com'))).toBe(true);
      expect(await store.delete('s1', alice)).toBe(false);
      expect(await store.delete('s1', email('nobody@example.com'))).toBe(false);
      expect(await rows(knex, 's1')).toEqual([{ subject: bob, ...ADDED }]);
      // The same subject on another stream is its own entry.
      expect(await rows(knex, 's2')).toEqual([{ subject: alice, ...ADDED }]);
    },
  );

  itWithStore(
    'lists the entries of several streams at once',
    async ({ store }) => {
      await store.set('s1', alice, ADDED);
      await store.set('s2', alice, { included: false, verified: true });
      await store.set('s2', bob, { included: true, verified: false });
      await store.set('s3', bob, ADDED);

      expect((await store.listByStream([])).size).toBe(0);

      const listed = await store.listByStream(['s1', 's2', 'unknown']);
      expect([...listed.keys()]).toEqual(['s1', 's2', 'unknown']);
      expect(listed.get('s1')).toEqual([{ subject: alice, included: true }]);
      expect(bySubject(listed.get('s2')!)).toEqual([
        { subject: alice, included: false },
        { subject: bob, included: true },
      ]);
      expect(listed.get('unknown')).toEqual([]);
      expect(listed.has('s3')).toBe(false);
    },
  );

  itWithStore(
    "works within the caller's transaction",
    async ({ knex, store }) => {
      await store.set('s1', alice, ADDED);
      await expect(
        knex.transaction(async tx => {
          await store.set('s1', bob, ADDED, tx);
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
    },
  );

  itWithStore(
    'goes with its stream when the stream is deleted',
    async ({ knex, store }) => {
      await store.set('s1', alice, ADDED);
      await store.set('s2', bob, ADDED);
      expect(await new StreamStore(knex).delete('s1')).toBe(true);
      expect(await rows(knex, 's1')).toEqual([]);
      expect(await rows(knex, 's2')).toHaveLength(1);
    },
  );
});
