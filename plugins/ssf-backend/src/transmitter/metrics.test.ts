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

import { describeOnEachDatabase } from '../__testUtils__/databases';
import { installTestMeterProvider } from '../__testUtils__/metrics';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import { CREDENTIAL_CHANGE, SESSION_REVOKED } from '../__testUtils__/specUris';
import { clientAuth } from '../__testUtils__/testBackend';
import { pushStream } from './__testUtils__/transmitterApi';
import { startPushTransmitter } from './__testUtils__/transmitterBackend';

// Before any backend: the plugin's MetricsService takes its meter at setup.
const meter = installTestMeterProvider();

jest.setTimeout(60_000);

const A = clientAuth('client-a');

/** Waits until the instrument's value over `attributes` reaches `expected`. */
async function waitForValue(
  name: string,
  attributes: Record<string, unknown>,
  expected: number,
) {
  await waitFor(
    async () => (await meter.value(name, attributes)) >= expected,
    10_000,
    `${name} ${JSON.stringify(attributes)} to reach ${expected}`,
  );
  // Exactly: nothing more than the test caused.
  expect(await meter.value(name, attributes)).toBe(expected);
}

/** The outbox gauge: the SETs in `state` in this backend's outbox. */
const outboxSets = (state: string) =>
  meter.value('ssf.transmitter.outbox.sets', { state });

afterAll(() => meter.shutdown());

