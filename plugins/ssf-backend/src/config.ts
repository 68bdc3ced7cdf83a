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
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  isSubscribableEventType,
  SUBSCRIBABLE_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';

/** The transmitter's settings, read once from `ssf.transmitter`. @internal */
export interface TransmitterConfig {
  issuer: string;
  maxStreams: number;
  eventsSupported: string[];
  minVerificationIntervalSeconds: number;
  defaultSubjects: 'ALL' | 'NONE';
  signing: SigningConfig;
  urlPolicy: OutboundUrlPolicy;
}

/** @internal */
export interface SigningConfig {
  algorithm: 'RS256' | 'ES256';
  privateKeyPem?: string;
  keyId?: string;
  keyEncryptionSecret?: string;
  rotationIntervalMs: number;
  retiredKeyRetentionMs: number;
}

/** Which outbound URLs the plugin may call. @internal */
export interface OutboundUrlPolicy {
  allowInsecureUrls: boolean;
  allowPrivateNetworks: boolean;
}

const DEFAULT_MAX_STREAMS = 10;
const DEFAULT_MIN_VERIFICATION_INTERVAL: HumanDuration = { seconds: 30 };
const DEFAULT_ROTATION_INTERVAL: HumanDuration = { days: 30 };
const DEFAULT_RETIRED_KEY_RETENTION: HumanDuration = { days: 14 };
const MIN_KEY_ENCRYPTION_SECRET_LENGTH = 32;

function readDuration(
  config: Config | undefined,
  key: string,
  fallback: HumanDuration,
): number {
  return durationToMilliseconds(
    config?.has(key) ? readDurationFromConfig(config, { key }) : fallback,
  );
}

/**
 * Reads and checks `ssf.transmitter`; a wrong value stops the backend at start
 * with a message naming the key, rather than misbehaving later.
 *
 * @internal
 */
export function readTransmitterConfig(config: Config): TransmitterConfig {
  const t = config.getOptionalConfig('ssf.transmitter');
  const baseUrl = config.getString('backend.baseUrl').replace(/\/+$/, '');
  const issuer = (
    t?.getOptionalString('issuer') ?? `${baseUrl}/api/ssf`
  ).replace(/\/+$/, '');
  assertAbsoluteUrl(issuer, 'ssf.transmitter.issuer');

  const maxStreams = t?.getOptionalNumber('maxStreams') ?? DEFAULT_MAX_STREAMS;
  if (!Number.isInteger(maxStreams) || maxStreams < 1) {
    throw new Error('ssf.transmitter.maxStreams must be a positive integer');
  }

  const eventsSupported = t?.getOptionalStringArray('eventsSupported') ?? [
    ...SUBSCRIBABLE_EVENT_TYPES,
  ];
  const unknown = eventsSupported.filter(e => !isSubscribableEventType(e));
  if (unknown.length) {
    throw new Error(
      `ssf.transmitter.eventsSupported holds unknown event types: ${unknown.join(
        ', ',
      )}`,
    );
  }

  const defaultSubjects = t?.getOptionalString('defaultSubjects') ?? 'ALL';
  if (defaultSubjects !== 'ALL' && defaultSubjects !== 'NONE') {
    throw new Error("ssf.transmitter.defaultSubjects must be 'ALL' or 'NONE'");
  }

  const s = t?.getOptionalConfig('signing');
  const algorithm = s?.getOptionalString('algorithm') ?? 'RS256';
  if (algorithm !== 'RS256' && algorithm !== 'ES256') {
    throw new Error(
      "ssf.transmitter.signing.algorithm must be 'RS256' or 'ES256'",
    );
  }
  const keyEncryptionSecret = s?.getOptionalString('keyEncryptionSecret');
  if (
    keyEncryptionSecret !== undefined &&
    keyEncryptionSecret.length < MIN_KEY_ENCRYPTION_SECRET_LENGTH
  ) {
    throw new Error(
      `ssf.transmitter.signing.keyEncryptionSecret must be at least ${MIN_KEY_ENCRYPTION_SECRET_LENGTH} characters`,
    );
  }

  return {
    issuer,
    maxStreams,
    eventsSupported,
    minVerificationIntervalSeconds: Math.ceil(
      readDuration(
        t,
        'minVerificationInterval',
        DEFAULT_MIN_VERIFICATION_INTERVAL,
      ) / 1000,
    ),
    defaultSubjects,
    signing: {
      algorithm,
      privateKeyPem: s?.getOptionalString('privateKey'),
      keyId: s?.getOptionalString('keyId'),
      keyEncryptionSecret,
      rotationIntervalMs: readDuration(
        s,
        'rotationInterval',
        DEFAULT_ROTATION_INTERVAL,
      ),
      retiredKeyRetentionMs: readDuration(
        s,
        'retiredKeyRetention',
        DEFAULT_RETIRED_KEY_RETENTION,
      ),
    },
    urlPolicy: {
      allowInsecureUrls:
        t?.getOptionalBoolean('delivery.allowInsecureUrls') ?? false,
      allowPrivateNetworks:
        t?.getOptionalBoolean('delivery.allowPrivateNetworks') ?? false,
    },
  };
}

function assertAbsoluteUrl(value: string, key: string) {
  try {
    // eslint-disable-next-line no-new
    new URL(value);
  } catch {
    throw new Error(`${key} must be an absolute URL, got '${value}'`);
  }
}
