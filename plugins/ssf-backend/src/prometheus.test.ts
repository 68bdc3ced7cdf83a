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
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { createServer } from 'node:net';
import { createTestDatabases } from './__testUtils__/databases';
import { startTestReceiver, waitFor } from './__testUtils__/receiver';
import { SESSION_REVOKED } from './__testUtils__/specUris';
import {
  createPushStream,
  emitEvent,
  startSsfBackend,
} from './__testUtils__/testBackend';
import {
  addProvider,
  push,
  receiverConfig,
} from './receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from './receiver/__testUtils__/testTransmitter';

jest.setTimeout(60_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** The value of one Prometheus sample whose labels include `labels`. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  let total: number | undefined;
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(m => [
        m[1],
        m[2],
      ]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) {
      total = (total ?? 0) + Number(match[3]);
    }
  }
  return total;
}

/**
 * The dev backend's setup (packages/backend/src/instrumentation.js): the
 * Prometheus exporter as the global MeterProvider's reader, scraped over
 * HTTP the way Prometheus does, with the plugin running on it.
 */
describe('Prometheus scrape of the SSF metrics', () => {
  const databases = createTestDatabases();
  let exporter: PrometheusExporter;
  let provider: MeterProvider;
  let scrapeUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    exporter = new PrometheusExporter({ host: '127.0.0.1', port });
    provider = new MeterProvider({ readers: [exporter] });
    metrics.setGlobalMeterProvider(provider);
    scrapeUrl = `http://127.0.0.1:${port}/metrics`;
  });
  afterAll(async () => {
    await provider.shutdown();
    metrics.disable();
  });

  it('shows one delivery and one ingestion, exactly', async () => {
    const receiver = await startTestReceiver();
    const transmitter = await TestTransmitter.start();
    try {
      const base = receiverConfig();
      const { server } = await startSsfBackend({
        databases,
        id: 'SQLITE_3',
        config: {
          ssf: {
            ...(base.ssf as object),
            transmitter: {
              delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
            },
          },
        },
      });
      const stream = (
        await createPushStream(server, 'client-a', receiver.url, [
          SESSION_REVOKED,
        ]).expect(201)
      ).body;
      const sep = await addProvider(server, transmitter);

      await emitEvent(server, {
        type: SESSION_REVOKED,
        subject: { format: 'email', email: 'alice@example.com' },
      }).expect(202);
      expect((await push(server, await transmitter.sign())).status).toBe(202);

      const scrape = async () => {
        const res = await fetch(scrapeUrl);
        expect(res.status).toBe(200);
        return res.text();
      };
      const delivered = {
        stream_id: stream.stream_id,
        outcome: 'delivered',
      };
      // waitFor resolves only with a truthy value: the scraped text.
      const text = (await waitFor(
        async () => {
          const body = await scrape();
          return sample(body, 'ssf_transmitter_sets_pushed_total', delivered)
            ? body
            : undefined;
        },
        10_000,
        'the delivery in the scrape',
      )) as string;
      expect(sample(text, 'ssf_transmitter_sets_pushed_total', delivered)).toBe(
        1,
      );
      expect(
        sample(text, 'ssf_transmitter_sets_emitted_total', {
          event_type: SESSION_REVOKED,
        }),
      ).toBe(1);
      expect(
        sample(text, 'ssf_receiver_sets_received_total', {
          provider_id: sep.id,
          outcome: 'accepted',
        }),
      ).toBe(1);
      expect(
        sample(text, 'ssf_receiver_sets_received_total', {
          provider_id: sep.id,
        }),
      ).toBe(1);
      expect(
        sample(text, 'ssf_transmitter_sets_push_latency_count', {
          stream_id: stream.stream_id,
        }),
      ).toBe(1);
      // The buckets the histogram advises, from 5 ms.
      expect(
        sample(text, 'ssf_transmitter_sets_push_latency_bucket', {
          stream_id: stream.stream_id,
          le: '0.005',
        }),
      ).toBeDefined();
      // The scope Backstage's MetricsService gives the plugin.
      expect(text).toMatch(/otel_scope_name="backstage-plugin-ssf"/);
      expect(sample(text, 'ssf_transmitter_outbox_sets', {})).toBeDefined();
    } finally {
      await receiver.close();
      await transmitter.close();
    }
  });
});
