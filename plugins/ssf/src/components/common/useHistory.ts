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

import {
  DiscoveryApi,
  FetchApi,
  discoveryApiRef,
  fetchApiRef,
  useApiHolder,
} from '@backstage/core-plugin-api';
import { useCallback, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { toNetworkError, toRequestError } from '../../api/errors';

/** The window the detail pages chart, in hours. */
export const HISTORY_HOURS = 24;

/** One hour (bucket) of a stream's deliveries. */
export type StreamHistoryBucket = {
  /** The bucket's start, ISO 8601. */
  start: string;
  delivered: number;
  failed: number;
  dead: number;
};

/** `GET /admin/streams/history`: a stream's deliveries per bucket. */
export type StreamHistory = {
  bucket_seconds: number;
  buckets: StreamHistoryBucket[];
};

/** One hour (bucket) of the SETs a provider sent. */
export type ProviderHistoryBucket = {
  /** The bucket's start, ISO 8601. */
  start: string;
  accepted: number;
  rejected: number;
};

/**
 * `GET /received-events/history`: the SETs a provider sent per bucket, and
 * the rejected ones by the `err` code the receiver answered with.
 */
export type ProviderHistory = {
  bucket_seconds: number;
  buckets: ProviderHistoryBucket[];
  rejected_by_err: Record<string, number>;
};

/**
 * Reads one of the history routes through the discovery and fetch APIs,
 * with the same readable errors as the rest of the page.
 */
export async function fetchHistory<T>(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  path: string,
  query: Record<string, string>,
): Promise<T> {
  const baseUrl = await apis.discoveryApi.getBaseUrl('ssf');
  const url = `${baseUrl}/${path}?${new URLSearchParams(query)}`;
  let response: Response;
  try {
    response = await apis.fetchApi.fetch(url);
  } catch (error) {
    throw toNetworkError(error);
  }
  if (!response.ok) {
    throw await toRequestError(response);
  }
  return (await response.json()) as T;
}

/** A history load, and a way to load it again. */
export type HistoryState<T> = {
  value?: T;
  loading: boolean;
  error?: Error;
  reload: () => void;
};

function useHistoryLoad<T>(
  path: string,
  query: Record<string, string>,
): HistoryState<T> {
  // The APIs are looked up when loading, not during render: a chart that
  // cannot reach the backend (or an app whose discovery cannot be built)
  // shows its error instead of taking the detail page down with it.
  const apis = useApiHolder();
  const [version, setVersion] = useState(0);
  const key = new URLSearchParams(query).toString();
  const state = useAsync(
    async () => {
      const discoveryApi = apis.get(discoveryApiRef);
      const fetchApi = apis.get(fetchApiRef);
      if (!discoveryApi || !fetchApi) {
        throw new Error('The discovery and fetch APIs are not available');
      }
      return fetchHistory<T>({ discoveryApi, fetchApi }, path, query);
    },
    // `query` is a new object each render; its encoding is the dependency.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [apis, path, key, version],
  );
  const reload = useCallback(() => setVersion(v => v + 1), []);
  return { ...state, reload };
}

/** A stream's delivered, failed and dead-lettered SETs per hour. */
export function useStreamHistory(
  streamId: string,
): HistoryState<StreamHistory> {
  return useHistoryLoad('admin/streams/history', {
    stream_id: streamId,
    hours: String(HISTORY_HOURS),
  });
}

/** A provider's accepted and rejected SETs per hour. */
export function useProviderHistory(
  providerId: string,
): HistoryState<ProviderHistory> {
  return useHistoryLoad('received-events/history', {
    provider_id: providerId,
    hours: String(HISTORY_HOURS),
  });
}
