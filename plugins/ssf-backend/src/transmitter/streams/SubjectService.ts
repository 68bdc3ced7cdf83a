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
import { StreamCaller, StreamService } from './StreamService';
import { StreamStore } from './StreamStore';
import { SubjectStore } from './SubjectStore';

/**
 * Adds and removes a stream's subjects (SSF 1.0 §8.1.3), checking in the same
 * transaction that the caller may see the stream.
 *
 * @internal
 */
export class SubjectService {
  readonly #streams: StreamService;
  readonly #streamStore: StreamStore;
  readonly #subjects: SubjectStore;
  readonly #defaultSubjects: 'ALL' | 'NONE';

  constructor(options: {
    streams: StreamService;
    streamStore: StreamStore;
    subjects: SubjectStore;
    defaultSubjects: 'ALL' | 'NONE';
  }) {
    this.#streams = options.streams;
    this.#streamStore = options.streamStore;
    this.#subjects = options.subjects;
    this.#defaultSubjects = options.defaultSubjects;
  }

  async add(
    caller: StreamCaller,
    streamId: string,
    subject: SubjectIdentifier,
    verified = true,
  ): Promise<void> {
    await this.#inVisibleStream(caller, streamId, tx =>
      this.#subjects.set(streamId, subject, { included: true, verified }, tx),
    );
  }

  async remove(
    caller: StreamCaller,
    streamId: string,
    subject: SubjectIdentifier,
    verified = true,
  ): Promise<void> {
    await this.#inVisibleStream(caller, streamId, async tx => {
      if (this.#defaultSubjects === 'ALL') {
        // Everything is included by default, so removal is remembered.
        await this.#subjects.set(
          streamId,
          subject,
          { included: false, verified },
          tx,
        );
      } else {
        await this.#subjects.delete(streamId, subject, tx);
      }
    });
  }

  /** Runs `change` in a transaction that first checks the caller may see the stream. */
  async #inVisibleStream(
    caller: StreamCaller,
    streamId: string,
    change: (tx: Knex.Transaction) => Promise<void>,
  ): Promise<void> {
    await this.#streamStore.transaction(async tx => {
      await this.#streams.getRecord(caller, streamId, tx);
      await change(tx);
    });
  }
}
