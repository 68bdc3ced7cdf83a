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

import {
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Text,
} from '@backstage/ui';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ReactNode, useState } from 'react';
import { ssfTranslationRef } from '../../translation';
import { ErrorPanel } from './ErrorPanel';

/**
 * Asks before doing something that cannot be undone, runs it, and keeps the
 * dialog open with the error when it fails.
 */
export function ConfirmDialog(props: {
  isOpen: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const { isOpen, title, description, confirmLabel, onConfirm, onClose } =
    props;
  const { t } = useTranslationRef(ssfTranslationRef);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<Error>();

  const close = () => {
    setError(undefined);
    onClose();
  };
  const confirm = async () => {
    setPending(true);
    setError(undefined);
    try {
      await onConfirm();
      close();
    } catch (e) {
      setError(e as Error);
    } finally {
      setPending(false);
    }
  };

  return (
    <Dialog isOpen={isOpen} onOpenChange={open => !open && close()}>
      <DialogHeader>{title}</DialogHeader>
      <DialogBody>
        <Text as="p">{description}</Text>
        {error && (
          <ErrorPanel
            title={t('common.actionFailed', { action: confirmLabel })}
            error={error}
          />
        )}
      </DialogBody>
      <DialogFooter>
        <Button variant="secondary" onPress={close}>
          {t('common.cancel')}
        </Button>
        <Button
          destructive={props.destructive}
          isPending={pending}
          onPress={confirm}
        >
          {confirmLabel}
        </Button>
      </DialogFooter>
    </Dialog>
  );
}
