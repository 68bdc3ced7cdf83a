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

import request from 'supertest';
import {
  ADMIN,
  componentLocation,
  databases,
  startPortal,
  waitFor,
} from './__testUtils__/portal';

jest.setTimeout(120_000);

// Spec literal, written out (RFC 8936 poll delivery).
const POLL = 'urn:ietf:rfc:8936';
/** A transmitter registered by issuer and JWKS URL (never fetched here). */
const IDP = {
  issuer: 'https://idp.example.com',
  jwks_url: 'https://idp.example.com/jwks',
};

// A stream's or provider's `owner` and `consumer` in the catalog: the owner
// is the resource's spec.owner, and the catalog gives the consumer a
// dependsOn relation to the resource.
describe.each(databases.eachSupportedId())(
  'owners and consumers of SSF entities on %p',
  id => {
    it('makes the resource owned by the owner and gives the consumer component a dependsOn relation, until it is removed', async () => {
      const { backend, refresh, entity } = await startPortal(id, {
        config: {
          catalog: componentLocation('payments', 'group:default/payments-team'),
        },
      });
      try {
        const api = request(backend.server);
        const stream = await api
          .post('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({
            delivery: { method: POLL },
            owner: 'security',
            consumer: 'Payments',
          });
        expect(stream.status).toBe(201);
        const streamId: string = stream.body.stream_id;
        const provider = await api
          .post('/api/ssf/security-events-providers')
          .set('Authorization', ADMIN)
          .send({
            name: 'Payments IdP',
            type: 'ssf',
            settings: IDP,
            consumer: 'component:default/payments',
          });
        expect(provider.status).toBe(200);
        const providerId: string = provider.body.id;
        // Relations name their targets in lower case, as the catalog
        // compares refs; provider IDs are mixed case.
        const providerRef =
          `resource:default/ssf-provider-${providerId}`.toLowerCase();

        await refresh();
        const streamEntity = await waitFor('the stream entity', () =>
          entity(`ssf-stream-${streamId}`),
        );
        expect(streamEntity.spec).toMatchObject({
          type: 'ssf-stream',
          owner: 'group:default/security',
          dependencyOf: ['component:default/payments'],
        });
        expect(streamEntity.relations).toEqual(
          expect.arrayContaining([
            { type: 'ownedBy', targetRef: 'group:default/security' },
            { type: 'dependencyOf', targetRef: 'component:default/payments' },
          ]),
        );
        // A provider without an owner keeps the module's default owner.
        const providerEntity = await waitFor('the provider entity', () =>
          entity(`ssf-provider-${providerId}`),
        );
        expect(providerEntity.spec).toMatchObject({
          owner: 'group:default/ssf-admins',
          dependencyOf: ['component:default/payments'],
        });

        const component = async () => {
          const res = await api
            .get('/api/catalog/entities/by-name/component/default/payments')
            .set('Authorization', ADMIN);
          return res.status === 200 ? res.body : undefined;
        };
        const dependsOn = (e: any): string[] =>
          (e?.relations ?? [])
            .filter((r: { type: string }) => r.type === 'dependsOn')
            .map((r: { targetRef: string }) => r.targetRef)
            .sort();
        const consumer = await waitFor(
          "the component's dependsOn relations",
          async () => {
            const e = await component();
            return dependsOn(e).length === 2 ? e : undefined;
          },
        );
        expect(consumer.relations).toEqual(
          expect.arrayContaining([
            {
              type: 'dependsOn',
              targetRef: `resource:default/ssf-stream-${streamId}`,
            },
            { type: 'dependsOn', targetRef: providerRef },
          ]),
        );
        // The component's own owner is untouched.
        expect(consumer.spec.owner).toBe('group:default/payments-team');

        // The stream no longer names a consumer: within a refresh, the
        // component no longer depends on it.
        const cleared = await api
          .patch('/api/ssf/streams')
          .set('Authorization', ADMIN)
          .send({ stream_id: streamId, consumer: null });
        expect(cleared.status).toBe(200);
        await refresh();
        const after = await waitFor('the stream relation to go', async () => {
          const e = await component();
          return dependsOn(e).length === 1 ? e : undefined;
        });
        expect(dependsOn(after)).toEqual([providerRef]);
      } finally {
        await backend.stop();
      }
    });
  },
);
