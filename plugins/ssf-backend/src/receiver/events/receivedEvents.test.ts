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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeOnEachDatabase } from '../../__testUtils__/databases';
import {
  CREDENTIAL_CHANGE,
  PUSH,
  SESSION_REVOKED,
} from '../../__testUtils__/specUris';
import {
  addProvider,
  asAdmin,
  push,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import { useTestTransmitters } from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

const LIST = '/api/ssf/received-events';

describeOnEachDatabase('received events listing', (databases, id) => {
  const t = useTestTransmitters({ a: 'RS256', b: 'ES256' }, 'all');

  it('filters by provider, event type, subject and time, and pages newest first', async () => {
    const { server } = await startReceiverBackend({ databases, id });
    const pa = await addProvider(server, t.a);
    const pb = await addProvider(server, t.b);
    const bob = { format: 'email', email: 'bob@example.com' };
    for (let i = 0; i < 5; i++) {
      expect(
        (await push(server, await t.a.sign({ jti: `a${i}` }))).status,
      ).toBe(202);
    }
    expect(
      (
        await push(
          server,
          await t.b.sign({
            jti: 'b0',
            sub_id: bob,
            events: { [CREDENTIAL_CHANGE]: { change_type: 'update' } },
          }),
        )
      ).status,
    ).toBe(202);
    // received_at has millisecond resolution and `since` is inclusive:
    // let the clock move past b0 before taking the boundary, and past the
    // boundary before b1, so the two cannot share its millisecond.
    await sleep(5);
    const middle = new Date().toISOString();
    await sleep(5);
    expect(
      (await push(server, await t.b.sign({ jti: 'b1', sub_id: bob }))).status,
    ).toBe(202);

    const all = await asAdmin(server).get(LIST);
    expect(all.status).toBe(200);
    expect(all.body.items.map((e: any) => e.jti)).toEqual([
      'b1',
      'b0',
      'a4',
      'a3',
      'a2',
      'a1',
      'a0',
    ]);
    expect(all.body).not.toHaveProperty('next_cursor');
    expect(all.body.items[1]).toEqual({
      id: expect.any(String),
      provider_id: pb.id,
      iss: t.b.issuer,
      jti: 'b0',
      event_type: CREDENTIAL_CHANGE,
      event_types: [CREDENTIAL_CHANGE],
      subject: { format: 'email', value: 'bob@example.com' },
      sub_id: bob,
      txn: expect.any(String),
      iat: expect.any(String),
      received_at: expect.any(String),
      delivery_method: PUSH,
      events: { [CREDENTIAL_CHANGE]: { change_type: 'update' } },
    });

    const jtis = async (query: Record<string, string>) => {
      const res = await request(server).get(LIST).query(query);
      expect(res.status).toBe(200);
      return res.body.items.map((e: any) => e.jti);
    };
    expect(await jtis({ provider_id: pa.id })).toEqual([
      'a4',
      'a3',
      'a2',
      'a1',
      'a0',
    ]);
    expect(await jtis({ event_type: CREDENTIAL_CHANGE })).toEqual(['b0']);
    expect(await jtis({ subject: 'bob@example.com' })).toEqual(['b1', 'b0']);
    expect(
      await jtis({ subject: 'bob@example.com', event_type: SESSION_REVOKED }),
    ).toEqual(['b1']);
    expect(await jtis({ since: middle })).toEqual(['b1']);
    expect(await jtis({ until: middle })).toHaveLength(6);

    // Pages of 3, following next_cursor.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await request(server)
        .get(LIST)
        .query({ limit: '3', ...(cursor && { cursor }) });
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((e: any) => e.jti));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['b1', 'b0', 'a4', 'a3', 'a2', 'a1', 'a0']);

    // One event, with the raw SET.
    const one = await request(server).get(`${LIST}/${all.body.items[0].id}`);
    expect(one.status).toBe(200);
    expect(one.body.set.split('.')).toHaveLength(3);
    expect(one.body.claims.jti).toBe('b1');
    expect((await request(server).get(`${LIST}/999999`)).status).toBe(404);
    expect((await request(server).get(`${LIST}/nope`)).status).toBe(404);
  });

  it.each([
    [{ limit: '0' }, /limit must be between 1 and 200/],
    [{ limit: 'ten' }, /limit must be a whole number/],
    [{ since: 'yesterday' }, /since/],
    [{ cursor: 'abc' }, /cursor/],
    [{ colour: 'red' }, /colour/],
    [
      { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      /since must be before until/,
    ],
  ])('refuses %p with 400', async (query, message) => {
    const { server } = await startReceiverBackend({ databases, id });
    const res = await request(server).get(LIST).query(query);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(res.body.error.message).toMatch(message);
  });

  it('requires ssf.provider.read', async () => {
    const { server } = await startReceiverBackend({
      databases,
      id,
      permission: AuthorizeResult.DENY,
    });
    const res = await request(server).get(LIST);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/ssf\.provider\.read/);
  });
});
