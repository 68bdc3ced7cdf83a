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

import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  CAEP_EVENT_TYPES,
  DELIVERY_METHODS,
} from '@shared-signals/plugin-ssf-common';
import {
  backstageError,
  createFakeSsf,
  schemaErrors,
  SSF_BASE,
} from '../__testUtils__/fakeSsf';
import { createSsfStreamCreateAction } from './streamCreate';

const SECRET = 'Bearer s3cr3t-receiver-token';

function setup() {
  const fake = createFakeSsf();
  fake.on('POST /streams', call => ({
    status: 201,
    body: {
      stream_id: 'st-1',
      events_delivered: call.body.events_requested ?? [],
      delivery:
        call.body.delivery?.method === DELIVERY_METHODS.poll
          ? {
              method: DELIVERY_METHODS.poll,
              endpoint_url: `${SSF_BASE}/poll/st-1`,
            }
          : {
              method: DELIVERY_METHODS.push,
              endpoint_url: call.body.delivery.endpoint_url,
            },
    },
  }));
  const action = createSsfStreamCreateAction({ client: fake.client });
  const logger = mockServices.logger.mock();
  return { fake, action, logger };
}

function logged(logger: ReturnType<typeof mockServices.logger.mock>) {
  return JSON.stringify([
    logger.info.mock.calls,
    logger.warn.mock.calls,
    logger.error.mock.calls,
    logger.debug.mock.calls,
  ]);
}

describe('ssf:stream:create', () => {
  it('creates a push stream as the template user, with the header from secrets', async () => {
    const { fake, action, logger } = setup();
    const ctx = createMockActionContext({
      input: {
        endpointUrl: 'https://receiver.example.com/events',
        eventsRequested: [CAEP_EVENT_TYPES.sessionRevoked],
        description: 'Example',
        audience: 'https://receiver.example.com',
        clientId: 'receiver-app',
      },
      secrets: { ssfAuthorizationHeader: SECRET },
      logger,
    });

    await action.handler(ctx);

    const [create] = fake.apiCalls();
    expect(create.key).toBe('POST /streams');
    expect(create.body).toEqual({
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://receiver.example.com/events',
        authorization_header: SECRET,
      },
      events_requested: [CAEP_EVENT_TYPES.sessionRevoked],
      description: 'Example',
      aud: 'https://receiver.example.com',
      client_id: 'receiver-app',
    });
    // A plugin request token on behalf of the initiator, not the scaffolder's own.
    expect(create.authorization).toMatch(/^Bearer mock-/);
    expect(create.authorization).toContain('user:default/mock');
    expect(ctx.output).toHaveBeenCalledWith('streamId', 'st-1');
    expect(ctx.output).toHaveBeenCalledWith(
      'configurationUrl',
      `${SSF_BASE}/streams?stream_id=st-1`,
    );
    expect(ctx.output).toHaveBeenCalledWith('eventsDelivered', [
      CAEP_EVENT_TYPES.sessionRevoked,
    ]);
    expect(ctx.output).not.toHaveBeenCalledWith(
      'pollEndpointUrl',
      expect.anything(),
    );
    const outputs = JSON.stringify((ctx.output as jest.Mock).mock.calls);
    expect(outputs).not.toContain('s3cr3t');
    expect(logged(logger)).not.toContain('s3cr3t');
  });

  it('creates a poll stream and outputs its poll endpoint', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({
      input: { deliveryMethod: 'poll' as const },
    });
    await action.handler(ctx);
    expect(fake.apiCalls()[0].body).toEqual({
      delivery: { method: DELIVERY_METHODS.poll },
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'pollEndpointUrl',
      `${SSF_BASE}/poll/st-1`,
    );
  });

  it('dry run validates and reports without creating', async () => {
    const { fake, action, logger } = setup();
    const ctx = {
      ...createMockActionContext({
        input: {
          endpointUrl: 'https://receiver.example.com/events',
          eventsRequested: [CAEP_EVENT_TYPES.credentialChange],
          authorizationHeader: SECRET,
        },
        logger,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(fake.apiCalls()).toEqual([]);
    expect(ctx.output).toHaveBeenCalledWith('streamId', 'dry-run');
    expect(ctx.output).toHaveBeenCalledWith('eventsDelivered', [
      CAEP_EVENT_TYPES.credentialChange,
    ]);
    expect(logged(logger)).toContain('would create a push stream');
    expect(logged(logger)).not.toContain('s3cr3t');
  });

  it('dry run refuses what the backend would refuse', async () => {
    const { fake, action } = setup();
    const ctx = {
      ...createMockActionContext({
        input: {
          endpointUrl: 'https://receiver.example.com/events',
          eventsRequested: ['https://example.com/not-an-event'],
        },
      }),
      isDryRun: true,
    };
    await expect(action.handler(ctx)).rejects.toThrow(
      /events_requested.0: unknown or unsupported event type/,
    );
    expect(fake.apiCalls()).toEqual([]);
  });

  it('passes owner and consumer through, leaving out empty ones', async () => {
    const { fake, action } = setup();
    await action.handler(
      createMockActionContext({
        input: {
          deliveryMethod: 'poll' as const,
          owner: 'group:default/security',
          consumer: 'payments',
        },
      }),
    );
    await action.handler(
      createMockActionContext({
        input: { deliveryMethod: 'poll' as const, owner: '', consumer: '' },
      }),
    );
    expect(fake.apiCalls().map(c => c.body)).toEqual([
      {
        delivery: { method: DELIVERY_METHODS.poll },
        owner: 'group:default/security',
        consumer: 'payments',
      },
      { delivery: { method: DELIVERY_METHODS.poll } },
    ]);
  });

  it('dry run refuses an owner or consumer that is not an entity ref', async () => {
    const { fake, action } = setup();
    const ctx = {
      ...createMockActionContext({
        input: { deliveryMethod: 'poll' as const, consumer: 'component:' },
      }),
      isDryRun: true,
    };
    await expect(action.handler(ctx)).rejects.toThrow(
      /consumer: must be a catalog entity ref/,
    );
    expect(fake.apiCalls()).toEqual([]);
  });

  it("surfaces the backend's 4xx message", async () => {
    const { fake, action } = setup();
    fake.on('POST /streams', () =>
      backstageError(409, 'Client receiver-app already has stream st-0'),
    );
    const ctx = createMockActionContext({
      input: { endpointUrl: 'https://receiver.example.com/events' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'SSF backend refused POST /streams (409): Client receiver-app already has stream st-0',
    );
  });

  it('requires an endpoint URL for push', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({ input: {} });
    await expect(action.handler(ctx)).rejects.toThrow(
      'endpointUrl is required for push delivery',
    );
    expect(fake.apiCalls()).toEqual([]);
  });

  it('rejects bad input by schema before running', () => {
    const { action } = setup();
    expect(schemaErrors(action, { deliveryMethod: 'carrier-pigeon' })).toEqual([
      expect.stringContaining(
        'instance.deliveryMethod is not one of enum values',
      ),
    ]);
    expect(schemaErrors(action, { eventsRequested: 'not-a-list' })).toEqual([
      expect.stringContaining(
        'instance.eventsRequested is not of a type(s) array',
      ),
    ]);
    expect(schemaErrors(action, { endpointUrl: 'https://r.example' })).toEqual(
      [],
    );
  });
});
