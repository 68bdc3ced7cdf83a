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

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

jest.setTimeout(30_000);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

// What a plugin does through Backstage's MetricsService: a counter on the
// global MeterProvider's meter, scoped as the default service scopes it.
const CHILD = `
const { metrics } = require('@opentelemetry/api');
metrics
  .getMeter('backstage-plugin-ssf')
  .createCounter('ssf.transmitter.sets.emitted', { unit: '{set}' })
  .add(3, { event_type: 'session-revoked' });
console.log('recorded');
setTimeout(() => {}, 20000);
`;

describe('instrumentation.js', () => {
  it('serves what plugins record for Prometheus on OTEL_EXPORTER_PROMETHEUS_PORT', async () => {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      ['--require', './src/instrumentation.js', '-e', CHILD],
      {
        cwd: path.resolve(__dirname, '..'),
        env: {
          ...process.env,
          OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
          OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', d => {
          if (String(d).includes('recorded')) resolve();
        });
        child.on('exit', code => reject(new Error(`child exited ${code}`)));
      });
      let text = '';
      for (let i = 0; i < 50 && !text; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/metrics`);
          text = await res.text();
        } catch {
          await new Promise(r => setTimeout(r, 100));
        }
      }
      expect(text).toMatch(
        /^ssf_transmitter_sets_emitted_total\{event_type="session-revoked",otel_scope_name="backstage-plugin-ssf"\} 3$/m,
      );
      // The resource names the service as instrumentation.js does.
      expect(text).toMatch(/service_name="backstage"/);
    } finally {
      child.kill();
    }
  });
});
