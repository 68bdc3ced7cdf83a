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
} from '@backstage/backend-plugin-api/alpha';
import { SafeMetricsRecorder } from '../metrics/SafeMetricsRecorder';
import { RunResult } from './identities/RunStore';

/** How a reconciliation ended. @internal */
export type ReconciliationOutcome = 'completed' | 'held_back' | 'failed';

// A few users take milliseconds, 100,000 take minutes.
const DURATION_BUCKETS_S = [
  0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800,
];

/**
 * The identity hooks' instruments, made once from the plugin's
 * MetricsService. Every method swallows what the instruments throw: a
 * metric must never fail a reconciliation.
 *
 * @internal
 */
export class IdentityHooksMetrics {
  readonly #runs: MetricsServiceCounter<{
    source: string;
    outcome: ReconciliationOutcome;
  }>;
  readonly #duration: MetricsServiceHistogram<{
    source: string;
    outcome: ReconciliationOutcome;
  }>;
  readonly #changes: MetricsServiceCounter<{
    source: string;
    kind: 'added' | 'changed' | 'removed';
  }>;
  readonly #events: MetricsServiceCounter<{ source: string }>;
  readonly #recorder: SafeMetricsRecorder;

  constructor(metrics: MetricsService, logger?: LoggerService) {
    this.#recorder = new SafeMetricsRecorder(
      'SSF identity hooks metrics',
      logger,
    );
    this.#runs = metrics.createCounter('ssf.identity_hooks.reconciliations', {
      description:
        'Reconciliation runs by outcome: completed, held_back (too many users vanished; removals not sent) or failed',
      unit: '{run}',
    });
    this.#duration = metrics.createHistogram(
      'ssf.identity_hooks.reconciliation.duration',
      {
        description: 'How long a reconciliation run took',
        unit: 's',
        advice: { explicitBucketBoundaries: DURATION_BUCKETS_S },
      },
    );
    this.#changes = metrics.createCounter(
      'ssf.identity_hooks.reconciliation.changes',
      {
        description:
          'Identity changes reconciliation found (users added, changed, removed); the first run records a baseline and finds none',
        unit: '{change}',
      },
    );
    this.#events = metrics.createCounter(
      'ssf.identity_hooks.reconciliation.events',
      {
        description:
          'Events the hooks emitted for the changes reconciliation found',
        unit: '{event}',
      },
    );
  }

  /** A run ended: with its result, or failed (no result). */
  reconciled(source: string, durationMs: number, result?: RunResult) {
    this.#recorder.record(() => {
      let outcome: ReconciliationOutcome = 'completed';
      if (!result) outcome = 'failed';
      else if (result.removalsHeldBack) outcome = 'held_back';
      this.#runs.add(1, { source, outcome });
      this.#duration.record(durationMs / 1000, { source, outcome });
      if (!result || result.firstRun) return;
      for (const kind of ['added', 'changed', 'removed'] as const) {
        if (result[kind] > 0) this.#changes.add(result[kind], { source, kind });
      }
      if (result.events > 0) this.#events.add(result.events, { source });
    });
  }
}
