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

import { Config } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  isSubscribableEventType,
  SUBSCRIBABLE_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { readDurationMs } from '../config/readDurationMs';
import { OutboundUrlPolicy } from '../http/outboundUrlPolicy';

/** The transmitter's settings, read once from `ssf.transmitter`. @internal */
export interface TransmitterConfig {
  issuer: string;
  maxStreams: number;
  eventsSupported: string[];
  minVerificationIntervalSeconds: number;
  defaultSubjects: 'ALL' | 'NONE';
  signing: SigningConfig;
  urlPolicy: OutboundUrlPolicy;
  delivery: DeliveryConfig;
  /**
   * SSF 1.0 §8.1.1 `inactivity_timeout`, in whole seconds: a stream whose
   * receiver has not called for this long is paused. Off when absent.
   */
  inactivityTimeoutSeconds?: number;
}

/** How SETs are delivered. @internal */
export interface DeliveryConfig {
  timeoutMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  perStreamConcurrency: number;
  maxConcurrency: number;
  leaseDurationMs: number;
  pausedHoldLimit: number;
  pausedHoldMaxAgeMs: number;
  pollRedeliveryAfterMs: number;
  longPollTimeoutMs: number;
  historyRetentionMs: number;
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

const DEFAULT_MAX_STREAMS = 10;
const DEFAULT_MIN_VERIFICATION_INTERVAL: HumanDuration = { seconds: 30 };
const DEFAULT_ROTATION_INTERVAL: HumanDuration = { days: 30 };
const DEFAULT_RETIRED_KEY_RETENTION: HumanDuration = { days: 14 };
const MIN_KEY_ENCRYPTION_SECRET_LENGTH = 32;

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

  const d = t?.getOptionalConfig('delivery');
  const positiveInt = (key: string, fallback: number) => {
    const value = d?.getOptionalNumber(key) ?? fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(
        `ssf.transmitter.delivery.${key} must be a positive integer`,
      );
    }
    return value;
  };
  const delivery: DeliveryConfig = {
    timeoutMs: readDurationMs(d, 'timeout', { seconds: 10 }),
    maxAttempts: positiveInt('maxAttempts', 8),
    initialBackoffMs: readDurationMs(d, 'initialBackoff', { seconds: 1 }),
    maxBackoffMs: readDurationMs(d, 'maxBackoff', { minutes: 10 }),
    perStreamConcurrency: positiveInt('perStreamConcurrency', 16),
    maxConcurrency: positiveInt('maxConcurrency', 64),
    leaseDurationMs: readDurationMs(d, 'leaseDuration', { minutes: 1 }),
    pausedHoldLimit: positiveInt('pausedHoldLimit', 10_000),
    pausedHoldMaxAgeMs: readDurationMs(d, 'pausedHoldMaxAge', { days: 7 }),
    pollRedeliveryAfterMs: readDurationMs(d, 'pollRedeliveryAfter', {
      seconds: 30,
    }),
    longPollTimeoutMs: readDurationMs(d, 'longPollTimeout', { seconds: 20 }),
    historyRetentionMs: readDurationMs(d, 'historyRetention', { days: 7 }),
  };
  if (delivery.leaseDurationMs <= delivery.timeoutMs) {
    throw new Error(
      'ssf.transmitter.delivery.leaseDuration must be longer than ssf.transmitter.delivery.timeout',
    );
  }

  let inactivityTimeoutSeconds: number | undefined;
  if (t?.has('inactivityTimeout')) {
    // Whole seconds: the member has the syntax of RFC 6749 expires_in.
    inactivityTimeoutSeconds = Math.ceil(
      readDurationMs(t, 'inactivityTimeout', { seconds: 0 }) / 1000,
    );
    if (inactivityTimeoutSeconds < 1) {
      throw new Error(
        'ssf.transmitter.inactivityTimeout must be at least one second',
      );
    }
  }

  return {
    issuer,
    delivery,
    ...(inactivityTimeoutSeconds !== undefined && {
      inactivityTimeoutSeconds,
    }),
    maxStreams,
    eventsSupported,
    minVerificationIntervalSeconds: Math.ceil(
      readDurationMs(
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
      rotationIntervalMs: readDurationMs(
        s,
        'rotationInterval',
        DEFAULT_ROTATION_INTERVAL,
      ),
      retiredKeyRetentionMs: readDurationMs(
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
