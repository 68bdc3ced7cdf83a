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

import { Knex } from 'knex';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { waitFor } from '../__testUtils__/receiver';
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  createPushStream,
  startSsfBackend,
  TestServer,
} from '../__testUtils__/testBackend';
import {
  addProvider,
  asAdmin,
  PROVIDERS,
  push,
} from '../receiver/__testUtils__/receiverBackend';
import { TestTransmitter } from '../receiver/__testUtils__/testTransmitter';
import { putRelayRule, relayPortalConfig } from './__testUtils__/relayPortal';

jest.setTimeout(120_000);

const A = {
  issuer: 'https://portal-a.example.com/api/ssf',
  audience: 'https://portal-a.example.com/receiver',
};
const B = {
  issuer: 'https://portal-b.example.com/api/ssf',
  audience: 'https://portal-b.example.com/receiver',
};

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The session-revoked SETs a portal has received. */
const receivedCount = (knex: Knex) =>
  knex('ssf_received_events')
    .where({ event_type: SESSION_REVOKED })
    .count({ n: '*' })
    .then(([{ n }]) => Number(n));

/** The SETs a portal's outbox holds with `txn`, by state. */
const outboxStates = (knex: Knex, txn: string) =>
  knex('ssf_outbox')
    .where({ txn })
    .select('state')
    .then(rows => rows.map(r => r.state));

// Two portals, each a provider of the other with a stream to the other, each
// relaying session-revoked from the other: the loop the relay must not make.
describeOnEachDatabase(
  'two portals relaying to each other',
  (databases, id) => {
    it('settle after one hop: a SET injected at A goes to B, and B does not relay it back', async () => {
      const a = await startSsfBackend({
        databases,
        id,
        config: relayPortalConfig(A),
      });
      const b = await startSsfBackend({
        databases,
        id,
        config: relayPortalConfig(B),
      });
      const upstream = await TestTransmitter.start();
      try {
        const base = (server: TestServer & { port(): number }) =>
          `http://127.0.0.1:${server.port()}/api/ssf`;
        const link = async (
          from: typeof a,
          fromPortal: typeof A,
          to: typeof b,
          toPortal: typeof B,
        ) => {
          // `to` knows `from` as a provider and relays what it sends …
          const provider = await asAdmin(to.server).post(PROVIDERS, {
            name: `Portal ${fromPortal.issuer}`,
            type: 'SSF',
            settings: {
              issuer: fromPortal.issuer,
              jwks_url: `${base(from.server)}/jwks`,
            },
          });
          expect(provider.status).toBe(200);
          await putRelayRule(to.server, provider.body.id, {
            event_types: [SESSION_REVOKED],
          }).expect(200);
          // … and `from` has a stream pushing to `to`.
          const stream = await createPushStream(
            from.server,
            `portal-${toPortal.issuer}`,
            `${base(to.server)}/security-events`,
            [SESSION_REVOKED],
            { aud: toPortal.audience },
          );
          expect(stream.status).toBe(201);
        };
        await link(a, A, b, B);
        await link(b, B, a, A);

        // An upstream provider of A, relayed too.
        const registered = await addProvider(a.server, upstream);
        await putRelayRule(a.server, registered.id, {
          event_types: [SESSION_REVOKED],
        }).expect(200);
        const set = await upstream.sign({ aud: A.audience, txn: 'injected' });
        expect((await push(a.server, set)).status).toBe(202);

        // A → B (relayed by A) and delivered; B stores it but does not relay
        // it back: it carries relayed_from, so it has had its one hop.
        await waitFor(
          async () =>
            (await outboxStates(a.knex, 'injected')).join() === 'delivered' &&
            (await receivedCount(b.knex)) === 1,
          60_000,
          'the SET to go to B',
        );
        const counts = async () => ({
          receivedAtA: await receivedCount(a.knex),
          receivedAtB: await receivedCount(b.knex),
          outboxA: await rowCount(a.knex, 'ssf_outbox'),
          outboxB: await rowCount(b.knex, 'ssf_outbox'),
        });
        const settled = await counts();
        expect(settled).toEqual({
          receivedAtA: 1,
          receivedAtB: 1,
          outboxA: 1,
          outboxB: 0,
        });
        // Long enough for several more rounds, had there been any.
        await sleep(2_000);
        expect(await counts()).toEqual(settled);
        expect(await outboxStates(a.knex, 'injected')).toEqual(['delivered']);
        expect(await outboxStates(b.knex, 'injected')).toEqual([]);
      } finally {
        await upstream.close();
        await a.backend.stop();
        await b.backend.stop();
      }
    });
  },
);
