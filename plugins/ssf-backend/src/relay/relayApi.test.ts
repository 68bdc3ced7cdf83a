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

import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { ACCOUNT_DISABLED, SESSION_REVOKED } from '../__testUtils__/specUris';
import { startSsfBackend, userAuth } from '../__testUtils__/testBackend';
import {
  addProvider,
  PROVIDERS,
} from '../receiver/__testUtils__/receiverBackend';
import {
  RECEIVER_AUDIENCE,
  TestTransmitter,
} from '../receiver/__testUtils__/testTransmitter';
import { putRelayRule, relayPortalConfig } from './__testUtils__/relayPortal';

jest.setTimeout(90_000);

const config = relayPortalConfig({
  issuer: 'https://portal.example.com/api/ssf',
  audience: RECEIVER_AUDIENCE,
});
// A transmitter set to send session-revoked only.
(config.ssf as any).transmitter.eventsSupported = [SESSION_REVOKED];

describeOnEachDatabase('the relay rule API', (databases, id) => {
  let portal: Awaited<ReturnType<typeof startSsfBackend>>;
  let transmitter: TestTransmitter;
  let providerId: string;

  beforeAll(async () => {
    portal = await startSsfBackend({ databases, id, config });
    transmitter = await TestTransmitter.start();
    providerId = (await addProvider(portal.server, transmitter)).id;
  });
  afterAll(async () => {
    await portal.backend.stop();
    await transmitter.close();
  });

  const relayPath = () => `${PROVIDERS}/${providerId}/relay`;
  const causes = (body: any) =>
    body.errorCauses.map((c: { errorSummary: string }) => c.errorSummary);

  it('reads no event types for a provider without a rule, and clears a rule with none', async () => {
    const get = () =>
      request(portal.server).get(relayPath()).set('Authorization', userAuth());
    // What a rule may name comes with it: the transmitter sends only this.
    const none = { event_types: [], relayable_event_types: [SESSION_REVOKED] };
    expect((await get()).body).toEqual(none);
    await putRelayRule(portal.server, providerId, {
      event_types: [SESSION_REVOKED, SESSION_REVOKED],
    }).expect(200);
    expect((await get()).body.event_types).toEqual([SESSION_REVOKED]);
    const cleared = await putRelayRule(portal.server, providerId, {
      event_types: [],
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).toEqual(none);
    expect((await get()).body).toEqual(none);
  });

  it('refuses what is not a rule with a 400 in the provider API body', async () => {
    const unknown = await putRelayRule(portal.server, providerId, {
      event_types: ['https://example.com/not-an-event'],
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errorCode).toBe('E0000001');
    expect(causes(unknown.body)).toEqual([
      expect.stringContaining('not an event type the transmitter can send'),
    ]);

    const notSent = await putRelayRule(portal.server, providerId, {
      event_types: [ACCOUNT_DISABLED],
    });
    expect(notSent.status).toBe(400);
    expect(causes(notSent.body)).toEqual([
      `event_types.0: '${ACCOUNT_DISABLED}' is not sent by this transmitter (ssf.transmitter.eventsSupported)`,
    ]);

    for (const body of [
      {},
      { event_types: SESSION_REVOKED },
      { event_types: [SESSION_REVOKED], streams: ['s1'] },
      { event_types: Array(65).fill(SESSION_REVOKED) },
    ]) {
      const res = await putRelayRule(portal.server, providerId, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.errorCode).toBe('E0000001');
    }

    const text = await request(portal.server)
      .put(relayPath())
      .set('Authorization', userAuth())
      .set('Content-Type', 'text/plain')
      .send('event_types');
    expect(text.status).toBe(400);
    expect(causes(text.body)).toEqual([
      'The request body must be JSON (Content-Type: application/json)',
    ]);
  });

  it('answers 404 for an unknown provider and 401 without a token', async () => {
    const get = await request(portal.server)
      .get(`${PROVIDERS}/nope/relay`)
      .set('Authorization', userAuth());
    expect(get.status).toBe(404);
    expect(get.body.errorCode).toBe('E0000007');
    const put = await putRelayRule(portal.server, 'nope', {
      event_types: [SESSION_REVOKED],
    });
    expect(put.status).toBe(404);
    expect(put.body.errorCode).toBe('E0000007');

    const anonymous = await request(portal.server)
      .get(relayPath())
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errorCode).toBe('E0000011');
  });
});

describeOnEachDatabase('the relay rule API, denied', (databases, id) => {
  it('answers 403 to a user without the provider permissions', async () => {
    const portal = await startSsfBackend({
      databases,
      id,
      config,
      permission: AuthorizeResult.DENY,
    });
    try {
      const get = await request(portal.server)
        .get(`${PROVIDERS}/any/relay`)
        .set('Authorization', userAuth());
      expect(get.status).toBe(403);
      expect(get.body.errorCode).toBe('E0000006');
      const put = await putRelayRule(portal.server, 'any', {
        event_types: [SESSION_REVOKED],
      });
      expect(put.status).toBe(403);
      expect(put.body.errorCode).toBe('E0000006');
    } finally {
      await portal.backend.stop();
    }
  });
});
