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

import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex } from '@backstage/ui';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { ErrorPanel, LoadingState } from '../common';
import { configurationUrls } from './configurationUrls';
import { ConnectReceiverCard } from './ConnectReceiverCard';
import { JwksCard } from './JwksCard';
import { MetadataCard } from './MetadataCard';

/** The transmitter's metadata and keys, and how receivers connect to it. */
export function TransmitterTab() {
  const ssfApi = useApi(ssfApiRef);
  const discoveryApi = useApi(discoveryApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const metadata = useAsyncRetry(
    () => ssfApi.getTransmitterMetadata(),
    [ssfApi],
  );
  const jwks = useAsyncRetry(() => ssfApi.getJwks(), [ssfApi]);
  const urls = useAsyncRetry(
    async () => configurationUrls(await discoveryApi.getBaseUrl('ssf')),
    [discoveryApi],
  );

  return (
    <Flex direction="column" gap="4">
      {metadata.loading && (
        <LoadingState label={t('transmitter.metadataLoading')} />
      )}
      {metadata.error && (
        <ErrorPanel
          title={t('transmitter.metadataLoadError')}
          error={metadata.error}
          onRetry={metadata.retry}
        />
      )}
      {metadata.value && <MetadataCard metadata={metadata.value} />}

      {urls.value && <ConnectReceiverCard {...urls.value} />}

      {jwks.loading && <LoadingState label={t('transmitter.keysLoading')} />}
      {jwks.error && (
        <ErrorPanel
          title={t('transmitter.keysLoadError')}
          error={jwks.error}
          onRetry={jwks.retry}
        />
      )}
      {jwks.value && (
        <JwksCard
          jwks={jwks.value}
          jwksUri={metadata.value?.jwks_uri ?? `${urls.value?.pluginUrl ?? ''}`}
        />
      )}
    </Flex>
  );
}
