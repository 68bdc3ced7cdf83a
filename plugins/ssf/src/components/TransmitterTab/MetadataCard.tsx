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

import { TransmitterMetadata } from '@shared-signals/plugin-ssf-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Grid } from '@backstage/ui';
import { ssfTranslationRef } from '../../translation';
import { Field, JsonBlock, SectionCard } from '../common';

const DELIVERY_NAMES: Record<string, string> = {
  'urn:ietf:rfc:8935': 'Push (RFC 8935)',
  'urn:ietf:rfc:8936': 'Poll (RFC 8936)',
};

/** The transmitter's SSF configuration metadata. */
export function MetadataCard(props: { metadata: TransmitterMetadata }) {
  const { metadata } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <SectionCard title={t('transmitter.metadataTitle')} heading="h2">
      <Flex direction="column" gap="4">
        <Grid.Root columns={{ initial: '1', md: '2' }} gap="4">
          <Field label="Issuer">{metadata.issuer}</Field>
          <Field label="SSF version">{metadata.spec_version}</Field>
          <Field label="Delivery methods">
            {metadata.delivery_methods_supported
              .map(m => DELIVERY_NAMES[m] ?? m)
              .join(', ')}
          </Field>
          <Field label="Default subjects">
            {metadata.default_subjects === 'ALL'
              ? 'ALL (new streams receive events about every subject)'
              : 'NONE (subjects must be added to a stream)'}
          </Field>
          <Field label="Stream configuration endpoint">
            {metadata.configuration_endpoint}
          </Field>
          <Field label="Stream status endpoint">
            {metadata.status_endpoint}
          </Field>
          <Field label="Verification endpoint">
            {metadata.verification_endpoint}
          </Field>
          <Field label="JWKS URI">{metadata.jwks_uri}</Field>
        </Grid.Root>
        <JsonBlock value={metadata} label="Transmitter metadata JSON" />
      </Flex>
    </SectionCard>
  );
}
