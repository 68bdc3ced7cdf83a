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

import fs from 'node:fs';
import path from 'node:path';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
// The integration test runs the real SSF backend next to the scaffolder.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import ssfPlugin from '@shared-signals/plugin-ssf-backend';
import { SSF_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import request from 'supertest';
import { parse } from 'yaml';
import { createFakeCatalogPlugin } from './__testUtils__/fakeCatalog';
import { startPushReceiver, waitFor } from './__testUtils__/pushReceiver';
import { scaffolderModuleSsf } from './module';

const EXAMPLE = path.resolve(
  __dirname,
  '../../../examples/ssf-receiver-template/template.yaml',
);
const SECRET_HEADER = 'Bearer receiver-push-s3cr3t';
const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

/** A one-off template around the given steps, for the other actions. */
function testTemplate(name: string, steps: unknown[], output: unknown = {}) {
  return {
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    metadata: { name },
    spec: {
      owner: 'user:guest',
      type: 'test',
      parameters: [{ properties: { streamId: { type: 'string' } } }],
      steps,
      output,
    },
  };
}

const templates = [
  parse(fs.readFileSync(EXAMPLE, 'utf8')),
  testTemplate(
    'pause-and-provider',
    [
      {
        id: 'pause',
        action: 'ssf:stream:update-status',
        input: {
          streamId: '${{ parameters.streamId }}',
          status: 'paused',
          reason: 'maintenance',
        },
      },
      {
        id: 'provider',
        action: 'ssf:provider:create',
        input: {
          name: 'Test transmitter',
          issuer: 'https://transmitter.example.com',
          jwksUrl: 'https://transmitter.example.com/jwks',
          owner: 'identity',
          consumer: 'hr-app',
        },
      },
    ],
    {
      previous: '${{ steps.pause.output.previousStatus }}',
      status: '${{ steps.pause.output.status }}',
      providerId: '${{ steps.provider.output.providerId }}',
    },
  ),
  testTemplate('missing-input', [
    {
      id: 'pause',
      action: 'ssf:stream:update-status',
      input: { streamId: '${{ parameters.streamId }}' },
    },
  ]),
];

jest.setTimeout(60_000);

// Runs templates through the real scaffolder backend (task API, task worker,
// input validation against the actions' JSON schemas, secret redaction) with
// this module and the real SSF backend, delivering to a push receiver on
// 127.0.0.1. Only the catalog is faked, to serve the template entities.
describe('templates through the scaffolder and the SSF backend', () => {
  let backend: TestBackend;
  let receiver: Awaited<ReturnType<typeof startPushReceiver>>;

  beforeAll(async () => {
    receiver = await startPushReceiver();
    backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleSsf,
        ssfPlugin,
        createFakeCatalogPlugin(templates),
        mockServices.rootConfig.factory({
          data: {
            backend: { baseUrl: 'http://localhost:7007' },
            ssf: {
              transmitter: {
                delivery: {
                  allowInsecureUrls: true,
                  allowPrivateNetworks: true,
                },
              },
            },
          },
        }),
        // The default permissions mock allows everything, as an SSF admin has.
        mockServices.permissions.factory(),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await receiver?.close();
  });

  async function runTask(
    name: string,
    values: Record<string, unknown>,
    secrets?: Record<string, string>,
  ) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .send({ templateRef: `template:default/${name}`, values, secrets });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const status = await waitFor(
      async () => {
        const res = await request(backend.server).get(
          `/api/scaffolder/v2/tasks/${id}`,
        );
        return ['completed', 'failed'].includes(res.body.status)
          ? (res.body.status as string)
          : undefined;
      },
      45_000,
      `task ${name} to finish`,
    );
    const events = await request(backend.server).get(
      `/api/scaffolder/v2/tasks/${id}/events`,
    );
    return {
      status,
      log: events.body.map((e: any) => e.body?.message).join('\n'),
      raw: JSON.stringify(events.body),
      // The task's output travels in its completion event.
      output: events.body.find((e: any) => e.type === 'completion')?.body
        ?.output,
    };
  }

  async function createStreamViaApi() {
    const res = await request(backend.server)
      .post('/api/ssf/streams')
      .send({
        client_id: `other-${Date.now()}`,
        delivery: { method: 'urn:ietf:rfc:8936' },
      });
    expect(res.status).toBe(201);
    return res.body.stream_id as string;
  }

  it('runs the example template: the stream exists and the verification SET arrived', async () => {
    const task = await runTask(
      'ssf-connect-receiver',
      {
        endpointUrl: receiver.url,
        eventsRequested: [SESSION_REVOKED],
        description: 'Integration test receiver',
        owner: 'group:default/receivers-team',
        component: 'component:default/hr-app',
      },
      { ssfAuthorizationHeader: SECRET_HEADER },
    );
    if (task.status !== 'completed') {
      throw new Error(`Task ${task.status}:\n${task.log}`);
    }
    expect(task.raw).not.toContain('s3cr3t');
    expect(JSON.stringify(task.output)).not.toContain('s3cr3t');

    const text: string = task.output.text[0].content;
    const streamId = text.match(/Stream \*\*(\S+)\*\*/)![1];
    const state = text.match(/state `([^`]+)`/)![1];
    expect(text).toContain('acknowledged by your receiver');
    expect(task.output.links).toEqual([
      expect.objectContaining({ url: '/ssf/streams' }),
      {
        title: 'Stream configuration (API)',
        url: expect.stringMatching(
          new RegExp(
            `^http://localhost:\\d+/api/ssf/streams\\?stream_id=${streamId}$`,
          ),
        ),
      },
    ]);

    // The stream exists, with what the form asked for.
    const stream = await request(backend.server)
      .get('/api/ssf/streams')
      .query({ stream_id: streamId });
    expect(stream.status).toBe(200);
    expect(stream.body).toMatchObject({
      stream_id: streamId,
      description: 'Integration test receiver',
      delivery: { endpoint_url: receiver.url },
      events_delivered: [SESSION_REVOKED],
      // The catalog's view: owned by the template's owner, consumed by the
      // component it is about.
      owner: 'group:default/receivers-team',
      consumer: 'component:default/hr-app',
    });

    // The verification SET arrived with our state and the header from the secret.
    const verification = receiver.received.find(
      r => r.payload.events?.[SSF_EVENT_TYPES.verification],
    );
    expect(
      verification?.payload.events?.[SSF_EVENT_TYPES.verification],
    ).toEqual({ state });
    expect(verification!.authorization).toBe(SECRET_HEADER);
  });

  it('pauses a stream and registers a provider', async () => {
    const streamId = await createStreamViaApi();
    const task = await runTask('pause-and-provider', { streamId });
    if (task.status !== 'completed') {
      throw new Error(`Task ${task.status}:\n${task.log}`);
    }
    expect(task.output).toMatchObject({
      previous: 'enabled',
      status: 'paused',
      providerId: expect.stringMatching(/^sse/),
    });
    const status = await request(backend.server)
      .get('/api/ssf/streams/status')
      .query({ stream_id: streamId });
    expect(status.body).toEqual({
      stream_id: streamId,
      status: 'paused',
      reason: 'maintenance',
    });
    // The provider carries the owner and consumer the step gave, normalised.
    const provider = await request(backend.server).get(
      `/api/ssf/security-events-providers/${task.output.providerId}`,
    );
    expect(provider.body).toMatchObject({
      owner: 'group:default/identity',
      consumer: 'component:default/hr-app',
    });
  });

  it('fails a step whose stream does not exist, naming it', async () => {
    const task = await runTask('pause-and-provider', { streamId: 'no-such' });
    expect(task.status).toBe('failed');
    expect(task.log).toContain("SSF stream 'no-such' was not found");
  });

  it('refuses a step with missing input before running it', async () => {
    const task = await runTask('missing-input', { streamId: 'x' });
    expect(task.status).toBe('failed');
    expect(task.log).toContain(
      'Invalid input passed to action ssf:stream:update-status, instance requires property "status"',
    );
  });
});
