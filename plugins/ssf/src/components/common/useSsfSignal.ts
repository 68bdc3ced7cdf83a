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

import { useApiHolder } from '@backstage/core-plugin-api';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/**
 * The signal channels the `ssf` backend publishes on, with their messages.
 * Messages carry only ids: a page that hears one reads the changed data
 * again through its API client, so nothing a user may not see travels on
 * the channel.
 */
export type SsfSignals = {
  /** A stream's status, delivery counts or verification result changed. */
  'ssf:streams': { kind: 'stream'; streamId: string };
  /** A provider sent a SET (accepted or rejected). */
  'ssf:received-events': { kind: 'received'; providerId: string };
  /** A hook fired, or a catalog reconciliation run finished. */
  'ssf:hooks': { kind: 'firing'; hookId: string } | { kind: 'reconcile' };
};

/** A channel of {@link SsfSignals}. */
export type SsfSignalChannel = keyof SsfSignals;

/** How long a burst of messages is gathered before one refetch. */
export const SIGNAL_DEBOUNCE_MS = 250;

/**
 * Whether the signals plugin is installed in this app. Without it the
 * pages do not update by themselves, and keep their Refresh buttons and
 * any polling.
 */
export function useSignalsAvailable(): boolean {
  return !!useApiHolder().get(signalApiRef);
}

/**
 * Calls `onSignal` with the messages heard on `channel`, gathered over
 * {@link SIGNAL_DEBOUNCE_MS} so that a burst (a delivery run finishing many
 * SETs) costs one refetch. Does nothing when the signals plugin is not
 * installed.
 *
 * Subscribes to the signal API itself rather than through `useSignal`:
 * that hook keeps only the last message in React state, so of two messages
 * arriving in one render (stream A, then stream B) a view of stream A would
 * only see B's and miss its refresh.
 *
 * Returns whether the page is live (the signals plugin is installed).
 */
export function useSsfSignal<C extends SsfSignalChannel>(
  channel: C,
  onSignal: (messages: SsfSignals[C][]) => void,
): boolean {
  const signals = useApiHolder().get(signalApiRef);
  // The latest callback, so that a new closure each render neither
  // resubscribes nor is called stale.
  const callback = useRef(onSignal);
  callback.current = onSignal;

  useEffect(() => {
    if (!signals) {
      return undefined;
    }
    let pending: SsfSignals[C][] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const subscription = signals.subscribe(channel, message => {
      pending.push(message as unknown as SsfSignals[C]);
      if (timer === undefined) {
        timer = setTimeout(() => {
          const messages = pending;
          pending = [];
          timer = undefined;
          callback.current(messages);
        }, SIGNAL_DEBOUNCE_MS);
      }
    });
    return () => {
      if (timer !== undefined) {
        clearTimeout(timer);
      }
      subscription.unsubscribe();
    };
  }, [signals, channel]);

  return !!signals;
}
