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

import { ReactNode } from 'react';
import { ErrorPanel } from './ErrorPanel';
import { LoadingState } from './LoadingState';

/** A load from the backend as `useAsyncRetry` gives it, and a way to retry. */
export type AsyncLoad = { loading: boolean; error?: Error; retry: () => void };

/**
 * A list fetched from the backend, in whichever of its states it is: the
 * error (with a retry), placeholder lines on the first load, what to show
 * when it is empty, or the items themselves (kept, marked stale by the
 * caller, while a reload runs).
 */
export function AsyncList<T>(props: {
  load: AsyncLoad;
  items: T[] | undefined;
  /** What the placeholder announces, e.g. "Loading hooks…". */
  loadingLabel: string;
  /** The error panel's title, e.g. "Could not load the hooks". */
  errorTitle: string;
  /** Shown when the list has loaded empty. */
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { load, items, loadingLabel, errorTitle, empty } = props;
  if (load.error) {
    return (
      <ErrorPanel title={errorTitle} error={load.error} onRetry={load.retry} />
    );
  }
  if (!items) {
    return load.loading ? <LoadingState label={loadingLabel} /> : null;
  }
  return <>{items.length === 0 ? empty : props.children(items)}</>;
}
