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
import { PUSH, SESSION_REVOKED } from '../__testUtils__/specUris';
import { clientAuth, userAuth } from '../__testUtils__/testBackend';
import { transmitterApi } from '../transmitter/__testUtils__/transmitterApi';
import { validationCauses } from '../receiver/__testUtils__/providerApiErrors';
import {
  asAdmin,
  PROVIDERS,
  startReceiverBackend,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';

jest.setTimeout(60_000);

// The `owner` and `consumer` extension members of streams and providers:
// catalog entity refs, normalised (kind group / component and namespace
// default when left out, lower case), returned only when set.

const ADMIN = userAuth();
const RECEIVER = clientAuth('client-a');

const pushDelivery = {
  method: PUSH,
  endpoint_url: 'https://receiver.example.com/ssf/events',
};
const stream = (extra: object = {}) => ({
  delivery: pushDelivery,
  events_requested: [SESSION_REVOKED],
  ...extra,
});

describeOnEachDatabase('owner and consumer', (databases, id) => {
  let transmitter: TestTransmitter;
  beforeAll(async () => {
    transmitter = await TestTransmitter.start();
  });
  afterAll(async () => {
    await transmitter.close();
  });

  const start = async () => {
    const started = await startReceiverBackend({ databases, id });
    return { ...started, api: transmitterApi(started.server) };
  };

  it('a stream takes them at creation, normalised, and shows them in its configuration and the admin view', async () => {
    const { api } = await start();
    const created = await api.createStream(
      ADMIN,
      stream({ owner: 'Security', consumer: 'payments-api' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.owner).toBe('group:default/security');
    expect(created.body.consumer).toBe('component:default/payments-api');

    const got = await api.getStream(ADMIN, created.body.stream_id);
    expect(got.body).toEqual(created.body);
    const admin = await api.adminStreams(ADMIN);
    expect(admin.body.items).toEqual([
      expect.objectContaining({
        stream_id: created.body.stream_id,
        owner: 'group:default/security',
        consumer: 'component:default/payments-api',
      }),
    ]);

    // Explicit kinds and namespaces are kept (in lower case).
    const other = await api.createStream(
      ADMIN,
      stream({
        client_id: 'client-b',
        owner: 'user:Default/Alice',
        consumer: 'resource:ops/Queue',
      }),
    );
    expect(other.status).toBe(201);
    expect(other.body.owner).toBe('user:default/alice');
    expect(other.body.consumer).toBe('resource:ops/queue');
  });

  it('a stream without them has neither member', async () => {
    const { api } = await start();
    const created = await api.createStream(ADMIN, stream());
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('owner');
    expect(created.body).not.toHaveProperty('consumer');
    const admin = await api.adminStreams(ADMIN);
    expect(admin.body.items[0]).not.toHaveProperty('owner');
    expect(admin.body.items[0]).not.toHaveProperty('consumer');
  });

  it('PATCH and PUT change them, keep them when absent and remove them with null', async () => {
    const { api } = await start();
    const created = await api.createStream(
      ADMIN,
      stream({ owner: 'security', consumer: 'payments' }),
    );
    const streamId = created.body.stream_id;

    const patched = await api.updateStream(ADMIN, {
      stream_id: streamId,
      consumer: 'component:default/billing',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.owner).toBe('group:default/security');
    expect(patched.body.consumer).toBe('component:default/billing');

    // A PUT that knows nothing of them (a standard receiver's) keeps them.
    const replaced = await api.replaceStream(ADMIN, {
      stream_id: streamId,
      delivery: pushDelivery,
      description: 'replaced',
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.description).toBe('replaced');
    expect(replaced.body.owner).toBe('group:default/security');
    expect(replaced.body.consumer).toBe('component:default/billing');

    const cleared = await api.replaceStream(ADMIN, {
      stream_id: streamId,
      delivery: pushDelivery,
      owner: null,
      consumer: 'identity',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).not.toHaveProperty('owner');
    expect(cleared.body.consumer).toBe('component:default/identity');

    const none = await api.updateStream(ADMIN, {
      stream_id: streamId,
      consumer: null,
    });
    expect(none.status).toBe(200);
    expect(none.body).not.toHaveProperty('owner');
    expect(none.body).not.toHaveProperty('consumer');
    expect((await api.getStream(ADMIN, streamId)).body).not.toHaveProperty(
      'consumer',
    );
  });

  it('refuses a stream ref that is not an entity ref with 400 and a message naming the member', async () => {
    const { api } = await start();
    for (const [member, value] of [
      ['owner', 'component:default/'],
      ['owner', 'team security'],
      ['consumer', 'kind:ns/name/extra'],
      ['consumer', 42],
      ['consumer', ''],
    ] as const) {
      const res = await api.createStream(ADMIN, stream({ [member]: value }));
      expect({ member, value, status: res.status }).toEqual({
        member,
        value,
        status: 400,
      });
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain(
        `${member}: must be a catalog entity ref`,
      );
    }
    const created = await api.createStream(ADMIN, stream());
    const res = await api.updateStream(ADMIN, {
      stream_id: created.body.stream_id,
      owner: 'group:default/a b',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(
      'owner: must be a catalog entity ref',
    );
    expect(
      (await api.getStream(ADMIN, created.body.stream_id)).body,
    ).not.toHaveProperty('owner');
  });

  it('lets only a portal admin choose them; a receiver may echo what it read', async () => {
    const { api } = await start();
    const refused = await api.createStream(
      RECEIVER,
      stream({ owner: 'security' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain(
      'owner can only be set by a portal administrator',
    );

    const created = await api.createStream(RECEIVER, stream());
    expect(created.status).toBe(201);
    const streamId = created.body.stream_id;
    const byAdmin = await api.updateStream(ADMIN, {
      stream_id: streamId,
      owner: 'security',
      consumer: 'payments',
    });
    expect(byAdmin.status).toBe(200);

    // The receiver reads its stream and puts it back unchanged.
    const read = (await api.getStream(RECEIVER, streamId)).body;
    expect(read.owner).toBe('group:default/security');
    const echoed = await api.replaceStream(RECEIVER, {
      ...read,
      delivery: pushDelivery,
    });
    expect(echoed.status).toBe(200);
    expect(echoed.body.consumer).toBe('component:default/payments');

    for (const change of [{ consumer: 'billing' }, { owner: null }]) {
      const res = await api.updateStream(RECEIVER, {
        stream_id: streamId,
        ...change,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(
        'can only be set by a portal administrator',
      );
    }
    const after = (await api.getStream(ADMIN, streamId)).body;
    expect([after.owner, after.consumer]).toEqual([
      'group:default/security',
      'component:default/payments',
    ]);
  });

  it('a provider takes them at creation, keeps them on a replace without them, and removes them with null', async () => {
    const { server } = await start();
    const admin = asAdmin(server);
    const settings = {
      issuer: transmitter.issuer,
      jwks_url: transmitter.jwksUrl,
    };
    const created = await admin.post(PROVIDERS, {
      name: 'okta',
      type: 'okta',
      settings,
      owner: 'Identity',
      consumer: 'default/Portal',
    });
    expect(created.status).toBe(200);
    expect(created.body.owner).toBe('group:default/identity');
    expect(created.body.consumer).toBe('component:default/portal');
    const path = `${PROVIDERS}/${created.body.id}`;
    expect((await admin.get(path)).body).toEqual(created.body);

    const kept = await admin.put(path, {
      name: 'okta',
      type: 'okta',
      settings,
    });
    expect(kept.status).toBe(200);
    expect(kept.body.owner).toBe('group:default/identity');
    expect(kept.body.consumer).toBe('component:default/portal');

    const cleared = await admin.put(path, {
      name: 'okta',
      type: 'okta',
      settings,
      owner: null,
      consumer: 'component:default/hr',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body).not.toHaveProperty('owner');
    expect(cleared.body.consumer).toBe('component:default/hr');

    const plain = await admin.post(PROVIDERS, {
      name: 'plain',
      type: 'okta',
      settings,
    });
    expect(plain.body).not.toHaveProperty('owner');
    expect(plain.body).not.toHaveProperty('consumer');
  });

  it("refuses a provider ref that is not an entity ref in the provider API's error body", async () => {
    const { server } = await start();
    const res = await asAdmin(server).post(PROVIDERS, {
      name: 'okta',
      type: 'okta',
      settings: { issuer: transmitter.issuer, jwks_url: transmitter.jwksUrl },
      owner: 'group:',
      consumer: 'a b',
    });
    const causes = validationCauses(res);
    expect(causes).toEqual([
      expect.stringContaining('owner: must be a catalog entity ref'),
      expect.stringContaining('consumer: must be a catalog entity ref'),
    ]);
    expect((await asAdmin(server).get(PROVIDERS)).body).toEqual([]);
  });
});
