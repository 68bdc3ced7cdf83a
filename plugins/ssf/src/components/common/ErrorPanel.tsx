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
import { Alert, Button } from '@backstage/ui';
import { ssfTranslationRef } from '../../translation';

/** Shows a failed request in words, with an optional retry. */
export function ErrorPanel(props: {
  title: string;
  error: Error;
  onRetry?: () => void;
}) {
  const { title, error, onRetry } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <Alert
      status="danger"
      icon
      role="alert"
      title={title}
      description={error.message}
      customActions={
        onRetry ? (
          <Button size="small" variant="secondary" onPress={onRetry}>
            {t('common.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
