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

import http from 'node:http';
import { AddressInfo } from 'node:net';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { waitFor } from '../__testUtils__/receiver';
import { SESSION_REVOKED, VERIFICATION } from '../__testUtils__/specUris';
import {
  callerOf,
  clientAuth,
  createPushStream,
  emitEvent,
  startSsfBackend,
} from '../__testUtils__/testBackend';
import {
  asAdmin,
  PROVIDERS,
  startReceiverBackend,
} from './__testUtils__/receiverBackend';

jest.setTimeout(90_000);

const PORTAL_B_AUDIENCE = 'https://portal-b.example.com/api/ssf';

/** Config for A: a transmitter that may push to B on loopback over http. */
function loopbackTransmitter(extra: Record<string, string> = {}) {
  return {
    ssf: {
      transmitter: {
        ...extra,
        delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
      },
    },
  };
}

// Our transmitter talking to our receiver: two backend instances on
// 127.0.0.1, each with its own database. A has a stream pushing to B's
// ingestion URL; B knows A as a Security Events Provider.
describeOnEachDatabase('transmitter A to receiver B', (databases, id) => {
  it('delivers a verification and a session-revoked SET that B verifies and stores', async () => {
    const a = await startSsfBackend({
      databases,
      id,
      config: loopbackTransmitter(),
    });
    const b = await startReceiverBackend({
      databases,
      id,
      receiver: { audience: PORTAL_B_AUDIENCE },
    });
    try {
      const aBase = `http://127.0.0.1:${a.server.port()}/api/ssf`;
      const bBase = `http://127.0.0.1:${b.server.port()}/api/ssf`;
      const asPortalB = callerOf(a.server, clientAuth('portal-b'));
      const issuer = (
        await callerOf(a.server)(
          'get',
          '/api/ssf/.well-known/ssf-configuration',
        )
      ).body.issuer;

      const provider = await asAdmin(b.server).post(PROVIDERS, {
        name: 'Portal A',
        type: 'SSF',
        settings: { issuer, jwks_url: `${aBase}/jwks` },
      });
      expect(provider.status).toBeLessThan(300);

      const stream = await createPushStream(
        a.server,
        'portal-b',
        `${bBase}/security-events`,
        [SESSION_REVOKED],
        { aud: PORTAL_B_AUDIENCE },
      );
      expect(stream.status).toBe(201);

      // Without a state: B did not ask for this verification itself (it would
      // refuse a state it never issued with invalid_state), so it is the
      // transmitter-initiated kind SSF §8.1.4.1 allows.
      expect(
        (
          await asPortalB('post', '/api/ssf/streams/verify', {
            stream_id: stream.body.stream_id,
          })
        ).status,
      ).toBe(204);
      await emitEvent(a.server, {
        type: SESSION_REVOKED,
        subject: { format: 'email', email: 'leaver@example.com' },
        payload: { initiating_entity: 'policy' },
      });

      // Both SETs are accepted by B (delivered at A) and stored at B.
      await waitFor(
        async () => {
          const [{ n }] = await a
            .knex('ssf_outbox')
            .where({ state: 'delivered' })
            .count({ n: '*' });
          return Number(n) === 2;
        },
        30_000,
        'A to see both SETs accepted',
      );
      const received = await asAdmin(b.server).get('/api/ssf/received-events');
      expect(received.status).toBe(200);
      const types = received.body.items
        .map((e: { event_type: string }) => e.event_type)
        .sort();
      expect(types).toEqual([SESSION_REVOKED, VERIFICATION].sort());
      const dead = await a.knex('ssf_outbox').where({ state: 'dead' });
      expect(dead).toEqual([]);
    } finally {
      await a.backend.stop();
      await b.backend.stop();
    }
  });

  it("lets B manage its stream at A: create, verify with B's own state, pause, delete", async () => {
    // A's issuer must be a URL B can fetch metadata from; the test backend
    // listens on a random port, so a small proxy on a known port stands for
    // A's public address.
    const proxy = await startProxy();
    const issuer = `${proxy.url}/api/ssf`;
    const a = await startSsfBackend({
      databases,
      id,
      config: loopbackTransmitter({ issuer }),
    });
    proxy.target(a.server.port());
    const b = await startReceiverBackend({
      databases,
      id,
      receiver: {
        audience: PORTAL_B_AUDIENCE,
        // B's OAuth credential at A (the test backend's mock token for
        // the client "portal-b").
        credentials: [
          {
            issuer,
            token: `mock-service-token:${JSON.stringify({
              sub: 'portal-b',
            })}`,
          },
        ],
      },
    });
    try {
      const api = asAdmin(b.server);
      const asPortalB = callerOf(a.server, clientAuth('portal-b'));
      const provider = (
        await api.post(PROVIDERS, {
          name: 'Portal A',
          type: 'SSF',
          settings: {
            well_known_url: `${issuer}/.well-known/ssf-configuration`,
          },
        })
      ).body;
      expect(provider.id).toBeDefined();
      const remote = `${PROVIDERS}/${provider.id}/remote-stream`;

      const created = await api.post(remote, {
        events_requested: [SESSION_REVOKED],
      });
      expect(created.status).toBe(201);
      // A's stream is owned by B's client and pushes to B's ingestion URL.
      // B sends no aud (SSF 1.0 §8.1.1: it is Transmitter-Supplied); A
      // chooses it (B's client ID) and B records it, so that A's SETs
      // naming it are accepted below.
      const atA = await asPortalB('get', '/api/ssf/streams');
      expect(atA.body).toHaveLength(1);
      expect(atA.body[0].aud).toBe('portal-b');
      expect(created.body.aud).toBe(atA.body[0].aud);
      expect(atA.body[0].delivery.endpoint_url).toMatch(
        /\/api\/ssf\/security-events$/,
      );

      const verify = await api.post(`${remote}/verify`);
      expect(verify.status).toBe(202);
      await waitFor(
        async () => {
          const p = (await api.get(`${PROVIDERS}/${provider.id}`)).body;
          return JSON.stringify(p).includes('last_verified_at') && p;
        },
        30_000,
        "B to record A's verification",
      );

      const paused = await api.post(`${remote}/status`, {
        status: 'paused',
        reason: 'maintenance',
      });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({
        status: 'paused',
        reason: 'maintenance',
      });

      const read = await api.get(remote);
      expect(read.body.stream_id).toBe(created.body.stream_id);

      expect((await api.delete(remote)).status).toBe(204);
      expect((await asPortalB('get', '/api/ssf/streams')).body).toEqual([]);
      const again = await api.get(remote);
      expect(again.status).toBe(400);
      expect(again.body.errorCauses[0].errorSummary).toMatch(
        /no stream at its transmitter/,
      );
    } finally {
      await a.backend.stop();
      await b.backend.stop();
      await proxy.close();
    }
  });
});

/** A reverse proxy on 127.0.0.1 standing for an instance's public address. */
async function startProxy() {
  let port = 0;
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      up => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    target(p: number) {
      port = p;
    },
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
