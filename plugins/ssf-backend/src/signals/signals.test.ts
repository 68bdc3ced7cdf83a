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
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import signalsBackend from '@backstage/plugin-signals-backend';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { AddressInfo } from 'node:net';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import {
  createTestDatabases,
  describeOnEachDatabase,
} from '../__testUtils__/databases';
import { waitFor } from '../__testUtils__/receiver';
import { ACCOUNT_DISABLED, SESSION_REVOKED } from '../__testUtils__/specUris';
import { clientAuth } from '../__testUtils__/testBackend';
import { hooksAdmin } from '../identityHooks/__testUtils__/hooksAdmin';
import {
  mutableCatalog,
  useIdentityHooksBackends,
} from '../identityHooks/__testUtils__/identityHooksBackend';
import {
  addProvider,
  push,
  startReceiverBackend,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';
import { SsfSignals } from './SsfSignals';

jest.setTimeout(60_000);

/**
 * Connects to the signals backend's websocket the way the browser's signal
 * client does (`/api/signals`, no token: a guest connection, which receives
 * broadcasts) and subscribes to channels.
 */
async function subscribe(server: http.Server, channels: string[]) {
  const { port } = server.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}/api/signals`;
  // The signals router starts listening for upgrades when the first upgrade
  // request reaches it, so the first attempt may be answered as plain HTTP;
  // the browser client reconnects the same way.
  let ws: WebSocket | undefined;
  for (let attempt = 0; !ws && attempt < 10; attempt++) {
    const candidate = new WebSocket(url);
    const opened = await new Promise<boolean>(resolve => {
      const timer = setTimeout(() => resolve(false), 1_000);
      candidate.once('open', () => {
        clearTimeout(timer);
        resolve(true);
      });
      candidate.once('error', () => resolve(false));
      candidate.once('unexpected-response', () => resolve(false));
    });
    if (opened) ws = candidate;
    else {
      candidate.terminate();
      await sleep(100);
    }
  }
  if (!ws) throw new Error('Could not connect to the signals websocket');
  const messages: Array<{ channel: string; message: Record<string, unknown> }> =
    [];
  ws.on('message', data => messages.push(JSON.parse(data.toString())));
  for (const channel of channels) {
    ws.send(JSON.stringify({ action: 'subscribe', channel }));
  }
  // Let the server take the subscriptions before the test changes anything.
  await sleep(200);
  return {
    messages,
    on: (channel: string) => messages.filter(m => m.channel === channel),
    close: () => ws!.close(),
  };
}

describe('SsfSignals', () => {
  const databases = createTestDatabases();
  function fakeSignals() {
    const published: SignalPayload[] = [];
    return {
      published,
      service: {
        publish: async (signal: SignalPayload) => {
          published.push(signal);
        },
      },
    };
  }

  it('coalesces a burst per key into one trailing message', async () => {
    const { published, service } = fakeSignals();
    const signals = new SsfSignals({ signals: service, windowMs: 100 });
    for (let i = 0; i < 100; i++) {
      signals.streamChanged('s1');
      signals.streamChanged('s2');
    }
    // Trailing edge: nothing yet.
    expect(published).toEqual([]);
    await sleep(250);
    expect(published).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'ssf:streams',
        message: { kind: 'stream', streamId: 's1' },
      },
      {
        recipients: { type: 'broadcast' },
        channel: 'ssf:streams',
        message: { kind: 'stream', streamId: 's2' },
      },
    ]);
    // A change after the window opens a new one.
    signals.streamChanged('s1');
    await sleep(250);
    expect(published).toHaveLength(3);
    signals.stop();
  });

  it('sends a transaction’s change only once it commits, and nothing for a rollback', async () => {
    const { published, service } = fakeSignals();
    const signals = new SsfSignals({ signals: service, windowMs: 10 });
    const knex = await databases.init('SQLITE_3');
    await knex.transaction(async tx => {
      signals.hookFired('h1', tx);
      await sleep(50);
      // The window has passed, but the transaction is still open.
      expect(published).toEqual([]);
    });
    await knex
      .transaction(async tx => {
        signals.hookFired('h2', tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    await sleep(50);
    expect(published.map(p => p.message)).toEqual([
      { kind: 'firing', hookId: 'h1' },
    ]);
    signals.stop();
  });

  it('sends nothing and fails nothing without a signals service, or when publishing fails', async () => {
    const quiet = new SsfSignals();
    expect(() => {
      quiet.streamChanged('s1');
      quiet.receivedStored('p1');
      quiet.hookFired('h1');
      quiet.reconcileEnded();
    }).not.toThrow();

    const logger = mockServices.logger.mock();
    const failing = new SsfSignals({
      signals: { publish: () => Promise.reject(new Error('broker down')) },
      logger,
      windowMs: 10,
    });
    failing.reconcileEnded();
    await sleep(30);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('broker down'),
    );
  });
});

/**
 * The real signals backend and the real events service, as in a portal: the
 * test backend's default events mock is one per plugin, so signals published
 * by the SSF plugin would never reach the signals plugin through it.
 */
const portal = [signalsBackend, eventsServiceFactory];

describeOnEachDatabase(
  'signals through the signals backend',
  (databases, id) => {
    const backends = useIdentityHooksBackends(databases, id);
    /** A page's signal client, closed after the test. */
    const listen = async (server: http.Server, channels: string[]) => {
      const client = await subscribe(server, channels);
      backends.cleanUp(() => client.close());
      return client;
    };

    it('announces stream changes, delivery outcomes and hook firings by id, coalesced', async () => {
      const receiver = await backends.receiver();
      const backend = await backends.start(mutableCatalog(), {
        lifecycle: { identityChanges: { allowedServices: ['hr-feed'] } },
        extraFeatures: portal,
      });
      const client = await listen(backend.server, ['ssf:streams', 'ssf:hooks']);
      const created = await backend.createStream('client-a', receiver.url, [
        SESSION_REVOKED,
        ACCOUNT_DISABLED,
      ]);
      expect(created.status).toBe(201);
      const streamId = created.body.stream_id;
      await waitFor(
        () => client.on('ssf:streams').length >= 1,
        5_000,
        'the stream signal',
      );
      expect(client.on('ssf:streams')[0].message).toEqual({
        kind: 'stream',
        streamId,
      });

      // A hook fires: its SETs are delivered, and the page hears of both.
      const seen = client.messages.length;
      const fired = await hooksAdmin(
        backend.server,
        clientAuth('hr-feed'),
      ).identityChanges({
        changes: [
          {
            subject: { format: 'email', email: 'zoe@example.com' },
            attributes: {
              'metadata.annotations[ssf.io/lifecycle]': 'terminated',
            },
          },
        ],
      });
      expect(fired.status).toBe(200);
      await waitFor(() => receiver.received.length === 2, 10_000, 'SETs');
      const firings = await backend
        .knex('ssf_hook_firings')
        .whereNotNull('hook_id')
        .select();
      const hookIds = [
        ...new Set(firings.map((f: { hook_id: string }) => f.hook_id)),
      ];
      expect(hookIds.length).toBeGreaterThan(0);
      await waitFor(
        () => client.on('ssf:hooks').length >= hookIds.length,
        5_000,
        'the firing signals',
      );
      expect(
        client
          .on('ssf:hooks')
          .map(m => m.message)
          .sort((a, b) => String(a.hookId).localeCompare(String(b.hookId))),
      ).toEqual(hookIds.sort().map(hookId => ({ kind: 'firing', hookId })));
      // The deliveries changed the stream's counts.
      await waitFor(
        () =>
          client.messages
            .slice(seen)
            .some(
              m =>
                m.channel === 'ssf:streams' && m.message.streamId === streamId,
            ),
        5_000,
        'the delivery signal',
      );

      // A burst of 100 changes to one stream: a bounded number of messages
      // (one per 500 ms window), not one per change.
      const before = client.on('ssf:streams').length;
      const started = Date.now();
      for (let i = 0; i < 100; i++) {
        const res = await backend.setStatus(
          'client-a',
          streamId,
          i % 2 ? 'enabled' : 'paused',
        );
        expect(res.status).toBe(200);
      }
      const elapsed = Date.now() - started;
      await sleep(1_200);
      const burst = client.on('ssf:streams').length - before;
      expect(burst).toBeGreaterThanOrEqual(1);
      expect(burst).toBeLessThanOrEqual(Math.ceil(elapsed / 500) + 2);
      expect(burst).toBeLessThan(20);
    });

    it('announces a reconciliation run when it ends', async () => {
      const backend = await backends.start(mutableCatalog(), {
        extraFeatures: portal,
      });
      const client = await listen(backend.server, ['ssf:hooks']);
      await backend.reconcile();
      await waitFor(
        () => client.on('ssf:hooks').length === 1,
        5_000,
        'the reconcile signal',
      );
      expect(client.on('ssf:hooks')[0].message).toEqual({
        kind: 'reconcile',
      });
    });

    it('announces stored SETs per provider, once per window, not refused ones', async () => {
      const transmitter = await TestTransmitter.start();
      backends.cleanUp(() => transmitter.close());
      const { server } = await startReceiverBackend({
        databases,
        id,
        extraFeatures: portal,
      });
      const client = await listen(server, ['ssf:received-events']);
      const provider = await addProvider(server, transmitter);
      const refused = await push(
        server,
        await transmitter.sign({}, { forge: true }),
      );
      expect(refused.status).toBe(400);
      await sleep(700);
      expect(client.on('ssf:received-events')).toEqual([]);

      const sets = await Promise.all(
        [0, 1, 2, 3, 4].map(i => transmitter.sign({ jti: `s${i}` })),
      );
      const answers = await Promise.all(sets.map(set => push(server, set)));
      expect(answers.map(a => a.status)).toEqual([202, 202, 202, 202, 202]);
      await waitFor(
        () => client.on('ssf:received-events').length >= 1,
        5_000,
        'the received signal',
      );
      await sleep(700);
      // Five SETs stored at once: one message (two if they straddled a
      // window's end), each naming only the provider.
      const received = client.on('ssf:received-events');
      expect(received.length).toBeLessThanOrEqual(2);
      for (const m of received) {
        expect(m.message).toEqual({
          kind: 'received',
          providerId: provider.id,
        });
      }
    });
  },
);
