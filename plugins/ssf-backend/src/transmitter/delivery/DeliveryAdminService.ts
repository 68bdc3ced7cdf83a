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

import type { SsfAdminComponents } from '@shared-signals/plugin-ssf-common';
import { OutboxState, OutboxStore } from './OutboxStore';
import { PollService } from './PollService';
import { StreamStore } from '../streams/StreamStore';
import { StreamService } from '../streams/StreamService';

// The views are typed from the written contract (src/schema/admin.yaml, via
// the types ssf-common generates from it), so a view that drifts from the
// document fails the type-check.
type AdminStream = SsfAdminComponents['schemas']['AdminStream'];
type AdminSet = SsfAdminComponents['schemas']['AdminSet'];

/** Which page of a stream's SETs the admin view asks for. @internal */
export interface SetsQuery {
  streamId: string;
  state?: OutboxState;
  limit: number;
  offset: number;
}

/**
 * What the admin pages show about delivery: every stream with its delivery
 * counts, last error and last verification, a stream's SETs page by page, and
 * redelivery. Portal-admin only; the router has checked the caller.
 *
 * @internal
 */
export class DeliveryAdminService {
  readonly #streams: StreamService;
  readonly #streamStore: StreamStore;
  readonly #outbox: OutboxStore;
  readonly #poll: PollService;
  readonly #wake: () => void;

  constructor(options: {
    streams: StreamService;
    streamStore: StreamStore;
    outbox: OutboxStore;
    poll: PollService;
    /** Wakes the local push worker after a change that may have made work due. */
    wake: () => void;
  }) {
    this.#streams = options.streams;
    this.#streamStore = options.streamStore;
    this.#outbox = options.outbox;
    this.#poll = options.poll;
    this.#wake = options.wake;
  }

  /** Every stream as the admin page lists it; three queries whatever the count. */
  async listStreams(): Promise<AdminStream[]> {
    const records = await this.#streamStore.list();
    const stats = await this.#outbox.stats(records.map(r => r.streamId));
    const verificationSets = await this.#outbox.getMany(
      records.flatMap(r => (r.verification ? [r.verification.jti] : [])),
    );
    return records.map(record => {
      const s = stats.get(record.streamId)!;
      const verification = record.verification;
      const verificationSet = verification
        ? verificationSets.get(verification.jti)
        : undefined;
      // A paused stream's pending SETs wait for it to resume: shown as held.
      const paused = record.status === 'paused';
      return {
        ...this.#streams.toConfiguration(record),
        client_id: record.clientId,
        status: record.status,
        ...(record.statusReason !== undefined && {
          reason: record.statusReason,
        }),
        created_at: record.createdAt.toISOString(),
        updated_at: record.updatedAt.toISOString(),
        stats: {
          pending: paused ? 0 : s.pending,
          held: paused ? s.pending : 0,
          delivered: s.delivered,
          dead: s.dead,
          dropped: s.dropped,
        },
        ...(s.lastError && {
          last_error: {
            message: s.lastError.message,
            at: s.lastError.at.toISOString(),
          },
        }),
        ...(s.lastDeliveredAt && {
          last_delivered_at: s.lastDeliveredAt.toISOString(),
        }),
        ...(verification && {
          last_verification: {
            ...(verification.state !== undefined && {
              state: verification.state,
            }),
            requested_at: verification.requestedAt.toISOString(),
            status: verificationSet?.state ?? 'unknown',
            ...(verificationSet?.deliveredAt && {
              delivered_at: verificationSet.deliveredAt.toISOString(),
            }),
            ...(verificationSet?.state === 'dead' && {
              error: verificationSet.lastError,
            }),
          },
        }),
      };
    });
  }

  /** One page of a stream's SETs, newest first, with the signed SET. */
  async listSets(
    query: SetsQuery,
  ): Promise<{ total: number; items: AdminSet[] }> {
    const page = await this.#outbox.list(query);
    return {
      total: page.total,
      items: page.items.map(e => ({
        jti: e.jti,
        event_type: e.eventType,
        txn: e.txn,
        state: e.state,
        attempts: e.attempts,
        created_at: e.createdAt.toISOString(),
        ...(e.deliveredAt && { delivered_at: e.deliveredAt.toISOString() }),
        ...(e.lastError && { last_error: e.lastError }),
        set: e.setJws,
      })),
    };
  }

  /**
   * Puts a stream's dead-lettered SETs (or the one named) back in line, and
   * tells push and poll delivery there is work. Answers how many.
   */
  async redeliver(streamId: string, jti?: string): Promise<number> {
    const redelivered = await this.#outbox.redeliver(streamId, jti, new Date());
    this.#wake();
    this.#poll.notify([streamId]);
    return redelivered;
  }
}
