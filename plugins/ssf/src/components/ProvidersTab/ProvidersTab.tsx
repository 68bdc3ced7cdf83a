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
import { Alert, Button, Flex, Table, Text } from '@backstage/ui';
import {
  SecurityEventsProvider,
  ssfProviderManagePermission,
} from '@shared-signals/plugin-ssf-common';
import { RiAddLine, RiRefreshLine } from '@remixicon/react';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import {
  AsyncList,
  ConfirmDialog,
  EmptyState,
  ErrorPanel,
  PermissionButton,
} from '../common';
import { ProviderFormDialog } from './ProviderFormDialog';
import { ProviderRemoteStream } from './ProviderRemoteStream';
import { providerColumns } from './providerColumns';

type Editing = { provider?: SecurityEventsProvider } | undefined;

/** The Providers tab: transmitters whose SETs this portal accepts. */
export function ProvidersTab() {
  const ssfApi = useApi(ssfApiRef);
  const providers = useAsyncRetry(() => ssfApi.listProviders(), [ssfApi]);
  const [editing, setEditing] = useState<Editing>();
  const [deleting, setDeleting] = useState<SecurityEventsProvider>();
  const [actionError, setActionError] = useState<Error>();
  const [notice, setNotice] = useState<string>();
  // By id: the list reloads after changes, with new provider objects.
  const [shownId, setShownId] = useState<string>();
  const shown = providers.value?.find(p => p.id === shownId);

  const toggle = async (p: SecurityEventsProvider) => {
    setActionError(undefined);
    try {
      await ssfApi.setProviderActive(p.id, p.status !== 'ACTIVE');
      setNotice(
        `${p.name} is now ${p.status === 'ACTIVE' ? 'inactive' : 'active'}.`,
      );
      providers.retry();
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const manage = {
    permission: ssfProviderManagePermission,
    size: 'small',
    variant: 'secondary',
  } as const;
  const columns = providerColumns(p => (
    <>
      <Button
        size="small"
        variant="secondary"
        aria-label={`Remote stream of ${p.name}`}
        onPress={() => setShownId(p.id)}
      >
        Remote stream
      </Button>
      <PermissionButton
        {...manage}
        purpose="to edit providers"
        aria-label={`Edit ${p.name}`}
        onPress={() => setEditing({ provider: p })}
      >
        Edit
      </PermissionButton>
      <PermissionButton
        {...manage}
        purpose="to activate or deactivate providers"
        aria-label={`${p.status === 'ACTIVE' ? 'Deactivate' : 'Activate'} ${
          p.name
        }`}
        onPress={() => toggle(p)}
      >
        {p.status === 'ACTIVE' ? 'Deactivate' : 'Activate'}
      </PermissionButton>
      <PermissionButton
        {...manage}
        destructive
        purpose="to delete providers"
        aria-label={`Delete ${p.name}`}
        onPress={() => setDeleting(p)}
      >
        Delete
      </PermissionButton>
    </>
  ));
  const addButton = (
    <PermissionButton
      permission={ssfProviderManagePermission}
      purpose="to add providers"
      iconStart={<RiAddLine />}
      onPress={() => setEditing({})}
    >
      Add provider
    </PermissionButton>
  );

  return (
    <Flex direction="column" gap="4">
      <Flex justify="between" align="center" gap="3">
        <Text as="p" color="secondary">
          Transmitters whose Security Event Tokens this portal accepts.
        </Text>
        <Flex gap="2">
          <Button
            variant="secondary"
            iconStart={<RiRefreshLine />}
            onPress={providers.retry}
          >
            Refresh
          </Button>
          {addButton}
        </Flex>
      </Flex>
      {notice && <Alert status="success" icon title={notice} role="status" />}
      {actionError && (
        <ErrorPanel
          title="The provider could not be changed"
          error={actionError}
        />
      )}
      <AsyncList
        label="providers"
        loading={providers.loading}
        error={providers.error}
        errorTitle="Could not load the providers"
        onRetry={providers.retry}
        items={providers.value}
        empty={
          <EmptyState
            title="No providers yet"
            description="Add a provider for each transmitter (identity provider, SaaS application) that should send security events to this portal, with its well-known URL or its issuer and JWKS URL."
            action={addButton}
          />
        }
      >
        {items => (
          <Table
            columnConfig={columns}
            data={items}
            isStale={providers.loading}
            pagination={{ type: 'none' }}
          />
        )}
      </AsyncList>
      {shown && (
        <ProviderRemoteStream
          key={shown.id}
          provider={shown}
          onChanged={providers.retry}
          onClose={() => setShownId(undefined)}
        />
      )}
      {editing && (
        <ProviderFormDialog
          provider={editing.provider}
          onClose={() => setEditing(undefined)}
          onSaved={providers.retry}
        />
      )}
      <ConfirmDialog
        isOpen={!!deleting}
        title="Delete provider"
        description={`Delete ${deleting?.name}? SETs from its transmitter will be refused from now on. Received events are kept.`}
        confirmLabel="Delete"
        destructive
        onClose={() => setDeleting(undefined)}
        onConfirm={async () => {
          await ssfApi.deleteProvider(deleting!.id);
          providers.retry();
        }}
      />
    </Flex>
  );
}
