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
import { Alert, Button, Flex, Grid, Text } from '@backstage/ui';
import {
  SecurityEventsProvider,
  SecurityEventsProviderRemoteStream,
  StreamStatus,
  StreamStatusValue,
  ssfProviderManagePermission,
} from '@shared-signals/plugin-ssf-common';
import { RiRefreshLine } from '@remixicon/react';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ErrorPanel,
  Field,
  PermissionButton,
  SectionCard,
  eventTypeLabel,
  formatTime,
} from '../common';
import { StatusText } from '../StreamsTab/StatusText';
import { deliveryMethodLabel } from '../StreamsTab/StreamDetails';
import { RemoteStreamEventsDialog } from './RemoteStreamEventsDialog';

const STATUSES: readonly string[] = ['enabled', 'paused', 'disabled'];

/** The status changes the card offers, and what it says once one is made. */
const STATUS_CHANGES = [
  {
    status: 'paused',
    label: 'remoteStream.pause',
    purpose: 'to pause remote streams',
    done: 'The stream is paused at the transmitter.',
  },
  {
    status: 'enabled',
    label: 'remoteStream.enable',
    purpose: 'to enable remote streams',
    done: 'The stream is enabled at the transmitter.',
  },
] as const;

function list(values: string[] | undefined): string {
  if (!values) return '—';
  return values.map(eventTypeLabel).join(', ') || 'none';
}

/**
 * A provider's stream at its transmitter: what was last read of it, and (for
 * users with `ssf.provider.manage`) pausing, enabling and changing the events
 * requested. Opening it reads the stream's configuration at the transmitter.
 */
export function ProviderRemoteStream(props: {
  provider: SecurityEventsProvider;
  /** Called after a change, so that lists showing the provider reload. */
  onChanged: () => void;
  /** Shows a Close button that calls this; none without it. */
  onClose?: () => void;
}) {
  const { provider, onChanged, onClose } = props;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  // Starts as recorded on the provider; replaced by what the transmitter answers.
  const [stream, setStream] = useState<
    SecurityEventsProviderRemoteStream | undefined
  >(provider.remote_stream);
  const [notice, setNotice] = useState<string>();
  const [actionError, setActionError] = useState<Error>();
  const [editing, setEditing] = useState(false);
  const streamId = stream?.stream_id;

  const [read, readStream] = useAsyncFn(async () => {
    const answer = await ssfApi.getProviderRemoteStream(provider.id);
    setStream(answer);
    return answer;
  }, [ssfApi, provider.id]);

  const hasRecordedStream = !!provider.remote_stream?.stream_id;
  useEffect(() => {
    if (hasRecordedStream) {
      readStream();
    }
  }, [hasRecordedStream, readStream]);

  const applyStatus = (s: StreamStatus) =>
    setStream(current => ({
      ...current,
      stream_id: s.stream_id,
      status: s.status,
      reason: s.reason,
    }));

  const act = async (what: () => Promise<string>) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      setNotice(await what());
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const refreshStatus = () =>
    act(async () => {
      applyStatus(await ssfApi.getProviderRemoteStreamStatus(provider.id));
      onChanged();
      return 'The status was read from the transmitter.';
    });

  const setStatus = (change: (typeof STATUS_CHANGES)[number]) =>
    act(async () => {
      applyStatus(
        await ssfApi.setProviderRemoteStreamStatus(provider.id, change.status),
      );
      onChanged();
      return change.done;
    });

  const manage = {
    permission: ssfProviderManagePermission,
    size: 'small',
    variant: 'secondary',
  } as const;
  const status = stream?.status;

  return (
    <SectionCard
      title={t('remoteStream.title', { name: provider.name })}
      heading="h3"
      actions={
        onClose && (
          <Button size="small" variant="tertiary" onPress={onClose}>
            {t('common.close')}
          </Button>
        )
      }
    >
      <Flex direction="column" gap="4">
        {!streamId ? (
          <Text as="p" color="secondary">
            {t('remoteStream.none', { name: provider.name })}
          </Text>
        ) : (
          <>
            <Flex gap="2">
              <Button
                size="small"
                variant="secondary"
                iconStart={<RiRefreshLine />}
                onPress={refreshStatus}
              >
                {t('remoteStream.refreshStatus')}
              </Button>
              {STATUS_CHANGES.map(change => (
                <PermissionButton
                  key={change.status}
                  {...manage}
                  purpose={change.purpose}
                  disabledReason={
                    status === change.status
                      ? `The stream is already ${change.status}.`
                      : undefined
                  }
                  onPress={() => setStatus(change)}
                >
                  {t(change.label)}
                </PermissionButton>
              ))}
              <PermissionButton
                {...manage}
                purpose="to change the events of remote streams"
                onPress={() => setEditing(true)}
              >
                {t('remoteStream.editEvents')}
              </PermissionButton>
            </Flex>
            {read.loading && (
              <Text as="p" color="secondary" role="status">
                {t('remoteStream.reading')}
              </Text>
            )}
            {read.error && (
              <ErrorPanel
                title="Could not read the stream at the transmitter; showing what was last recorded"
                error={read.error}
                onRetry={readStream}
              />
            )}
            {notice && (
              <Alert status="success" icon title={notice} role="status" />
            )}
            {actionError && (
              <ErrorPanel
                title="The transmitter did not change the stream"
                error={actionError}
              />
            )}
          </>
        )}
        <Grid.Root columns={{ initial: '1', md: '3' }} gap="4">
          <Field label="Stream ID">{streamId ?? '—'}</Field>
          <Field label="Status">
            {status && STATUSES.includes(status) ? (
              <StatusText status={status as StreamStatusValue} />
            ) : (
              status ?? 'unknown'
            )}
            {stream?.reason ? ` — ${stream.reason}` : ''}
            {stream?.status_updated_at
              ? ` (${formatTime(stream.status_updated_at)})`
              : ''}
          </Field>
          <Field label="Audience">
            {stream?.aud ? [stream.aud].flat().join(', ') : '—'}
          </Field>
          <Field label="Description">{stream?.description || '—'}</Field>
          <Field label="Delivery">
            {stream?.delivery
              ? [
                  deliveryMethodLabel(stream.delivery.method),
                  stream.delivery.endpoint_url,
                ]
                  .filter(Boolean)
                  .join(' · ')
              : '—'}
          </Field>
          <Field label="Events requested">
            {list(stream?.events_requested)}
          </Field>
          <Field label="Events delivered">
            {list(stream?.events_delivered)}
          </Field>
          <Field label="Last verification">
            {formatTime(stream?.last_verified_at)}
          </Field>
          <Field label="Last poll">
            {formatTime(stream?.last_poll_at)}
            {stream?.last_poll_error ? ` — ${stream.last_poll_error}` : ''}
          </Field>
        </Grid.Root>
      </Flex>
      {editing && (
        <RemoteStreamEventsDialog
          provider={provider}
          eventsRequested={stream?.events_requested ?? []}
          onClose={() => setEditing(false)}
          onSaved={answer => {
            setStream(answer);
            setActionError(undefined);
            setNotice('The events requested were changed at the transmitter.');
            onChanged();
          }}
        />
      )}
    </SectionCard>
  );
}
