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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  MetricsService,
  MetricsServiceCounter,
  MetricsServiceHistogram,
  MetricsServiceObservableGauge,
} from '@backstage/backend-plugin-api/alpha';
import { SafeMetricsRecorder } from '../metrics/SafeMetricsRecorder';
import { OutboxState } from './delivery/OutboxStore';

/** How a push ended, as `ssf.transmitter.sets.pushed` names it. @internal */
export type PushMetricOutcome = 'delivered' | 'retried' | 'dead_lettered';

/** Why pending SETs were dropped. @internal */
export type DropReason = 'stream_disabled' | 'hold_limit' | 'hold_age';

// Emit to answer spans milliseconds for a local receiver and hours for a
// retried one, so the buckets run from 5 ms to an hour.
const LATENCY_BUCKETS_S = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
  3600,
];

/**
 * The transmitter's instruments, made once from the plugin's MetricsService
 * (whose meter is scoped `backstage-plugin-ssf`). Every method swallows
 * what the instruments throw: a metric must never fail a delivery.
 *
 * @internal
 */
export class TransmitterMetrics {
  readonly #emitted: MetricsServiceCounter<{ event_type: string }>;
  readonly #pushed: MetricsServiceCounter<{
    stream_id: string;
    outcome: PushMetricOutcome;
  }>;
  readonly #latency: MetricsServiceHistogram<{
    stream_id: string;
    outcome: PushMetricOutcome;
  }>;
  readonly #dropped: MetricsServiceCounter<{
    stream_id?: string;
    reason: DropReason;
  }>;
  readonly #polled: MetricsServiceCounter<{ stream_id: string }>;
  readonly #acknowledged: MetricsServiceCounter<{
    stream_id: string;
    outcome: 'delivered' | 'dead_lettered';
  }>;
  readonly #outboxDepth: MetricsServiceObservableGauge<{ state: OutboxState }>;
  readonly #recorder: SafeMetricsRecorder;

  constructor(metrics: MetricsService, logger?: LoggerService) {
    this.#recorder = new SafeMetricsRecorder('SSF transmitter metrics', logger);
    this.#emitted = metrics.createCounter('ssf.transmitter.sets.emitted', {
      description:
        'SETs stored in the outbox for delivery, one per stream an event went to',
      unit: '{set}',
    });
    this.#pushed = metrics.createCounter('ssf.transmitter.sets.pushed', {
      description:
        'Push deliveries (RFC 8935) by how the receiver answered: delivered, retried later, or dead-lettered',
      unit: '{set}',
    });
    this.#latency = metrics.createHistogram(
      'ssf.transmitter.sets.push.latency',
      {
        description:
          "Time from a SET's emit (its outbox row) to the receiver's answer to a push of it",
        unit: 's',
        advice: { explicitBucketBoundaries: LATENCY_BUCKETS_S },
      },
    );
    this.#dropped = metrics.createCounter('ssf.transmitter.sets.dropped', {
      description:
        'Pending SETs dropped undelivered: the stream was disabled, or a paused stream held too many or too old',
      unit: '{set}',
    });
    this.#polled = metrics.createCounter('ssf.transmitter.sets.polled', {
      description: 'SETs handed out to poll receivers (RFC 8936)',
      unit: '{set}',
    });
    this.#acknowledged = metrics.createCounter(
      'ssf.transmitter.sets.acknowledged',
      {
        description:
          'SETs a poll receiver acknowledged (delivered) or reported an error for (dead_lettered)',
        unit: '{set}',
      },
    );
    this.#outboxDepth = metrics.createObservableGauge(
      'ssf.transmitter.outbox.sets',
      {
        description:
          'SETs in the outbox by state, read from the shared database (every replica reports the same figures)',
        unit: '{set}',
      },
    );
  }

  /** SETs committed to the outbox. */
  emitted(sets: Array<{ eventType: string }>) {
    this.#recorder.record(() => {
      const byType = new Map<string, number>();
      for (const set of sets) {
        byType.set(set.eventType, (byType.get(set.eventType) ?? 0) + 1);
      }
      for (const [eventType, n] of byType) {
        this.#emitted.add(n, { event_type: eventType });
      }
    });
  }

  /** A receiver answered a push (or it failed) for a SET emitted at `createdAt`. */
  pushed(
    streamId: string,
    outcome: PushMetricOutcome,
    createdAt: Date,
    answeredAt: Date,
  ) {
    this.#recorder.record(() => {
      const attributes = { stream_id: streamId, outcome };
      this.#pushed.add(1, attributes);
      this.#latency.record(
        Math.max(0, (answeredAt.getTime() - createdAt.getTime()) / 1000),
        attributes,
      );
    });
  }

  /** Pending SETs dropped; `streamId` is absent when a sweep covered several. */
  dropped(count: number, reason: DropReason, streamId?: string) {
    if (count <= 0) return;
    this.#recorder.record(() =>
      this.#dropped.add(count, {
        reason,
        ...(streamId !== undefined && { stream_id: streamId }),
      }),
    );
  }

  /** SETs handed out by one poll. */
  polled(streamId: string, count: number) {
    if (count <= 0) return;
    this.#recorder.record(() =>
      this.#polled.add(count, { stream_id: streamId }),
    );
  }

  /** What one poll settled: SETs acknowledged and SETs reported as errors. */
  acknowledged(streamId: string, delivered: number, deadLettered: number) {
    this.#recorder.record(() => {
      if (delivered > 0) {
        this.#acknowledged.add(delivered, {
          stream_id: streamId,
          outcome: 'delivered',
        });
      }
      if (deadLettered > 0) {
        this.#acknowledged.add(deadLettered, {
          stream_id: streamId,
          outcome: 'dead_lettered',
        });
      }
    });
  }

  /**
   * Reports the outbox depth from `count` (one GROUP BY query) at each
   * collection; returns the function that stops it (backend shutdown). A
   * failed query reports nothing for that collection.
   */
  observeOutbox(count: () => Promise<Record<OutboxState, number>>): () => void {
    const callback = async (result: {
      observe(value: number, attributes: { state: OutboxState }): void;
    }) => {
      try {
        const counts = await count();
        for (const [state, n] of Object.entries(counts)) {
          result.observe(n, { state: state as OutboxState });
        }
      } catch (error) {
        this.#recorder.failed(error);
      }
    };
    this.#outboxDepth.addCallback(callback);
    return () => this.#outboxDepth.removeCallback(callback);
  }
}
