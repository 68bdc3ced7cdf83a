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

import { JsonObject } from '@backstage/types';
import { startSsfBackend } from '../../__testUtils__/testBackend';
import { transmitterApi } from './transmitterApi';

/**
 * Push delivery settings for tests: retries, back-off and timeouts in well
 * under a second, and receivers on loopback, over plain HTTP, allowed.
 */
export const FAST_DELIVERY = {
  allowInsecureUrls: true,
  allowPrivateNetworks: true,
  timeout: { milliseconds: 500 },
  initialBackoff: { milliseconds: 50 },
  maxBackoff: { milliseconds: 200 },
  maxAttempts: 4,
  leaseDuration: { seconds: 5 },
};

/**
 * Starts a test backend with only the SSF plugin, as `startSsfBackend` does;
 * what it returns also holds `api`, the transmitter's API on that backend.
 */
export async function startTransmitter(
  options: Parameters<typeof startSsfBackend>[0],
) {
  const started = await startSsfBackend(options);
  return { ...started, api: transmitterApi(started.server) };
}

/**
 * Starts a transmitter, as `startTransmitter` does, that pushes with
 * `FAST_DELIVERY` (changed by `delivery`) and has the other settings of
 * `transmitter`: for tests that push to a receiver on loopback.
 */
export async function startPushTransmitter(
  options: Parameters<typeof startSsfBackend>[0] & {
    transmitter?: JsonObject;
    delivery?: JsonObject;
  },
) {
  const { transmitter, delivery, config, ...rest } = options;
  return startTransmitter({
    ...rest,
    config: {
      ...config,
      ssf: {
        transmitter: {
          ...transmitter,
          delivery: { ...FAST_DELIVERY, ...delivery },
        },
      },
    },
  });
}
