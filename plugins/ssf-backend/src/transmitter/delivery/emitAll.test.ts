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
import { ConfigReader } from '@backstage/config';
import { decodeJwt } from 'jose';
import {
  createTestDatabases,
  itOnEachDatabase,
} from '../../__testUtils__/databases';
import { POLL, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { readTransmitterConfig } from '../config';
import { insertStreams, testStream } from '../__testUtils__/streamRecords';
import { createDelivery } from './createDelivery';

jest.setTimeout(60_000);

const ISSUER = 'https://portal.example.com/api/ssf';

// What the relay asks of the emitter: several events in the caller's
// transaction, each at most once per stream for its txn and type, with an
// extension claim beside the standard ones.
describe('TransmitterEmitter.emitAll', () => {
  const databases = createTestDatabases();

  async function emitterOn(knex: Parameters<typeof insertStreams>[0]) {
    const config = readTransmitterConfig(
      new ConfigReader({
        backend: { baseUrl: 'http://localhost:7007' },
        ssf: { transmitter: { issuer: ISSUER } },
      }),
    );
    const { emitter } = await createDelivery({
      config,
      knex,
      logger: mockServices.logger.mock(),
      owner: 'test',
    });
    // Poll streams: nothing is pushed while the test reads the outbox.
    await insertStreams(knex, [
      testStream('s1', {
        iss: ISSUER,
        delivery: { method: POLL, endpointUrl: `${ISSUER}/poll` },
      }),
      testStream('s2', {
        iss: ISSUER,
        delivery: { method: POLL, endpointUrl: `${ISSUER}/poll` },
      }),
    ]);
    return emitter;
  }

  const event = (txn: string, extra: object = {}) => ({
    type: SESSION_REVOKED,
    subject: { format: 'email' as const, email: 'alice@example.com' },
    payload: { event_timestamp: 1767225600 },
    txn,
    ...extra,
  });

  itOnEachDatabase(
    databases,
    'sends one SET per stream for a txn and type, across the group and the outbox',
    async knex => {
      const emitter = await emitterOn(knex);
      const results = await knex.transaction(tx =>
        emitter.emitAll(
          [
            event('t1', { oncePerStream: true }),
            event('t1', { oncePerStream: true }),
            // Without the option, a txn may be sent again.
            event('t2'),
            event('t2'),
          ],
          { tx },
        ),
      );
      expect(results.map(r => r.sets.length)).toEqual([2, 0, 2, 2]);

      // A later transaction sees the stored SETs.
      const again = await knex.transaction(tx =>
        emitter.emitAll([event('t1', { oncePerStream: true })], { tx }),
      );
      expect(again[0].sets).toEqual([]);
      const rows = await knex('ssf_outbox').where({ txn: 't1' });
      expect(rows.map(r => r.stream_id).sort()).toEqual(['s1', 's2']);
    },
  );

  itOnEachDatabase(
    databases,
    'adds extension claims but never lets one replace a standard claim',
    async knex => {
      const emitter = await emitterOn(knex);
      const [result] = await knex.transaction(tx =>
        emitter.emitAll(
          [
            event('t3', {
              extensionClaims: {
                relayed_from: { iss: 'https://upstream.example.com' },
                iss: 'https://forged.example.com',
                txn: 'forged',
              },
            }),
          ],
          { tx },
        ),
      );
      const row = await knex('ssf_outbox')
        .where({ jti: result.sets[0].jti })
        .first();
      expect(decodeJwt(row.set_jws)).toMatchObject({
        iss: ISSUER,
        txn: 't3',
        relayed_from: { iss: 'https://upstream.example.com' },
      });
    },
  );
});
