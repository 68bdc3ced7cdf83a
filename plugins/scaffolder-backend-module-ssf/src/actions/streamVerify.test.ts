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

import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import {
  backstageError,
  createFakeSsf,
  schemaErrors,
} from '../__testUtils__/fakeSsf';
import { createSsfStreamVerifyAction } from './streamVerify';

function setup(method: string = DELIVERY_METHODS.push) {
  const fake = createFakeSsf();
  let verification: Record<string, unknown> | undefined;
  const deliverAfterReads = { n: 1, status: 'delivered' };
  let reads = 0;
  fake.on('GET /streams', call =>
    call.query.stream_id === 'st-1'
      ? {
          status: 200,
          body: { stream_id: 'st-1', delivery: { method, endpoint_url: 'x' } },
        }
      : backstageError(404, `Stream ${call.query.stream_id} not found`),
  );
  fake.on('POST /streams/verify', call => {
    verification = {
      state: call.body.state,
      requested_at: '2026-11-22T00:00:00.000Z',
      status: 'pending',
    };
    reads = 0;
    return { status: 204 };
  });
  fake.on('GET /admin/streams', () => {
    reads += 1;
    if (verification && reads > deliverAfterReads.n) {
      verification.status = deliverAfterReads.status;
      if (deliverAfterReads.status === 'delivered') {
        verification.delivered_at = '2026-11-22T00:00:01.000Z';
      } else {
        verification.error = 'receiver answered 500';
      }
    }
    return {
      status: 200,
      body: {
        items: [
          {
            stream_id: 'st-1',
            ...(verification && { last_verification: verification }),
          },
        ],
      },
    };
  });
  const action = createSsfStreamVerifyAction({
    client: fake.client,
    pollIntervalMs: 5,
  });
  return { fake, action, deliverAfterReads };
}

describe('ssf:stream:verify', () => {
  it('requests verification and waits until the receiver acknowledged it', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({
      input: { streamId: 'st-1', state: 'abc', timeoutSeconds: 5 },
    });
    await action.handler(ctx);
    const verify = fake.calls.find(c => c.key === 'POST /streams/verify')!;
    expect(verify.body).toEqual({ stream_id: 'st-1', state: 'abc' });
    expect(ctx.output).toHaveBeenCalledWith('state', 'abc');
    expect(ctx.output).toHaveBeenCalledWith('delivered', true);
    expect(ctx.output).toHaveBeenCalledWith('deliveryState', 'delivered');
  });

  it('generates a state when none is given', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({ input: { streamId: 'st-1' } });
    await action.handler(ctx);
    const state = fake.calls.find(c => c.key === 'POST /streams/verify')!.body
      .state;
    expect(state).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.output).toHaveBeenCalledWith('state', state);
  });

  it('does not wait for a poll stream and reports the outbox state', async () => {
    const { fake, action } = setup(DELIVERY_METHODS.poll);
    const ctx = createMockActionContext({ input: { streamId: 'st-1' } });
    await action.handler(ctx);
    expect(fake.calls.filter(c => c.key === 'GET /admin/streams')).toHaveLength(
      1,
    );
    expect(ctx.output).toHaveBeenCalledWith('delivered', false);
    expect(ctx.output).toHaveBeenCalledWith('deliveryState', 'pending');
  });

  it('fails when the push delivery failed', async () => {
    const { action, deliverAfterReads } = setup();
    deliverAfterReads.status = 'dead';
    const ctx = createMockActionContext({ input: { streamId: 'st-1' } });
    await expect(action.handler(ctx)).rejects.toThrow(
      'Verification SET for stream st-1 could not be delivered: receiver answered 500',
    );
  });

  it('fails after the timeout, or only warns when asked to', async () => {
    const { action, deliverAfterReads } = setup();
    deliverAfterReads.n = 1e9;
    const ctx = createMockActionContext({
      input: { streamId: 'st-1', timeoutSeconds: 0.05 as any },
    });
    await expect(action.handler(ctx)).rejects.toThrow(/not delivered within/);

    const lenient = createMockActionContext({
      input: { streamId: 'st-1', timeoutSeconds: 0, failIfUndelivered: false },
    });
    await action.handler(lenient);
    expect(lenient.output).toHaveBeenCalledWith('delivered', false);
  });

  it('stops waiting when the task is cancelled', async () => {
    const { action, deliverAfterReads } = setup();
    deliverAfterReads.n = 1e9;
    const controller = new AbortController();
    const ctx = {
      ...createMockActionContext({
        input: { streamId: 'st-1', timeoutSeconds: 60 },
      }),
      signal: controller.signal,
    };
    setTimeout(() => controller.abort(), 50);
    await expect(action.handler(ctx)).rejects.toThrow(/cancelled/);
  });

  it('dry run checks the stream but sends nothing', async () => {
    const { fake, action } = setup();
    const ctx = {
      ...createMockActionContext({ input: { streamId: 'st-1', state: 's' } }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(fake.calls.map(c => c.key)).toEqual(['GET /streams']);
    expect(ctx.output).toHaveBeenCalledWith('state', 's');
    expect(ctx.output).toHaveBeenCalledWith('delivered', false);
  });

  it('names a missing stream', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({ input: { streamId: 'nope' } });
    await expect(action.handler(ctx)).rejects.toThrow(
      "SSF stream 'nope' was not found: Stream nope not found",
    );
    expect(fake.calls.map(c => c.key)).toEqual(['GET /streams']);
  });

  it("surfaces the backend's 429 message", async () => {
    const { fake, action } = setup();
    fake.on('POST /streams/verify', () => ({
      ...backstageError(429, 'Stream st-1 was verified less than 30s ago'),
      headers: { 'Retry-After': '25' },
    }));
    const ctx = createMockActionContext({ input: { streamId: 'st-1' } });
    await expect(action.handler(ctx)).rejects.toThrow(
      'SSF backend refused POST /streams/verify (429): Stream st-1 was verified less than 30s ago (retry after 25s)',
    );
  });

  it('rejects a missing stream ID by schema', () => {
    const { action } = setup();
    expect(schemaErrors(action, {})).toEqual([
      expect.stringContaining('requires property "streamId"'),
    ]);
    expect(
      schemaErrors(action, { streamId: 'st-1', timeoutSeconds: -1 }),
    ).toEqual([
      expect.stringContaining(
        'instance.timeoutSeconds must be greater than or equal to 0',
      ),
    ]);
  });
});
