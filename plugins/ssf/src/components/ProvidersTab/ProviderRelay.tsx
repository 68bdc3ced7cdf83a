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
import { Alert, Flex, Grid, Text } from '@backstage/ui';
import {
  SecurityEventsProvider,
  ssfProviderManagePermission,
} from '@shared-signals/plugin-ssf-common';
import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ErrorPanel,
  Field,
  LoadingState,
  PermissionButton,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';
import { ProviderRelayDialog } from './ProviderRelayDialog';

/**
 * Which event types received from a provider the portal re-sends to its own
 * streams, and changing them (enabled for holders of `ssf.provider.manage`).
 */
export function ProviderRelay(props: { provider: SecurityEventsProvider }) {
  const { provider } = props;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const rule = useAsyncRetry(
    () => ssfApi.getProviderRelay(provider.id),
    [ssfApi, provider.id],
  );
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string>();
  const eventTypes = rule.value?.event_types ?? [];

  return (
    <SectionCard
      title={t('relay.title')}
      regionLabel={t('relay.title')}
      heading="h3"
      actions={
        rule.value && (
          <PermissionButton
            permission={ssfProviderManagePermission}
            purpose="to change what a provider relays"
            size="small"
            variant="secondary"
            aria-label={t('relay.editLabel', { name: provider.name })}
            onPress={() => setEditing(true)}
          >
            {t('relay.edit')}
          </PermissionButton>
        )
      }
    >
      <Flex direction="column" gap="4">
        <Text as="p" color="secondary">
          {t('relay.intro', { name: provider.name })}
        </Text>
        {notice && <Alert status="success" icon title={notice} role="status" />}
        {rule.error && (
          <ErrorPanel
            title={t('relay.loadError')}
            error={rule.error}
            onRetry={rule.retry}
          />
        )}
        {!rule.value && rule.loading && (
          <LoadingState label={t('relay.loading')} />
        )}
        {rule.value && (
          <Grid.Root columns={{ initial: '1', md: '3' }} gap="4">
            <Field label={t('relay.eventTypes')}>
              {eventTypes.length > 0 ? (
                <ul style={{ margin: 0, paddingLeft: '1.25em' }}>
                  {eventTypes.map(type => (
                    <li key={type} title={type}>
                      {eventTypeLabel(type)}
                    </li>
                  ))}
                </ul>
              ) : (
                t('relay.none')
              )}
            </Field>
            {rule.value.updated_at && (
              <Field label={t('relay.updated')}>
                {rule.value.updated_by
                  ? t('relay.updatedBy', {
                      time: formatTime(rule.value.updated_at),
                      who: rule.value.updated_by,
                    })
                  : formatTime(rule.value.updated_at)}
              </Field>
            )}
          </Grid.Root>
        )}
      </Flex>
      {editing && (
        <ProviderRelayDialog
          provider={provider}
          eventTypes={eventTypes}
          relayable={rule.value?.relayable_event_types ?? []}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setNotice(t('relay.saved'));
            // Read back what the backend stored (it drops repeated types).
            rule.retry();
          }}
        />
      )}
    </SectionCard>
  );
}
