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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useState } from 'react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { AdminStream, ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { DetailFallback, useSsfLinks, useSsfSignal } from '../common';
import { StreamDetailView } from './StreamDetailView';
import { ReceiverProfilesState } from './receiverProfiles';
import { StreamFormDialog } from './StreamFormDialog';
import { StreamsList } from './StreamsList';

type StreamsLoad = AsyncStateRetry<AdminStream[]>;

/**
 * The Streams tab: the list of streams at the tab's path, one stream in
 * detail at `<tab>/:streamId`. Both read one load of the list, so going from
 * the list to a stream and back loads nothing again.
 */
export function StreamsTab() {
  const ssfApi = useApi(ssfApiRef);
  const streams = useAsyncRetry(() => ssfApi.listStreams(), [ssfApi]);
  // The list and a stream's detail both show this load, so any stream's
  // change reloads it: status, delivery counts, verification result.
  useSsfSignal('ssf:streams', () => streams.retry());
  // For their titles and for "Create stream"; streams show without them.
  const profilesLoad = useAsync(() => ssfApi.listReceiverProfiles(), [ssfApi]);
  const profiles: ReceiverProfilesState = {
    profiles: profilesLoad.value,
    loading: profilesLoad.loading,
    error: profilesLoad.error,
  };

  return (
    <Routes>
      <Route
        index
        element={<StreamsListView streams={streams} profiles={profiles} />}
      />
      <Route
        path=":streamId"
        element={<StreamRoute streams={streams} profiles={profiles} />}
      />
    </Routes>
  );
}

function StreamsListView(props: {
  streams: StreamsLoad;
  profiles: ReceiverProfilesState;
}) {
  const { streams, profiles } = props;
  const links = useSsfLinks();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <StreamsList
        streams={streams.value}
        profiles={profiles.profiles}
        load={streams}
        onCreate={() => setCreating(true)}
        streamHref={links.stream}
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

/**
 * The stream the URL names, once the list has loaded: opened from the list
 * or straight from a link, a bookmark or the browser's history.
 */
function StreamRoute(props: {
  streams: StreamsLoad;
  profiles: ReceiverProfilesState;
}) {
  const { streams, profiles } = props;
  const { streamId = '' } = useParams();
  const links = useSsfLinks();
  const navigate = useNavigate();
  const { t } = useTranslationRef(ssfTranslationRef);
  const toList = () => navigate(links.tab('streams'));

  const stream = streams.value?.find(s => s.stream_id === streamId);
  if (stream) {
    return (
      <StreamDetailView
        stream={stream}
        profiles={profiles.profiles}
        onBack={toList}
        // Back from a deleted stream must not lead to it again.
        onDeleted={() => navigate(links.tab('streams'), { replace: true })}
        onChanged={streams.retry}
      />
    );
  }
  return (
    <DetailFallback
      load={streams}
      errorTitle={t('streams.loadError')}
      loadingLabel={t('streamDetail.loading')}
      notFoundTitle={t('streamDetail.notFoundTitle')}
      notFoundDescription={t('streamDetail.notFoundDescription', { streamId })}
      backLabel={t('streamDetail.back')}
      onBack={toList}
    />
  );
}
