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
import { Button, Flex, Text } from '@backstage/ui';
import { RiRefreshLine } from '@remixicon/react';
import { ReactNode } from 'react';
import { ssfTranslationRef } from '../../translation';

/**
 * The header above a tab's list: what the list is for on the left, and a
 * refresh button followed by the tab's own actions (`children`) on the right.
 * One component so that every list tab lays its header out the same way.
 */
export function TabToolbar(props: {
  intro: ReactNode;
  onRefresh: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <Flex justify="between" align="center" gap="3" style={{ flexWrap: 'wrap' }}>
      <Text as="p" color="secondary">
        {props.intro}
      </Text>
      <Flex gap="2">
        <Button
          variant="secondary"
          iconStart={<RiRefreshLine />}
          onPress={props.onRefresh}
        >
          {t('common.refresh')}
        </Button>
        {props.children}
      </Flex>
    </Flex>
  );
}
