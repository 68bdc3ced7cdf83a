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
import {
  backstageError,
  createFakeSsf,
  schemaErrors,
} from '../__testUtils__/fakeSsf';
import { createSsfStreamUpdateStatusAction } from './streamUpdateStatus';

function setup() {
  const fake = createFakeSsf();
  fake.on('GET /streams/status', call =>
    call.query.stream_id === 'st-1'
      ? { status: 200, body: { stream_id: 'st-1', status: 'enabled' } }
      : backstageError(404, `Stream ${call.query.stream_id} not found`),
  );
  fake.on('POST /streams/status', call => ({
    status: 200,
    body: {
      stream_id: 'st-1',
      status: call.body.status,
      reason: call.body.reason,
    },
  }));
  return {
    fake,
    action: createSsfStreamUpdateStatusAction({ client: fake.client }),
  };
}

describe('ssf:stream:update-status', () => {
  it('changes the status with a reason', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({
      input: {
        streamId: 'st-1',
        status: 'paused' as const,
        reason: 'maintenance',
      },
    });
    await action.handler(ctx);
    expect(
      fake.calls.find(c => c.key === 'POST /streams/status')!.body,
    ).toEqual({
      stream_id: 'st-1',
      status: 'paused',
      reason: 'maintenance',
    });
    expect(ctx.output).toHaveBeenCalledWith('previousStatus', 'enabled');
    expect(ctx.output).toHaveBeenCalledWith('status', 'paused');
    expect(ctx.output).toHaveBeenCalledWith('reason', 'maintenance');
  });

  it('dry run reads the current status and changes nothing', async () => {
    const { fake, action } = setup();
    const ctx = {
      ...createMockActionContext({
        input: { streamId: 'st-1', status: 'disabled' as const },
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(fake.calls.map(c => c.key)).toEqual(['GET /streams/status']);
    expect(ctx.output).toHaveBeenCalledWith('previousStatus', 'enabled');
    expect(ctx.output).toHaveBeenCalledWith('status', 'disabled');
  });

  it('names a missing stream', async () => {
    const { action } = setup();
    const ctx = createMockActionContext({
      input: { streamId: 'gone', status: 'enabled' as const },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "SSF stream 'gone' was not found: Stream gone not found",
    );
  });

  it("surfaces the backend's 4xx message", async () => {
    const { fake, action } = setup();
    fake.on('POST /streams/status', () =>
      backstageError(403, 'Missing permission ssf.stream.manage'),
    );
    const ctx = createMockActionContext({
      input: { streamId: 'st-1', status: 'enabled' as const },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'SSF backend refused POST /streams/status (403): Missing permission ssf.stream.manage',
    );
  });

  it('rejects missing or unknown input by schema', () => {
    const { action } = setup();
    expect(schemaErrors(action, { streamId: 'st-1' })).toEqual([
      expect.stringContaining('requires property "status"'),
    ]);
    expect(
      schemaErrors(action, { streamId: 'st-1', status: 'asleep' }),
    ).toEqual([
      expect.stringContaining('instance.status is not one of enum values'),
    ]);
  });
});
