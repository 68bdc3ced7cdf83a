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
import { Flex, Table } from '@backstage/ui';
import {
  SecurityEventsProvider,
  ssfProviderManagePermission,
} from '@shared-signals/plugin-ssf-common';
import { RiAddLine } from '@remixicon/react';
import { Route, Routes, useNavigate, useParams } from 'react-router-dom';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  DetailFallback,
  PermissionButton,
  TabList,
  TabToolbar,
  useSsfLinks,
} from '../common';
import { ProviderDetailView } from './ProviderDetailView';
import { providerColumns } from './providerColumns';
import { useProviderActions } from './useProviderActions';

type ProvidersLoad = AsyncStateRetry<SecurityEventsProvider[]>;

/**
 * The Providers tab: transmitters whose SETs this portal accepts, as a list
 * at the tab's path and one provider in detail at `<tab>/:providerId`. Both
 * read one load of the list.
 */
export function ProvidersTab() {
  const ssfApi = useApi(ssfApiRef);
  const providers = useAsyncRetry(() => ssfApi.listProviders(), [ssfApi]);
  return (
    <Routes>
      <Route index element={<ProvidersListView providers={providers} />} />
      <Route
        path=":providerId"
        element={<ProviderRoute providers={providers} />}
      />
    </Routes>
  );
}

function ProvidersListView(props: { providers: ProvidersLoad }) {
  const { providers } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const links = useSsfLinks();
  const actions = useProviderActions({ onChanged: providers.retry });
  const addButton = (
    <PermissionButton
      permission={ssfProviderManagePermission}
      purpose="to add providers"
      iconStart={<RiAddLine />}
      onPress={actions.add}
    >
      {t('providers.add')}
    </PermissionButton>
  );

  return (
    <Flex direction="column" gap="4">
      <TabToolbar intro={t('providers.intro')} onRefresh={providers.retry}>
        {addButton}
      </TabToolbar>
      {actions.feedback}
      <TabList messages="providers" load={providers} createAction={addButton}>
        {items => (
          <Table
            columnConfig={providerColumns(t, actions.buttons)}
            data={items}
            isStale={providers.loading}
            pagination={{ type: 'none' }}
            // The row leads to the provider's detail and remote stream; its
            // buttons act without leaving the list.
            rowConfig={{ getHref: p => links.provider(p.id) }}
          />
        )}
      </TabList>
      {actions.dialogs}
    </Flex>
  );
}

/**
 * The provider the URL names, once the list has loaded: opened from the
 * list or straight from a link, a bookmark or the browser's history.
 */
function ProviderRoute(props: { providers: ProvidersLoad }) {
  const { providers } = props;
  const { providerId = '' } = useParams();
  const links = useSsfLinks();
  const navigate = useNavigate();
  const { t } = useTranslationRef(ssfTranslationRef);
  const toList = () => navigate(links.tab('providers'));

  const provider = providers.value?.find(p => p.id === providerId);
  if (provider) {
    return (
      <ProviderDetailView
        provider={provider}
        onBack={toList}
        // Back from a deleted provider must not lead to it again.
        onDeleted={() => navigate(links.tab('providers'), { replace: true })}
        onChanged={providers.retry}
      />
    );
  }
  return (
    <DetailFallback
      load={providers}
      errorTitle={t('providers.loadError')}
      loadingLabel={t('providerDetail.loading')}
      notFoundTitle={t('providerDetail.notFoundTitle')}
      notFoundDescription={t('providerDetail.notFoundDescription', {
        providerId,
      })}
      backLabel={t('providerDetail.back')}
      onBack={toList}
    />
  );
}
