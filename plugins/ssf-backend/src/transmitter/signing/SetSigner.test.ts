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
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { SigningKeyStore } from './SigningKeyStore';
import { SigningKeyManager } from './SigningKeyManager';
import {
  createTestDatabases,
  migratedDatabase,
} from '../../__testUtils__/databases';
import { SetSigner } from './SetSigner';

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

describe('SetSigner', () => {
  const databases = createTestDatabases();

  it('signs SETs that verify with the published keys', async () => {
    const knex = await migratedDatabase(databases, 'SQLITE_3');
    const keys = new SigningKeyManager({
      store: new SigningKeyStore(knex),
      config: {
        algorithm: 'ES256',
        rotationIntervalMs: 86_400_000,
        retiredKeyRetentionMs: 86_400_000,
      },
      logger: mockServices.logger.mock(),
    });
    try {
      const signer = new SetSigner(keys, {
        now: () => new Date('2026-11-22T10:00:00Z'),
      });
      const sets = await Promise.all(
        Array.from({ length: 5 }, (_x, i) =>
          signer.sign({
            iss: 'https://portal.example.com/api/ssf',
            aud: ['a', 'b'],
            txn: 'txn-1',
            subject: { format: 'opaque', id: `u${i}` },
            eventType: SESSION_REVOKED,
            payload: { initiating_entity: 'policy' },
          }),
        ),
      );
      const jwks = createLocalJWKSet(await keys.getJwks());
      for (const [i, set] of sets.entries()) {
        const { payload } = await jwtVerify(set.jws, jwks, {
          issuer: 'https://portal.example.com/api/ssf',
          audience: 'a',
          typ: 'secevent+jwt',
          currentDate: new Date('2026-11-22T10:00:00Z'),
        });
        expect(payload).toEqual({
          iss: 'https://portal.example.com/api/ssf',
          aud: ['a', 'b'],
          iat: 1795341600,
          jti: set.jti,
          txn: 'txn-1',
          sub_id: { format: 'opaque', id: `u${i}` },
          events: { [SESSION_REVOKED]: { initiating_entity: 'policy' } },
        });
        expect(decodeProtectedHeader(set.jws)).toMatchObject({
          alg: 'ES256',
          typ: 'secevent+jwt',
        });
      }
      expect(new Set(sets.map(s => s.jti)).size).toBe(5);
    } finally {
      await knex.destroy();
    }
  });
});
