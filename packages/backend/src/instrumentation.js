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

// OpenTelemetry for the dev backend, as Backstage's "Setup OpenTelemetry"
// tutorial does it: loaded with `node --require` (the start script passes
// `--require ./src/instrumentation.js`) so that the global MeterProvider
// exists before any plugin asks Backstage's MetricsService for a meter.
// Metrics are served for Prometheus at http://localhost:9464/metrics
// (OTEL_EXPORTER_PROMETHEUS_HOST / _PORT move it). Traces and logs are not
// exported unless OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER ask for it:
// the SDK would otherwise send them to an OTLP collector nobody runs here.

// The CLI's backend runner starts worker threads; set up the SDK once.
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';

  const { NodeSDK } = require('@opentelemetry/sdk-node');
  const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

  const port = Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT) || undefined;
  const prometheus = new PrometheusExporter({
    host: process.env.OTEL_EXPORTER_PROMETHEUS_HOST || undefined,
    port,
  });
  const sdk = new NodeSDK({
    serviceName: 'backstage',
    metricReaders: [prometheus],
  });
  sdk.start();

  process.once('beforeExit', () => {
    sdk.shutdown().catch(() => {});
  });
}
