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
import useAsync from 'react-use/esm/useAsync';
import { ssfApiRef } from '../../api';
import { ssfTranslationRef } from '../../translation';

/**
 * Warns, above every tab, when the portal's permission setup lets people
 * outside the SSF admin groups manage streams, providers and hooks (the
 * permission framework is off, or a policy such as create-app's allow-all
 * grants ssf.* to everyone). Shows nothing when all is well or when the
 * backend cannot say.
 */
export function SecurityPostureBanner() {
  const ssfApi = useApi(ssfApiRef);
  const { t } = useTranslationRef(ssfTranslationRef);
  const { value } = useAsync(() => ssfApi.getSecurityPosture(), [ssfApi]);
  if (!value?.warnings.length) return null;
  return (
    <Flex direction="column" gap="2" mb="4">
      {value.warnings.map(w => (
        <Alert
          key={w.id}
          status="warning"
          icon
          title={t('posture.title')}
          description={w.message}
          role="alert"
        />
      ))}
    </Flex>
  );
}
