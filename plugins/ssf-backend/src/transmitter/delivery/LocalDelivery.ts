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

import { StreamRecord } from '../streams/StreamStore';
import { ClaimedSet } from './OutboxStore';

/**
 * The hand-over from an emitting instance to its own delivery worker, which
 * saves each pushed SET a claim (an UPDATE of its outbox row, and on
 * PostgreSQL a row lock): the emitter stores the SETs the local worker has
 * room for already leased to it, and gives them to the worker once the
 * transaction commits. Other replicas skip them as they skip any leased row;
 * if this instance dies first, the lease runs out and any replica claims
 * them as usual.
 *
 * The worker only takes what it can push well within the lease (the same
 * bound its own claims keep to), so a hand-over never outlives its lease.
 *
 * @internal
 */
export interface LocalDelivery {
  /** The lease owner the worker claims as. */
  readonly owner: string;
  /** How long a lease lasts. */
  readonly leaseDurationMs: number;
  /**
   * Reserves room for up to `count` new SETs of a stream and says how many
   * the worker takes (0 when it is stopped or the stream is not pushed to).
   */
  reserve(stream: StreamRecord, count: number): number;
  /** Hands over reserved SETs whose rows have been committed, leased. */
  accept(streamId: string, sets: ClaimedSet[]): void;
  /** Gives back reservations whose transaction did not commit. */
  cancel(streamId: string, count: number): void;
}
