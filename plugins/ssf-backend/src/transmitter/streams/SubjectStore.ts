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
import { StreamSubjectEntry, subjectKey } from './subjectMatching';

const TABLE = 'ssf_stream_subjects';

/** Subjects explicitly added to or removed from streams. @internal */
export class SubjectStore {
  readonly #knex: Knex;

  constructor(knex: Knex) {
    this.#knex = knex;
  }

  /** Records a subject as included in or excluded from a stream (upsert). */
  async set(
    streamId: string,
    subject: SubjectIdentifier,
    options: { included: boolean; verified: boolean },
    tx?: Knex.Transaction,
  ): Promise<void> {
    await (tx ?? this.#knex)(TABLE)
      .insert({
        stream_id: streamId,
        subject_key: subjectKey(subject),
        subject_json: JSON.stringify(subject),
        included: options.included,
        verified: options.verified,
        created_at: new Date(),
      })
      .onConflict(['stream_id', 'subject_key'])
      .merge(['included', 'verified', 'subject_json']);
  }

  /** Forgets a subject entry; returns whether there was one. */
  async delete(
    streamId: string,
    subject: SubjectIdentifier,
    tx?: Knex.Transaction,
  ): Promise<boolean> {
    const n = await (tx ?? this.#knex)(TABLE)
      .where({ stream_id: streamId, subject_key: subjectKey(subject) })
      .delete();
    return n > 0;
  }

  /** Every entry of the given streams, by stream. */
  async listByStream(
    streamIds: string[],
    tx?: Knex.Transaction,
  ): Promise<Map<string, StreamSubjectEntry[]>> {
    const result = new Map<string, StreamSubjectEntry[]>(
      streamIds.map(id => [id, []]),
    );
    if (streamIds.length === 0) {
      return result;
    }
    const rows = await (tx ?? this.#knex)(TABLE)
      .whereIn('stream_id', streamIds)
      .select('stream_id', 'subject_json', 'included');
    for (const row of rows) {
      result.get(row.stream_id)!.push({
        subject: JSON.parse(row.subject_json),
        included: Boolean(row.included),
      });
    }
    return result;
  }
}
