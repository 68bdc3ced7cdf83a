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

import { Flex, Table, Text, Button } from '@backstage/ui';
import { ssfStreamManagePermission } from '@shared-signals/plugin-ssf-common';
import { RiAddLine, RiRefreshLine } from '@remixicon/react';
import { AdminStream, ReceiverProfile } from '../../api';
import { AsyncList, EmptyState, PermissionButton } from '../common';
import { receiverProfileTitle, streamProfileId } from './receiverProfiles';
import { StreamRow, streamColumns } from './streamColumns';

/** The table of every stream, with create and refresh. */
export function StreamsList(props: {
  streams?: AdminStream[];
  /** The profiles the transmitter lists, for the streams' profile titles. */
  profiles?: ReceiverProfile[];
  loading: boolean;
  error?: Error;
  onRetry: () => void;
  onCreate: () => void;
  onSelect: (streamId: string) => void;
}) {
  const { streams, profiles, loading, error, onRetry, onCreate, onSelect } =
    props;
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
      Create stream
    </PermissionButton>
  );

  return (
    <Flex direction="column" gap="4">
      <Flex
        justify="between"
        align="center"
        gap="3"
        style={{ flexWrap: 'wrap' }}
      >
        <Text as="p" color="secondary">
          Every stream receivers have with this transmitter. Select a stream to
          see its SETs, verify it or change it.
        </Text>
        <Flex gap="2">
          <Button
            variant="secondary"
            iconStart={<RiRefreshLine />}
            onPress={onRetry}
          >
            Refresh
          </Button>
          {createButton}
        </Flex>
      </Flex>
      <AsyncList
        label="streams"
        loading={loading}
        error={error}
        errorTitle="Could not load the streams"
        onRetry={onRetry}
        items={rows}
        empty={
          <EmptyState
            title="No streams yet"
            description="A receiver creates its stream itself with POST /streams and its access token (see the Transmitter tab for how it connects), or you can create one for a receiver's client ID here."
            action={createButton}
          />
        }
      >
        {items => (
          <Table
            columnConfig={streamColumns}
            data={items}
            isStale={loading}
            pagination={{ type: 'none' }}
            rowConfig={{ onClick: s => onSelect(s.stream_id) }}
          />
        )}
      </AsyncList>
    </Flex>
  );
}
