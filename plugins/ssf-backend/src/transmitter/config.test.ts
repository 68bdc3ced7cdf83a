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

import { ConfigReader } from '@backstage/config';
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import { readTransmitterConfig } from './config';

const base = { backend: { baseUrl: 'https://portal.example.com/' } };
/** The transmitter config read from `transmitter`, or with no `ssf` key at all. */
const read = (transmitter?: object) =>
  readTransmitterConfig(
    new ConfigReader(transmitter ? { ...base, ssf: { transmitter } } : base),
  );
const DAY_MS = 24 * 3600 * 1000;

describe('readTransmitterConfig', () => {
  it('reads inactivityTimeout in whole seconds, off by default', () => {
    expect(read().inactivityTimeoutSeconds).toBeUndefined();
    expect(
      read({ inactivityTimeout: { hours: 1 } }).inactivityTimeoutSeconds,
    ).toBe(3600);
    // SSF 1.0 §8.1.1: the syntax of RFC 6749 expires_in, whole seconds.
    expect(
      read({ inactivityTimeout: { milliseconds: 1500 } })
        .inactivityTimeoutSeconds,
    ).toBe(2);
    expect(() => read({ inactivityTimeout: { seconds: 0 } })).toThrow(
      /inactivityTimeout must be at least one second/,
    );
  });

  it.each<[string, object | undefined, object]>([
    [
      'has secure, documented defaults',
      undefined,
      {
        issuer: 'https://portal.example.com/api/ssf',
        maxStreams: 10,
        minVerificationIntervalSeconds: 30,
        defaultSubjects: 'ALL',
        signing: {
          algorithm: 'RS256',
          rotationIntervalMs: 30 * DAY_MS,
          retiredKeyRetentionMs: 14 * DAY_MS,
        },
        urlPolicy: { allowInsecureUrls: false, allowPrivateNetworks: false },
      },
    ],
    [
      'reads every key',
      {
        issuer: 'https://ssf.example.com/',
        maxStreams: 3,
        eventsSupported: [SESSION_REVOKED],
        minVerificationInterval: { minutes: 2 },
        defaultSubjects: 'NONE',
        signing: {
          algorithm: 'ES256',
          keyEncryptionSecret: 'x'.repeat(32),
          rotationInterval: 'P7D',
          retiredKeyRetention: { days: 2 },
        },
        delivery: { allowInsecureUrls: true, allowPrivateNetworks: true },
      },
      {
        issuer: 'https://ssf.example.com',
        maxStreams: 3,
        minVerificationIntervalSeconds: 120,
        defaultSubjects: 'NONE',
        signing: {
          algorithm: 'ES256',
          rotationIntervalMs: 7 * DAY_MS,
          retiredKeyRetentionMs: 2 * DAY_MS,
        },
        urlPolicy: { allowInsecureUrls: true, allowPrivateNetworks: true },
      },
    ],
  ])('%s', (_, transmitter, expected) => {
    expect(read(transmitter)).toMatchObject(expected);
  });

  it('offers every CAEP and RISC type by default, and the Okta ones', () => {
    // 22 CAEP and RISC types, and the 3 Okta types only okta-profile streams are offered.
    expect(read().eventsSupported).toHaveLength(25);
  });

  it.each([
    [{ issuer: 'not a url' }, /issuer must be an absolute URL/],
    [{ maxStreams: 0 }, /maxStreams must be a positive integer/],
    [{ eventsSupported: ['urn:nope'] }, /unknown event types: urn:nope/],
    [{ defaultSubjects: 'SOME' }, /defaultSubjects must be 'ALL' or 'NONE'/],
    [
      { signing: { algorithm: 'HS256' } },
      /algorithm must be 'RS256' or 'ES256'/,
    ],
    [{ signing: { keyEncryptionSecret: 'short' } }, /at least 32 characters/],
  ])('refuses %p', (transmitter, message) => {
    expect(() => read(transmitter)).toThrow(message);
  });
});
