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
import { Button } from '@backstage/ui';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { EmptyState } from '../common';
import { StreamDetailView } from './StreamDetailView';
import { ReceiverProfilesState } from './receiverProfiles';
import { StreamFormDialog } from './StreamFormDialog';
import { StreamsList } from './StreamsList';

/** The Streams tab: the list of streams, or one stream in detail. */
export function StreamsTab() {
  const ssfApi = useApi(ssfApiRef);
  const streams = useAsyncRetry(() => ssfApi.listStreams(), [ssfApi]);
  // For their titles and for "Create stream"; streams show without them.
  const profilesLoad = useAsync(() => ssfApi.listReceiverProfiles(), [ssfApi]);
  const profiles: ReceiverProfilesState = {
    profiles: profilesLoad.value,
    loading: profilesLoad.loading,
    error: profilesLoad.error,
  };
  const [selectedId, setSelectedId] = useState<string>();
  const [creating, setCreating] = useState(false);

  if (selectedId) {
    const stream = streams.value?.find(s => s.stream_id === selectedId);
    if (stream) {
      return (
        <StreamDetailView
          stream={stream}
          profiles={profiles.profiles}
          onBack={() => setSelectedId(undefined)}
          onChanged={streams.retry}
        />
      );
    }
    if (!streams.loading) {
      return (
        <EmptyState
          title="This stream no longer exists"
          description={`Stream ${selectedId} was deleted or is not visible to you.`}
          action={
            <Button
              variant="secondary"
              onPress={() => setSelectedId(undefined)}
            >
              All streams
            </Button>
          }
        />
      );
    }
  }

  return (
    <>
      <StreamsList
        streams={streams.value}
        profiles={profiles.profiles}
        loading={streams.loading}
        error={streams.error}
        onRetry={streams.retry}
        onCreate={() => setCreating(true)}
        onSelect={setSelectedId}
      />
      {creating && (
        <StreamFormDialog
          profiles={profiles}
          onClose={() => setCreating(false)}
          onSaved={streams.retry}
        />
      )}
    </>
  );
}
