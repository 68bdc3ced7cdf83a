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

import {
  CompactEncrypt,
  compactDecrypt,
  exportJWK,
  generateKeyPair,
  JWK,
} from 'jose';
import { randomBytes } from 'node:crypto';
import {
  createTestDatabases,
  itOnEachDatabaseWith,
} from '../../__testUtils__/databases';
import { SigningKeyStore, StoredSigningKey } from './SigningKeyStore';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const T0 = new Date('2026-11-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

/** A key row; times are relative to T0 in days. */
function key(
  kid: string,
  overrides: Partial<StoredSigningKey> & {
    created?: number;
    retire?: number;
    expires?: number;
  } = {},
): StoredSigningKey {
  const { created = 0, retire = 30, expires = 44, ...rest } = overrides;
  return {
    kid,
    algorithm: 'RS256',
    publicJwk: {
      kty: 'RSA',
      kid,
      alg: 'RS256',
      use: 'sig',
      n: 'AQAB',
      e: 'AQAB',
    },
    privateJwe: `protected.${kid}.iv.ciphertext.tag`,
    createdAt: at(created * DAY),
    retireAt: at(retire * DAY),
    expiresAt: at(expires * DAY),
    ...rest,
  };
}

const kidsOf = (keys: StoredSigningKey[]) => keys.map(k => k.kid);

// Three keys that follow each other every 10 days, each published until 10
// days after it retires.
const k1 = key('k1', { created: 0, retire: 10, expires: 20 });
const k2 = key('k2', { created: 10, retire: 20, expires: 30 });
const k3 = key('k3', { created: 20, retire: 30, expires: 40 });

describe('SigningKeyStore', () => {
  const databases = createTestDatabases();

  /** A test of a key store on an empty database, once on each database. */
  const itWithStore = itOnEachDatabaseWith(
    databases,
    knex => new SigningKeyStore(knex),
  );

  // A real key, encrypted the way SigningKeyManager stores it (JWE dir/A256GCM).
  let real: {
    publicJwk: JWK;
    privateJwk: JWK;
    privateJwe: string;
    secret: Uint8Array;
  };
  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const privateJwk = await exportJWK(privateKey);
    const secret = new Uint8Array(randomBytes(32));
    const privateJwe = await new CompactEncrypt(
      new TextEncoder().encode(JSON.stringify(privateJwk)),
    )
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: 'real' })
      .encrypt(secret);
    real = {
      publicJwk: {
        ...(await exportJWK(publicKey)),
        kid: 'real',
        alg: 'RS256',
        use: 'sig',
      },
      privateJwk,
      privateJwe,
      secret,
    };
  });

  itWithStore(
    'round-trips a key and its encrypted private part exactly',
    async store => {
      const stored = key('real', {
        publicJwk: real.publicJwk,
        privateJwe: real.privateJwe,
      });
      await store.add(stored);

      const active = await store.findNewestActive('RS256', T0);
      expect(active).toEqual(stored);
      expect(active!.privateJwe).toBe(real.privateJwe);
      // The stored JWE still decrypts to the very private key.
      const { plaintext } = await compactDecrypt(
        active!.privateJwe!,
        real.secret,
      );
      expect(JSON.parse(new TextDecoder().decode(plaintext))).toEqual(
        real.privateJwk,
      );
      expect(await store.listPublished(T0)).toEqual([stored]);

      // A key held in memory only has no stored private part.
      const memoryOnly = key('memory-only', {
        created: 1,
        privateJwe: undefined,
      });
      await store.add(memoryOnly);
      const published = await store.listPublished(at(DAY));
      expect(published[0]).toEqual(memoryOnly);
      expect(published[0].privateJwe).toBeUndefined();

      // A kid is stored once.
      await expect(store.add(key('real'))).rejects.toThrow();
    },
  );

  itWithStore('finds the newest key that may still sign', async store => {
    expect(await store.findNewestActive('RS256', T0)).toBeUndefined();

    await store.add(key('old', { created: 0, retire: 30 }));
    await store.add(key('newer', { created: 10, retire: 20 }));
    // Newer still, but of no use for signing after a restart.
    await store.add(key('no-private', { created: 12, privateJwe: undefined }));
    await store.add(
      key('es256', {
        created: 15,
        algorithm: 'ES256',
        publicJwk: { kty: 'EC', crv: 'P-256', kid: 'es256', x: 'x', y: 'y' },
      }),
    );

    expect((await store.findNewestActive('RS256', at(12 * DAY)))?.kid).toBe(
      'newer',
    );
    expect((await store.findNewestActive('ES256', at(12 * DAY)))?.kid).toBe(
      'es256',
    );
    // From its retirement on, a key signs nothing new.
    expect((await store.findNewestActive('RS256', at(20 * DAY)))?.kid).toBe(
      'old',
    );
    expect(await store.findNewestActive('RS256', at(30 * DAY))).toBeUndefined();
    expect(await store.findNewestActive('PS256', T0)).toBeUndefined();
  });

  itWithStore('publishes keys until they expire, newest first', async store => {
    // Stored out of order: the newest first is the store's doing.
    for (const k of [k1, k3, k2]) await store.add(k);

    expect(kidsOf(await store.listPublished(at(15 * DAY)))).toEqual([
      'k3',
      'k2',
      'k1',
    ]);
    // A retired key stays published (SETs it signed must still verify)
    // until it expires.
    expect(kidsOf(await store.listPublished(at(20 * DAY)))).toEqual([
      'k3',
      'k2',
    ]);
    expect(kidsOf(await store.listPublished(at(35 * DAY)))).toEqual(['k3']);
    expect(await store.listPublished(at(40 * DAY))).toEqual([]);
  });

  itWithStore('deletes keys that are no longer published', async store => {
    for (const k of [k1, k2, k3]) await store.add(k);

    expect(await store.deleteExpired(at(19 * DAY))).toBe(0);
    expect(await store.deleteExpired(at(30 * DAY))).toBe(2);
    // Deleted, not merely hidden: asking about an earlier time finds only k3.
    expect(kidsOf(await store.listPublished(T0))).toEqual(['k3']);
    expect(await store.deleteExpired(at(30 * DAY))).toBe(0);
  });
});
