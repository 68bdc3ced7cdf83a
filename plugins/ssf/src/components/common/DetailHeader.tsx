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

import { Button, Flex, Text } from '@backstage/ui';
import { RiArrowLeftLine } from '@remixicon/react';
import { ReactNode } from 'react';

/**
 * The top of a detail page: a way back to the list, the item's name as the
 * page heading, and a toolbar (named `actionsLabel`) holding `children`, the
 * item's actions. Shared so that every detail page opens the same way.
 */
export function DetailHeader(props: {
  backLabel: string;
  onBack: () => void;
  title: ReactNode;
  actionsLabel: string;
  children?: ReactNode;
}) {
  return (
    <>
      <Flex align="center" gap="3" style={{ flexWrap: 'wrap' }}>
        <Button
          variant="tertiary"
          size="small"
          iconStart={<RiArrowLeftLine />}
          onPress={props.onBack}
        >
          {props.backLabel}
        </Button>
        <Text as="h2" variant="title-medium" weight="bold">
          {props.title}
        </Text>
      </Flex>
      <Flex
        gap="2"
        style={{ flexWrap: 'wrap' }}
        role="toolbar"
        aria-label={props.actionsLabel}
      >
        {props.children}
      </Flex>
    </>
  );
}
