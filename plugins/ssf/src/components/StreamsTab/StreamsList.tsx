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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Table } from '@backstage/ui';
import { ssfStreamManagePermission } from '@shared-signals/plugin-ssf-common';
import { RiAddLine } from '@remixicon/react';
import { AdminStream, ReceiverProfile } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { AsyncLoad, PermissionButton, TabList, TabToolbar } from '../common';
import { receiverProfileTitle, streamProfileId } from './receiverProfiles';
import { StreamRow, streamColumns } from './streamColumns';

/** The table of every stream, with create and refresh. */
export function StreamsList(props: {
  streams?: AdminStream[];
  /** The profiles the transmitter lists, for the streams' profile titles. */
  profiles?: ReceiverProfile[];
  /** The streams' load, for its state and for Refresh and Retry. */
  load: AsyncLoad;
  onCreate: () => void;
  /** Where a stream's row leads: the stream in detail. */
  streamHref: (streamId: string) => string;
}) {
  const { streams, profiles, load, onCreate, streamHref } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const rows: StreamRow[] | undefined = streams?.map(s => ({
    ...s,
    id: s.stream_id,
    profileTitle: receiverProfileTitle(streamProfileId(s), profiles),
  }));
  const createButton = (
    <PermissionButton
      permission={ssfStreamManagePermission}
      purpose="to create streams"
      iconStart={<RiAddLine />}
      onPress={onCreate}
    >
      {t('streams.create')}
    </PermissionButton>
  );

  return (
    <Flex direction="column" gap="4">
      <TabToolbar intro={t('streams.intro')} onRefresh={load.retry}>
        {createButton}
      </TabToolbar>
      <TabList
        messages="streams"
        load={load}
        items={rows}
        createAction={createButton}
      >
        {items => (
          <Table
            columnConfig={streamColumns(t)}
            data={items}
            isStale={load.loading}
            pagination={{ type: 'none' }}
            // A link, so a stream opens in a new tab too and has its URL.
            rowConfig={{ getHref: s => streamHref(s.stream_id) }}
          />
        )}
      </TabList>
    </Flex>
  );
}
