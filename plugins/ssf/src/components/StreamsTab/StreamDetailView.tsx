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
import { Alert, Flex } from '@backstage/ui';
import { ssfStreamManagePermission } from '@shared-signals/plugin-ssf-common';
import { useEffect, useState } from 'react';
import { AdminStream, ReceiverProfile, ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';
import {
  ConfirmDialog,
  DetailHeader,
  PermissionButton,
  useSignalsAvailable,
} from '../common';
import { StreamDeliveryChart } from './StreamDeliveryChart';
import { StreamDetails } from './StreamDetails';
import { StreamFormDialog } from './StreamFormDialog';
import { StreamSetsCard } from './StreamSetsCard';
import { StreamStatusDialog } from './StreamStatusDialog';
import { VerificationCard } from './VerificationCard';
import { VerifyStreamDialog } from './VerifyStreamDialog';

const VERIFICATION_REFRESH_MS = 2000;
const VERIFICATION_REFRESH_LIMIT_MS = 60_000;

type OpenDialog = 'edit' | 'status' | 'verify' | 'redeliver' | 'delete';

/** One stream: its configuration, actions, verification and recent SETs. */
export function StreamDetailView(props: {
  stream: AdminStream;
  /** The profiles the transmitter lists, for the stream's profile title. */
  profiles?: ReceiverProfile[];
  onBack: () => void;
  /** After the stream was deleted; `onBack` when not given. */
  onDeleted?: () => void;
  onChanged: () => void;
}) {
  const { stream, onBack, onChanged } = props;
  const onDeleted = props.onDeleted ?? onBack;
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const [dialog, setDialog] = useState<OpenDialog>();
  const [notice, setNotice] = useState<string>();
  // Remounts the SET list after an action that changes it.
  const [setsVersion, setSetsVersion] = useState(0);
  const close = () => setDialog(undefined);
  const changed = (message: string) => {
    setNotice(message);
    setSetsVersion(v => v + 1);
    onChanged();
  };
  // While a requested verification has not been delivered, look again every
  // few seconds (for at most a minute), so its result shows without a reload.
  // With the signals plugin the result arrives as a signal on ssf:streams
  // (see StreamsTab), so there is nothing to poll for.
  const live = useSignalsAvailable();
  const awaitingVerification = stream.last_verification?.status === 'pending';
  useEffect(() => {
    if (!awaitingVerification || live) {
      return undefined;
    }
    const timer = setInterval(onChanged, VERIFICATION_REFRESH_MS);
    const stop = setTimeout(
      () => clearInterval(timer),
      VERIFICATION_REFRESH_LIMIT_MS,
    );
    return () => {
      clearInterval(timer);
      clearTimeout(stop);
    };
  }, [awaitingVerification, live, onChanged]);
  const manage = {
    permission: ssfStreamManagePermission,
    size: 'small',
    variant: 'secondary',
  } as const;

  return (
    <Flex direction="column" gap="4">
      <DetailHeader
        backLabel={t('streamDetail.back')}
        onBack={onBack}
        title={stream.client_id}
        actionsLabel={t('streamDetail.actions')}
      >
        <PermissionButton
          {...manage}
          purpose="to edit streams"
          onPress={() => setDialog('edit')}
        >
          {t('streamDetail.edit')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          purpose="to change a stream's status"
          onPress={() => setDialog('status')}
        >
          {t('streamDetail.changeStatus')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          purpose="to verify streams"
          disabledReason={
            stream.status === 'enabled'
              ? undefined
              : t('streamDetail.verifyUnavailable')
          }
          onPress={() => setDialog('verify')}
        >
          {t('streamDetail.verify')}
        </PermissionButton>
        <PermissionButton
          {...manage}
          purpose="to redeliver SETs"
          disabledReason={
            stream.stats.dead > 0
              ? undefined
              : t('streamDetail.redeliverUnavailable')
          }
          onPress={() => setDialog('redeliver')}
        >
          {t('streamDetail.redeliver', { n: String(stream.stats.dead) })}
        </PermissionButton>
        <PermissionButton
          {...manage}
          destructive
          purpose="to delete streams"
          onPress={() => setDialog('delete')}
        >
          {t('streamDetail.delete')}
        </PermissionButton>
      </DetailHeader>
      {notice && <Alert status="success" icon title={notice} role="status" />}

      <StreamDetails stream={stream} profiles={props.profiles} />
      <StreamDeliveryChart streamId={stream.stream_id} />
      <VerificationCard verification={stream.last_verification} />
      <StreamSetsCard
        key={setsVersion}
        streamId={stream.stream_id}
        onRedelivered={n =>
          changed(t('streamDetail.redelivered', { n: String(n) }))
        }
      />

      {dialog === 'edit' && (
        <StreamFormDialog
          stream={stream}
          onClose={close}
          onSaved={() => changed(t('streamDetail.saved'))}
        />
      )}
      {dialog === 'status' && (
        <StreamStatusDialog
          stream={stream}
          onClose={close}
          onSaved={() => changed(t('streamDetail.statusChanged'))}
        />
      )}
      {dialog === 'verify' && (
        <VerifyStreamDialog
          stream={stream}
          onClose={close}
          onRequested={() => changed(t('streamDetail.verificationRequested'))}
        />
      )}
      <ConfirmDialog
        isOpen={dialog === 'redeliver'}
        title={t('streamDetail.redeliverTitle')}
        description={t('streamDetail.redeliverDescription', {
          n: String(stream.stats.dead),
        })}
        confirmLabel={t('streamDetail.redeliverConfirm')}
        onClose={close}
        onConfirm={async () => {
          const { redelivered } = await ssfApi.redeliverStreamSets(
            stream.stream_id,
          );
          changed(t('streamDetail.redelivered', { n: String(redelivered) }));
        }}
      />
      <ConfirmDialog
        isOpen={dialog === 'delete'}
        title={t('streamDetail.deleteTitle')}
        description={t('streamDetail.deleteDescription', {
          clientId: stream.client_id,
          streamId: stream.stream_id,
        })}
        confirmLabel={t('streamDetail.delete')}
        destructive
        onClose={close}
        onConfirm={async () => {
          await ssfApi.deleteStream(stream.stream_id);
          onChanged();
          onDeleted();
        }}
      />
    </Flex>
  );
}
