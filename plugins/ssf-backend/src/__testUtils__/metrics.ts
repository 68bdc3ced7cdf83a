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

import { metrics } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
} from '@opentelemetry/sdk-metrics';

/** The meter scope Backstage's MetricsService gives the plugin. */
export const SSF_METER_SCOPE = 'backstage-plugin-ssf';

class CollectingReader extends MetricReader {
  protected async onShutdown() {}
  protected async onForceFlush() {}
}

/**
 * Registers a real OpenTelemetry MeterProvider as the global one, which
 * Backstage's default MetricsService (the one startTestBackend installs)
 * takes its meter from; without it the service records into the API's
 * no-op meter. Call at module load, before any backend starts: the service
 * asks for its meter once, when the plugin is set up. Jest gives each test
 * file its own globals, so each file registers its own.
 */
export function installTestMeterProvider() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({ readers: [reader] });
  if (!metrics.setGlobalMeterProvider(provider)) {
    throw new Error('A global MeterProvider was already registered');
  }

  /** The SSF scope's data points of one instrument, collected now. */
  async function points(name: string) {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length) throw errors[0];
    return resourceMetrics.scopeMetrics
      .filter(s => s.scope.name === SSF_METER_SCOPE)
      .flatMap(s => s.metrics)
      .filter(m => m.descriptor.name === name)
      .flatMap(m =>
        m.dataPoints.map(p => ({
          type: m.dataPointType,
          unit: m.descriptor.unit,
          attributes: p.attributes,
          value: p.value,
        })),
      );
  }

  const matches = (
    attributes: Record<string, unknown>,
    wanted: Record<string, unknown>,
  ) => Object.entries(wanted).every(([k, v]) => attributes[k] === v);

  return {
    provider,
    points,
    /**
     * A counter's total (or a histogram's count, or a gauge's value) over
     * the data points whose attributes include `attributes`.
     */
    async value(name: string, attributes: Record<string, unknown> = {}) {
      let total = 0;
      for (const p of await points(name)) {
        if (!matches(p.attributes, attributes)) continue;
        if (p.type === DataPointType.HISTOGRAM) {
          total += (p.value as { count: number }).count;
        } else {
          total += p.value as number;
        }
      }
      return total;
    },
    /** A histogram's recorded values summed, over matching data points. */
    async histogramSum(name: string, attributes: Record<string, unknown>) {
      let sum = 0;
      for (const p of await points(name)) {
        if (p.type !== DataPointType.HISTOGRAM) continue;
        if (!matches(p.attributes, attributes)) continue;
        sum += (p.value as { sum: number }).sum;
      }
      return sum;
    },
    async shutdown() {
      await provider.shutdown();
      metrics.disable();
    },
  };
}
