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
import { Flex, Grid } from '@backstage/ui';
import { SecurityEventsProvider } from '@shared-signals/plugin-ssf-common';
import { ssfTranslationRef } from '../../translation';
import {
  DetailHeader,
  EntityRefLink,
  Field,
  SectionCard,
  formatTime,
} from '../common';
import { ProviderIngestionChart } from './ProviderIngestionChart';
import { ProviderRelay } from './ProviderRelay';
import { ProviderRemoteStream } from './ProviderRemoteStream';
import { useProviderActions } from './useProviderActions';

/**
 * One provider: its settings, the management actions, its stream at the
 * transmitter, and what the portal relays of what it receives.
 */
export function ProviderDetailView(props: {
  provider: SecurityEventsProvider;
  onBack: () => void;
  onDeleted: () => void;
  /** After a change, so that the list of providers reloads. */
  onChanged: () => void;
}) {
  const { provider: p, onBack, onDeleted, onChanged } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const actions = useProviderActions({ onChanged, onDeleted });

  return (
    <Flex direction="column" gap="4">
      <DetailHeader
        backLabel={t('providerDetail.back')}
        onBack={onBack}
        title={p.name}
        actionsLabel={t('providerDetail.actions')}
      >
        {actions.buttons(p)}
      </DetailHeader>
      {actions.feedback}
      <SectionCard title={t('providerDetail.settings')} heading="h3">
        <Grid.Root columns={{ initial: '1', md: '3' }} gap="4">
          <Field label={t('providerDetail.fields.id')}>{p.id}</Field>
          <Field label={t('providerDetail.fields.status')}>
            {p.status === 'ACTIVE'
              ? t('providers.active')
              : t('providers.inactive')}
          </Field>
          <Field label={t('providerDetail.fields.issuer')}>
            {p.settings.issuer}
          </Field>
          {p.settings.well_known_url && (
            <Field label={t('providerDetail.fields.wellKnownUrl')}>
              {p.settings.well_known_url}
            </Field>
          )}
          <Field label={t('providerDetail.fields.jwksUrl')}>
            {p.settings.jwks_url}
          </Field>
          <Field label={t('providerDetail.fields.lastVerification')}>
            {formatTime(p.remote_stream?.last_verified_at)}
          </Field>
          <Field label={t('providerDetail.fields.owner')}>
            <EntityRefLink entityRef={p.owner} />
          </Field>
          <Field label={t('providerDetail.fields.consumer')}>
            <EntityRefLink entityRef={p.consumer} />
          </Field>
        </Grid.Root>
      </SectionCard>
      <ProviderIngestionChart providerId={p.id} />
      <ProviderRemoteStream key={p.id} provider={p} onChanged={onChanged} />
      <ProviderRelay key={`relay-${p.id}`} provider={p} />
      {actions.dialogs}
    </Flex>
  );
}
