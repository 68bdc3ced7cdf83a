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
} from '@backstage/backend-plugin-api/alpha';
import { SafeMetricsRecorder } from '../metrics/SafeMetricsRecorder';

/**
 * The provider attribute of a SET whose provider is not known: no provider
 * has its issuer, or it was refused before its issuer was read.
 *
 * @internal
 */
export const UNKNOWN_PROVIDER = 'unknown';

/**
 * The receiver's instruments, made once from the plugin's MetricsService.
 * Every method swallows what the instruments throw: a metric must never
 * fail an ingestion.
 *
 * @internal
 */
export class ReceiverMetrics {
  readonly #received: MetricsServiceCounter<{
    provider_id: string;
    outcome: string;
    delivery_method: 'push' | 'poll';
  }>;
  readonly #keyFetches: MetricsServiceCounter<{
    provider_id: string;
    outcome: 'success' | 'failure';
  }>;
  readonly #recorder: SafeMetricsRecorder;

  constructor(metrics: MetricsService, logger?: LoggerService) {
    this.#recorder = new SafeMetricsRecorder('SSF receiver metrics', logger);
    this.#received = metrics.createCounter('ssf.receiver.sets.received', {
      description:
        'SETs received, by the answer given: accepted, or the RFC 8935 err code (or another refusal such as rate_limited)',
      unit: '{set}',
    });
    this.#keyFetches = metrics.createCounter('ssf.receiver.keys.fetches', {
      description:
        "Fetches of a provider's key set (JWKS), by whether they gave usable keys",
      unit: '{fetch}',
    });
  }

  /**
   * A SET was answered. `outcome` is `accepted` or what the refusal said
   * (an RFC 8935 `err` code, `temporarily_unavailable`, `rate_limited`).
   */
  received(
    providerId: string | undefined,
    outcome: string,
    deliveryMethod: 'push' | 'poll',
  ) {
    this.#recorder.record(() =>
      this.#received.add(1, {
        provider_id: providerId ?? UNKNOWN_PROVIDER,
        outcome,
        delivery_method: deliveryMethod,
      }),
    );
  }

  /** A key set fetch settled. */
  keyFetch(providerId: string, ok: boolean) {
    this.#recorder.record(() =>
      this.#keyFetches.add(1, {
        provider_id: providerId,
        outcome: ok ? 'success' : 'failure',
      }),
    );
  }
}
