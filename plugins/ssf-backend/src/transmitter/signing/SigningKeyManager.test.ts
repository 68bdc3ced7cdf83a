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
import {
  createLocalJWKSet,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { Knex } from 'knex';
import { generateKeyPairSync } from 'node:crypto';
import { SigningConfig } from '../config';
import { SigningKeyStore } from './SigningKeyStore';
import {
  createTestDatabases,
  itOnEachDatabase,
  rowCount,
} from '../../__testUtils__/databases';
import { SigningKeyManager } from './SigningKeyManager';

jest.setTimeout(60_000);

const DAY = 24 * 60 * 60 * 1000;
const SECRET = 'a-key-encryption-secret-of-32-chars-or-more';

function signingConfig(overrides: Partial<SigningConfig> = {}): SigningConfig {
  return {
    algorithm: 'RS256',
    rotationIntervalMs: 30 * DAY,
    retiredKeyRetentionMs: 14 * DAY,
    ...overrides,
  };
}

async function signAndVerify(manager: SigningKeyManager) {
  const key = await manager.getSigningKey();
  const jwt = await new SignJWT({ hello: 'world' })
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
  const { payload, protectedHeader } = await jwtVerify(
    jwt,
    createLocalJWKSet(await manager.getJwks()),
  );
  expect(payload.hello).toBe('world');
  return protectedHeader.kid;
}

describe('SigningKeyManager', () => {
  const databases = createTestDatabases();
  const logger = mockServices.logger.mock();

  /** A manager keeping its keys in `knex`, as each replica's does. */
  const managerOn = (knex: Knex, config: SigningConfig, now?: () => Date) =>
    new SigningKeyManager({
      store: new SigningKeyStore(knex),
      config,
      logger,
      now,
    });

  itOnEachDatabase(
    databases,
    'generates an RS256 key of at least 2048 bits and publishes only its public part',
    async knex => {
      const manager = managerOn(knex, signingConfig());
      const kid = await signAndVerify(manager);
      const { keys } = await manager.getJwks();
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({
        kid,
        kty: 'RSA',
        alg: 'RS256',
        use: 'sig',
      });
      expect(
        Buffer.from(keys[0].n!, 'base64url').length * 8,
      ).toBeGreaterThanOrEqual(2048);
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
        expect(keys[0]).not.toHaveProperty(secret);
      }
      // Without an encryption secret the private key never reaches the database.
      const rows = await knex('ssf_signing_keys');
      expect(rows[0].private_jwe).toBeNull();
    },
  );

  itOnEachDatabase(
    databases,
    'shares one encrypted key between replicas and restarts',
    async knex => {
      const config = signingConfig({
        algorithm: 'ES256',
        keyEncryptionSecret: SECRET,
      });
      const first = managerOn(knex, config);
      const kid = await signAndVerify(first);

      const second = managerOn(knex, config);
      expect(await signAndVerify(second)).toBe(kid);

      const [row] = await knex('ssf_signing_keys');
      expect(row.private_jwe.split('.')).toHaveLength(5); // a compact JWE
      expect(row.private_jwe).not.toContain('"d"');

      // A different secret cannot read the stored key, so a new one is made.
      const other = managerOn(knex, {
        ...config,
        keyEncryptionSecret: `${SECRET}-rotated`,
      });
      expect(await signAndVerify(other)).not.toBe(kid);
    },
  );

  itOnEachDatabase(
    databases,
    'rotates, keeps the retired key published for the retention, then drops it',
    async knex => {
      let now = new Date('2026-11-01T00:00:00Z');
      const manager = managerOn(
        knex,
        signingConfig({ algorithm: 'ES256' }),
        () => now,
      );
      const first = (await manager.getSigningKey()).kid;

      now = new Date(now.getTime() + 31 * DAY);
      // A retired key keeps signing until its successor is stored...
      expect((await manager.getSigningKey()).kid).toBe(first);
      const second = (await manager.refresh()).kid;
      expect(second).not.toBe(first);
      // ...which then signs.
      expect((await manager.getSigningKey()).kid).toBe(second);
      expect((await manager.getJwks()).keys.map(k => k.kid)).toEqual([
        second,
        first,
      ]);

      now = new Date(now.getTime() + 14 * DAY);
      expect((await manager.getJwks()).keys.map(k => k.kid)).toEqual([second]);
      expect(await rowCount(knex, 'ssf_signing_keys')).toBe(1);
    },
  );

  it('signs with a configured PEM key and publishes it under its thumbprint', async () => {
    const { privateKey } = await generateKeyPair('ES256', {
      extractable: true,
    });
    const pem = await exportPKCS8(privateKey);
    const manager = new SigningKeyManager({
      store: {
        listPublished: jest.fn(),
        add: jest.fn(),
      } as unknown as SigningKeyStore,
      config: signingConfig({ algorithm: 'ES256', privateKeyPem: pem }),
      logger,
    });
    const kid = await signAndVerify(manager);
    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await manager.getJwks()).keys).toHaveLength(1);
  });

  it('refuses a configured RSA key shorter than 2048 bits', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const manager = new SigningKeyManager({
      store: {} as SigningKeyStore,
      config: signingConfig({
        privateKeyPem: privateKey.export({
          type: 'pkcs8',
          format: 'pem',
        }) as string,
      }),
      logger,
    });
    await expect(manager.getSigningKey()).rejects.toThrow(/2048 bits/);
  });

  it('refuses a configured key that is not a PEM', async () => {
    const manager = new SigningKeyManager({
      store: {} as SigningKeyStore,
      config: signingConfig({ privateKeyPem: 'not a key' }),
      logger,
    });
    await expect(manager.getSigningKey()).rejects.toThrow(
      'ssf.transmitter.signing.privateKey is not a PKCS#8 PEM RS256 private key',
    );
  });
});
