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

import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { readDurationMs } from '../config/readDurationMs';
import { OutboundUrlPolicy } from '../http/outboundUrlPolicy';

/** A credential for calling a provider's transmitter (poll, stream management). @internal */
export type TransmitterCredential =
  | { issuer: string; token: string }
  | {
      issuer: string;
      tokenUrl: string;
      clientId: string;
      clientSecret: string;
      scope?: string;
      audience?: string;
    };

/** The receiver's settings, read once from `ssf.receiver`. @internal */
export interface ReceiverConfig {
  /** Accepted `aud` values; a SET must name at least one. */
  audience: string[];
  urlPolicy: OutboundUrlPolicy;
  clockSkewMs: number;
  maxSetBytes: number;
  providerCacheTtlMs: number;
  keys: {
    cacheTtlMs: number;
    refetchCooldownMs: number;
    fetchTimeoutMs: number;
  };
  poll: {
    enabled: boolean;
    frequency: HumanDuration;
    maxEvents: number;
    timeoutMs: number;
  };
  credentials: TransmitterCredential[];
}

const DEFAULT_MAX_SET_BYTES = 64 * 1024;

/**
 * Reads and checks `ssf.receiver`; a wrong value stops the backend at start
 * with a message naming the key.
 *
 * @internal
 */
export function readReceiverConfig(
  config: Config,
  options: { baseUrl: string },
): ReceiverConfig {
  const r = config.getOptionalConfig('ssf.receiver');
  const delivery = config.getOptionalConfig('ssf.transmitter.delivery');

  const audienceValue = r?.getOptional('audience');
  let audience: string[];
  if (audienceValue === undefined) {
    audience = [options.baseUrl];
  } else if (typeof audienceValue === 'string') {
    audience = [audienceValue];
  } else {
    audience = r!.getStringArray('audience');
  }
  if (audience.length === 0 || audience.some(a => !a)) {
    throw new Error('ssf.receiver.audience must not be empty');
  }

  const maxSetBytes =
    r?.getOptionalNumber('maxSetBytes') ?? DEFAULT_MAX_SET_BYTES;
  if (!Number.isInteger(maxSetBytes) || maxSetBytes < 1024) {
    throw new Error(
      'ssf.receiver.maxSetBytes must be an integer of at least 1024',
    );
  }

  const k = r?.getOptionalConfig('keys');
  const p = r?.getOptionalConfig('poll');
  const maxEvents = p?.getOptionalNumber('maxEvents') ?? 100;
  if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > 1000) {
    throw new Error(
      'ssf.receiver.poll.maxEvents must be an integer from 1 to 1000',
    );
  }
  const frequency: HumanDuration = p?.has('frequency')
    ? readDurationFromConfig(p, { key: 'frequency' })
    : { seconds: 30 };

  const credentials: TransmitterCredential[] = (
    r?.getOptionalConfigArray('credentials') ?? []
  ).map((c, i) => {
    const issuer = c.getString('issuer').replace(/\/+$/, '');
    const token = c.getOptionalString('token');
    if (token !== undefined) {
      return { issuer, token };
    }
    if (!c.has('tokenUrl')) {
      throw new Error(
        `ssf.receiver.credentials[${i}] needs either token, or tokenUrl, clientId and clientSecret`,
      );
    }
    return {
      issuer,
      tokenUrl: c.getString('tokenUrl'),
      clientId: c.getString('clientId'),
      clientSecret: c.getString('clientSecret'),
      scope: c.getOptionalString('scope'),
      audience: c.getOptionalString('audience'),
    };
  });

  return {
    audience,
    urlPolicy: {
      allowInsecureUrls:
        r?.getOptionalBoolean('allowInsecureUrls') ??
        delivery?.getOptionalBoolean('allowInsecureUrls') ??
        false,
      allowPrivateNetworks:
        r?.getOptionalBoolean('allowPrivateNetworks') ??
        delivery?.getOptionalBoolean('allowPrivateNetworks') ??
        false,
    },
    clockSkewMs: readDurationMs(r, 'clockSkew', { minutes: 1 }),
    maxSetBytes,
    providerCacheTtlMs: readDurationMs(r, 'providerCacheTtl', { seconds: 5 }),
    keys: {
      cacheTtlMs: readDurationMs(k, 'cacheTtl', { hours: 1 }),
      refetchCooldownMs: readDurationMs(k, 'refetchCooldown', { seconds: 30 }),
      fetchTimeoutMs: readDurationMs(k, 'fetchTimeout', { seconds: 5 }),
    },
    poll: {
      enabled: p?.getOptionalBoolean('enabled') ?? true,
      frequency,
      maxEvents,
      timeoutMs: readDurationMs(p, 'timeout', { seconds: 30 }),
    },
    credentials,
  };
}
