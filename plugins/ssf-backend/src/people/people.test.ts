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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import { ACCOUNT_DISABLED, SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  clientAuth,
  createPushStream,
  emitEvent,
  startSsfBackend,
  TestServer,
  userAuth,
} from '../__testUtils__/testBackend';
import {
  addProvider,
  push,
  receiverConfig,
} from '../receiver/__testUtils__/receiverBackend';
import { useTestTransmitters } from '../receiver/__testUtils__/testTransmitter';
import {
  BOB,
  IDP_USER_ID,
  JANE,
  JANE_EMAIL,
  JANE_IDP_ID,
  PEOPLE,
} from './__testUtils__/people';

jest.setTimeout(90_000);

const OUR_ISSUER = 'https://portal.example.com/api/ssf';
const SIGNALS = '/api/ssf/people/signals';

/** Users of the test whose permissions are limited; anyone else may do anything. */
const GRANTS = new Map<string, string[]>([
  ['user:default/received-only', ['ssf.provider.read']],
  ['user:default/sent-only', ['ssf.stream.read']],
  ['user:default/neither', []],
]);

describeOnEachDatabase('signals about people', (databases, id) => {
  const t = useTestTransmitters({ idp: 'RS256' }, 'all');
  const cleanUp = useCleanups();

  async function start() {
    const receiver = await startTestReceiver();
    cleanUp(() => receiver.close());
    const { backend, server, knex } = await startSsfBackend({
      databases,
      id,
      config: {
        ssf: {
          ...(receiverConfig().ssf as object),
          transmitter: {
            issuer: OUR_ISSUER,
            delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
          },
          lifecycle: { defaultHooks: false, catalog: { enabled: false } },
          people: {
            identities: [{ issuer: t.idp.issuer, annotation: IDP_USER_ID }],
          },
        },
      },
      permission: (permission, principal) =>
        !GRANTS.has(principal) || GRANTS.get(principal)!.includes(permission)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      extraFeatures: [catalogServiceMock.factory({ entities: PEOPLE })],
    });
    cleanUp(() => backend.stop());
    const stream = await createPushStream(server, 'client-a', receiver.url, [
      SESSION_REVOKED,
    ]);
    expect(stream.status).toBe(201);
    const provider = await addProvider(server, t.idp, { name: 'Test IdP' });
    return {
      server,
      knex,
      receiver,
      providerId: provider.id as string,
      streamId: stream.body.stream_id as string,
    };
  }

  const signalsOf = (
    server: TestServer,
    query: Record<string, string>,
    authorization = userAuth(),
  ) =>
    request(server)
      .get(SIGNALS)
      .query(query)
      .set('Authorization', authorization);

  async function pushSet(server: TestServer, claims: Record<string, unknown>) {
    const set = await t.idp.sign(claims);
    const res = await push(server, set);
    expect(res.status).toBe(202);
    return claims.jti as string;
  }

  it('links received and sent SETs to the user by email and iss_sub, newest first', async () => {
    const { server, providerId, streamId, receiver } = await start();

    // RFC 9493 email, spelt differently from the catalog: mailboxes match
    // case-insensitively. CAEP 1.0 §3.1 reason_admin is a localised string.
    await pushSet(server, {
      jti: 'by-email',
      sub_id: { format: 'email', email: 'jane.doe@EXAMPLE.COM' },
      events: {
        [SESSION_REVOKED]: {
          initiating_entity: 'policy',
          reason_admin: {
            de: 'Neues Land',
            en: 'Signed in from a new country',
          },
        },
      },
    });
    // Pre-1.0 RISC (as Google sends it): no sub_id, the event's subject
    // with subject_type and the draft's "iss-sub"; RISC account-disabled's
    // `reason`. Matched through the configured issuer's annotation.
    await pushSet(server, {
      jti: 'by-idp-id',
      sub_id: undefined,
      events: {
        [ACCOUNT_DISABLED]: {
          subject: {
            subject_type: 'iss-sub',
            iss: t.idp.issuer,
            sub: JANE_IDP_ID,
          },
          reason: 'hijacking',
        },
      },
    });
    // SSF 1.0 §3.3 complex subject: its user member names Jane.
    await pushSet(server, {
      jti: 'complex',
      sub_id: {
        format: 'complex',
        user: { format: 'email', email: 'jane.doe@example.com' },
        device: { format: 'opaque', id: 'laptop-1' },
      },
    });
    // Not Jane: Bob, and Jane's id at the provider under another issuer.
    await pushSet(server, {
      jti: 'bob',
      sub_id: { format: 'email', email: 'bob@example.com' },
    });
    await pushSet(server, {
      jti: 'other-issuer',
      sub_id: {
        format: 'iss_sub',
        iss: 'https://other.example.com',
        sub: JANE_IDP_ID,
      },
    });

    // Sent: by email, and as the lifecycle hooks name a user (our issuer
    // and the entity ref); one about Bob.
    for (const subject of [
      { format: 'email', email: 'jane.doe@example.com' },
      { format: 'iss_sub', iss: OUR_ISSUER, sub: JANE },
      { format: 'email', email: 'bob@example.com' },
    ]) {
      await emitEvent(server, { type: SESSION_REVOKED, subject }).expect(202);
    }
    await waitFor(async () => receiver.received.length >= 3, 20_000, 'pushes');

    const res = await signalsOf(server, { entity_ref: JANE });
    expect(res.status).toBe(200);
    expect(res.body.entity_ref).toBe(JANE);
    expect(res.body.identities).toEqual([
      { format: 'email', email: JANE_EMAIL },
      { format: 'iss_sub', iss: OUR_ISSUER, sub: JANE },
      { format: 'iss_sub', iss: t.idp.issuer, sub: JANE_IDP_ID },
    ]);
    const received = res.body.received as Array<Record<string, unknown>>;
    expect(received.map(e => e.event_type)).toEqual([
      SESSION_REVOKED,
      ACCOUNT_DISABLED,
      SESSION_REVOKED,
    ]);
    expect(received[0]).toMatchObject({
      provider_id: providerId,
      provider_name: 'Test IdP',
      iss: t.idp.issuer,
      matched_by: { format: 'email', email: JANE_EMAIL },
    });
    expect(received[0]).not.toHaveProperty('reason');
    expect(received[1]).toMatchObject({
      reason: 'hijacking',
      matched_by: { format: 'iss_sub', iss: t.idp.issuer, sub: JANE_IDP_ID },
    });
    expect(received[2]).toMatchObject({
      reason: 'Signed in from a new country',
      matched_by: { format: 'email', email: JANE_EMAIL },
    });
    expect(Date.parse(received[2].received_at as string)).toBeLessThanOrEqual(
      Date.parse(received[0].received_at as string),
    );

    const sent = res.body.sent as Array<Record<string, unknown>>;
    expect(sent.map(e => e.matched_by)).toEqual([
      { format: 'iss_sub', iss: OUR_ISSUER, sub: JANE },
      { format: 'email', email: JANE_EMAIL },
    ]);
    for (const e of sent) {
      expect(e).toMatchObject({
        stream_id: streamId,
        event_type: SESSION_REVOKED,
      });
      expect(['pending', 'delivered']).toContain(e.state);
    }

    // Bob sees only his own.
    const bob = await signalsOf(server, { entity_ref: BOB });
    expect(bob.body.received).toHaveLength(1);
    expect(bob.body.sent).toHaveLength(1);

    // The limit applies to each list.
    const one = await signalsOf(server, { entity_ref: JANE, limit: '1' });
    expect(one.body.received).toHaveLength(1);
    expect(one.body.sent).toHaveLength(1);
  });

  it('shows each list only to holders of its read permission', async () => {
    const { server } = await start();
    await pushSet(server, {
      jti: 'j1',
      sub_id: { format: 'email', email: JANE_EMAIL },
    });
    await emitEvent(server, {
      type: SESSION_REVOKED,
      subject: { format: 'email', email: JANE_EMAIL },
    }).expect(202);

    const receivedOnly = await signalsOf(
      server,
      { entity_ref: JANE },
      userAuth('user:default/received-only'),
    );
    expect(receivedOnly.status).toBe(200);
    expect(receivedOnly.body.received).toHaveLength(1);
    expect(receivedOnly.body).not.toHaveProperty('sent');

    const sentOnly = await signalsOf(
      server,
      { entity_ref: JANE },
      userAuth('user:default/sent-only'),
    );
    expect(sentOnly.status).toBe(200);
    expect(sentOnly.body.sent).toHaveLength(1);
    expect(sentOnly.body).not.toHaveProperty('received');

    const neither = await signalsOf(
      server,
      { entity_ref: JANE },
      userAuth('user:default/neither'),
    );
    expect(neither.status).toBe(403);
    expect(neither.body.error.message).toMatch(
      /ssf\.provider\.read.*ssf\.stream\.read/,
    );
  });

  it('answers bad input with 4xx and says why', async () => {
    const { server } = await start();
    const cases: Array<[Record<string, string>, number, RegExp]> = [
      [{}, 400, /entity_ref is required/],
      [
        { entity_ref: 'group:default/security' },
        400,
        /User entity, not a group/,
      ],
      [{ entity_ref: 'user:default/' }, 400, /not an entity ref/],
      [{ entity_ref: JANE, limit: '0' }, 400, /limit/],
      [{ entity_ref: JANE, limit: 'many' }, 400, /limit/],
      [{ entity_ref: JANE, extra: '1' }, 400, /extra/],
      [
        { entity_ref: 'user:default/nobody' },
        404,
        /No user user:default\/nobody/,
      ],
    ];
    for (const [query, status, message] of cases) {
      const res = await signalsOf(server, query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.body.error.message).toMatch(message);
    }
    // A bare name is a user's.
    expect(
      (await signalsOf(server, { entity_ref: 'jane.doe' })).body.entity_ref,
    ).toBe(JANE);
    // Users only: no token is 401, a service's token 403 (httpAuth).
    expect(
      (
        await signalsOf(
          server,
          { entity_ref: JANE },
          mockCredentials.none.header(),
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await signalsOf(
          server,
          { entity_ref: JANE },
          clientAuth('plugin:other'),
        )
      ).status,
    ).toBe(403);
  });
});
