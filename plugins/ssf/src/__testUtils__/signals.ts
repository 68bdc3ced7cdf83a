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

import { SignalApi, SignalSubscriber } from '@backstage/plugin-signals-react';
import { act } from '@testing-library/react';

/**
 * A signal API that delivers what the test publishes, as the signals
 * plugin's client delivers what the backend publishes.
 */
export class MockSignalApi implements SignalApi {
  readonly #subscribers = new Map<string, Set<(message: any) => void>>();

  subscribe: SignalApi['subscribe'] = (
    channel,
    onMessage,
  ): SignalSubscriber => {
    const set = this.#subscribers.get(channel) ?? new Set();
    set.add(onMessage);
    this.#subscribers.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  };

  /** How many components listen on `channel`. */
  listeners(channel: string): number {
    return this.#subscribers.get(channel)?.size ?? 0;
  }

  /** Delivers `message` on `channel`, inside `act`. */
  publish(channel: string, message: object): void {
    act(() => {
      for (const listener of this.#subscribers.get(channel) ?? []) {
        listener(message);
      }
    });
  }
}
