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

import { useApi } from '@backstage/core-plugin-api';
import { DependencyList, useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { SsfApi, ssfApiRef } from '../../api';
import { SsfSignalChannel, SsfSignals, useSsfSignal } from './useSsfSignal';

/** The window the detail pages chart, in hours. */
export const HISTORY_HOURS = 24;

/** A history load, and a way to load it again. */
export type HistoryState<T> = {
  value?: T;
  loading: boolean;
  error?: Error;
  reload: () => void;
};

/**
 * A history a detail page charts, read through the SsfApi: again when
 * `deps` change, on `reload`, and when the backend signals on `channel` a
 * message that `isAbout` the charted item. A failed read is the state's
 * `error`, for the chart's card to show, not a thrown render error.
 */
export function useHistory<T, C extends SsfSignalChannel>(options: {
  read: (api: SsfApi) => Promise<T>;
  deps: DependencyList;
  channel: C;
  isAbout: (message: SsfSignals[C]) => boolean;
}): HistoryState<T> {
  const { read, deps, channel, isAbout } = options;
  const api = useApi(ssfApiRef);
  const [version, setVersion] = useState(0);
  // `read` is a new function each render; what it reads is in `deps`.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const state = useAsync(() => read(api), [api, ...deps, version]);
  const reload = useCallback(() => setVersion(v => v + 1), []);
  useSsfSignal(channel, messages => {
    if (messages.some(isAbout)) {
      reload();
    }
  });
  return { ...state, reload };
}