describeOnEachDatabase('transmitter metrics', (databases, id) => {
  let receiver: Awaited<ReturnType<typeof startTestReceiver>>;
  let stop: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    receiver = await startTestReceiver();
  });
  afterEach(async () => {
    // Stopped here rather than after the file, so that only this test's
    // backend reports the outbox gauge.
    await stop?.();
    stop = undefined;
    await receiver.close();
  });

  async function setUp() {
    const started = await startPushTransmitter({ databases, id });
    stop = () => started.backend.stop();
    const { api } = started;
    const emit = (type: string, email: string) =>
      api.emit({
        type,
        subject: { format: 'email', email },
        payload:
          type === CREDENTIAL_CHANGE
            ? { credential_type: 'password', change_type: 'update' }
            : {},
      });
    const createStream = async (body: object = {}) => {
      const res = await api.createStream(A, {
        ...pushStream(receiver.url),
        events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        ...body,
      });
      expect(res.status).toBe(201);
      return res.body as { stream_id: string; delivery: any };
    };
    return { ...started, emit, createStream };
  }

  it('counts SETs emitted by event type, delivered pushes, their latency and the outbox depth', async () => {
    const { emit, createStream } = await setUp();
    const stream = await createStream();
    const emittedBefore = await meter.value('ssf.transmitter.sets.emitted', {
      event_type: SESSION_REVOKED,
    });
    const otherBefore = await meter.value('ssf.transmitter.sets.emitted', {
      event_type: CREDENTIAL_CHANGE,
    });

    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) {
      expect((await emit(SESSION_REVOKED, email)).status).toBe(202);
    }
    expect((await emit(CREDENTIAL_CHANGE, 'd@example.com')).status).toBe(202);

    expect(
      await meter.value('ssf.transmitter.sets.emitted', {
        event_type: SESSION_REVOKED,
      }),
    ).toBe(emittedBefore + 3);
    expect(
      await meter.value('ssf.transmitter.sets.emitted', {
        event_type: CREDENTIAL_CHANGE,
      }),
    ).toBe(otherBefore + 1);

    const pushed = { stream_id: stream.stream_id, outcome: 'delivered' };
    await waitForValue('ssf.transmitter.sets.pushed', pushed, 4);
    expect(receiver.received).toHaveLength(4);
    expect(
      await meter.value('ssf.transmitter.sets.pushed', {
        stream_id: stream.stream_id,
      }),
    ).toBe(4);
    // One latency per answer, each from the SET's emit: positive, and
    // below the time the whole test has taken.
    expect(await meter.value('ssf.transmitter.sets.push.latency', pushed)).toBe(
      4,
    );
    const latency = await meter.histogramSum(
      'ssf.transmitter.sets.push.latency',
      pushed,
    );
    expect(latency).toBeGreaterThan(0);
    expect(latency).toBeLessThan(4 * 10);
    const [point] = (
      await meter.points('ssf.transmitter.sets.push.latency')
    ).filter(p => p.attributes.stream_id === stream.stream_id);
    expect(point.unit).toBe('s');

    // The gauge reads this backend's fresh database: every SET delivered
    // once the marks are written.
    await waitFor(
      async () => (await outboxSets('delivered')) === 4,
      10_000,
      'the delivered marks',
    );
    expect(await outboxSets('pending')).toBe(0);
    expect(await outboxSets('dead')).toBe(0);
  });

  it('counts a push answered 400 as dead-lettered, and a 503 as retried', async () => {
    const { emit, createStream } = await setUp();
    const stream = await createStream();
    const of = (outcome: string) => ({
      stream_id: stream.stream_id,
      outcome,
    });

    receiver.answerNext({
      status: 400,
      body: JSON.stringify({ err: 'invalid_audience', description: 'no' }),
    });
    expect((await emit(SESSION_REVOKED, 'a@example.com')).status).toBe(202);
    await waitForValue('ssf.transmitter.sets.pushed', of('dead_lettered'), 1);
    expect(
      await meter.value('ssf.transmitter.sets.pushed', of('delivered')),
    ).toBe(0);

    receiver.answerNext({ status: 503 });
    expect((await emit(SESSION_REVOKED, 'b@example.com')).status).toBe(202);
    await waitForValue('ssf.transmitter.sets.pushed', of('delivered'), 1);
    expect(
      await meter.value('ssf.transmitter.sets.pushed', of('retried')),
    ).toBe(1);
    expect(
      await meter.value('ssf.transmitter.sets.pushed', of('dead_lettered')),
    ).toBe(1);
    await waitFor(
      async () => (await outboxSets('dead')) === 1,
      10_000,
      'the dead SET in the outbox gauge',
    );
  });

  it('counts SETs dropped when their stream is disabled', async () => {
    const { api, emit, createStream } = await setUp();
    const stream = await createStream();
    const setStatus = (status: string) =>
      api.setStatus(A, { stream_id: stream.stream_id, status }).expect(200);
    // Paused: the SETs wait in the outbox.
    await setStatus('paused');
    expect((await emit(SESSION_REVOKED, 'a@example.com')).status).toBe(202);
    expect((await emit(SESSION_REVOKED, 'b@example.com')).status).toBe(202);
    await setStatus('disabled');
    expect(
      await meter.value('ssf.transmitter.sets.dropped', {
        stream_id: stream.stream_id,
        reason: 'stream_disabled',
      }),
    ).toBe(2);
  });

  it('counts SETs handed out to a poll receiver and those it acknowledged', async () => {
    const { api, emit } = await setUp();
    // No delivery: a poll stream.
    const stream = (
      await api.createStream(A, { events_requested: [SESSION_REVOKED] })
    ).body;
    const poll = (body: object) =>
      api.poll(A, stream.delivery.endpoint_url, body);
    const at = { stream_id: stream.stream_id };

    expect((await emit(SESSION_REVOKED, 'a@example.com')).status).toBe(202);
    expect((await emit(SESSION_REVOKED, 'b@example.com')).status).toBe(202);
    const first = await poll({ returnImmediately: true });
    const [one, two] = Object.keys(first.body.sets);
    expect(await meter.value('ssf.transmitter.sets.polled', at)).toBe(2);

    await poll({
      ack: [one],
      setErrs: { [two]: { err: 'invalid_key', description: 'no' } },
      returnImmediately: true,
    });
    // Acknowledging again moves nothing: the SET is no longer pending.
    await poll({ ack: [one], returnImmediately: true });
    expect(
      await meter.value('ssf.transmitter.sets.acknowledged', {
        ...at,
        outcome: 'delivered',
      }),
    ).toBe(1);
    expect(
      await meter.value('ssf.transmitter.sets.acknowledged', {
        ...at,
        outcome: 'dead_lettered',
      }),
    ).toBe(1);
    // Empty polls hand out nothing.
    expect(await meter.value('ssf.transmitter.sets.polled', at)).toBe(2);
  });
});
