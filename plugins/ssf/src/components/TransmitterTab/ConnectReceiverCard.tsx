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
import { Flex, Text } from '@backstage/ui';
import { ssfTranslationRef } from '../../translation';
import { CopyButton, JsonBlock, SectionCard } from '../common';

const EXTERNAL_ACCESS_SNIPPET = `backend:
  auth:
    externalAccess:
      # Access tokens from the receiver's authorization server
      # (OAuth 2.0 client credentials grant).
      - type: jwks
        options:
          url: https://idp.example.com/oauth2/v1/keys
          issuer: https://idp.example.com
          audience: backstage-ssf
          subjectPrefix: oauth2 # the stream owner becomes external:oauth2:<sub>
        accessRestrictions:
          - plugin: ssf
`;

/** How a receiver gets access and finds the transmitter. */
export function ConnectReceiverCard(props: {
  pluginUrl: string;
  wellKnownUrl: string;
}) {
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <SectionCard title={t('transmitter.connectTitle')} heading="h2">
      <Flex direction="column" gap="3">
        <Text as="p">
          1. Register the receiver as an OAuth 2.0 client with your
          authorization server, and let Backstage accept its access tokens with{' '}
          <code>backend.auth.externalAccess</code> in app-config. The
          token&apos;s subject is the receiver&apos;s client ID and owns its
          stream; keep <code>accessRestrictions</code> so the token opens
          nothing but this plugin.
        </Text>
        <Flex justify="end">
          <CopyButton
            value={EXTERNAL_ACCESS_SNIPPET}
            label="externalAccess configuration"
          />
        </Flex>
        <JsonBlock
          value={EXTERNAL_ACCESS_SNIPPET}
          label="externalAccess configuration"
        />
        <Text as="p">
          2. Give the receiver the configuration URL. It reads the transmitter
          metadata there and creates its stream with <code>POST /streams</code>,
          using its access token.
        </Text>
        <Flex align="center" gap="2" style={{ flexWrap: 'wrap' }}>
          <code style={{ overflowWrap: 'anywhere' }}>{props.wellKnownUrl}</code>
          <CopyButton value={props.wellKnownUrl} label="configuration URL" />
        </Flex>
        <Flex align="center" gap="2" style={{ flexWrap: 'wrap' }}>
          <code style={{ overflowWrap: 'anywhere' }}>{props.pluginUrl}</code>
          <CopyButton
            value={props.pluginUrl}
            label="configuration URL below the plugin"
          />
        </Flex>
        <Text as="p">
          3. Or create the stream for the receiver yourself in the Streams tab,
          with its client ID as the owner.
        </Text>
      </Flex>
    </SectionCard>
  );
}
