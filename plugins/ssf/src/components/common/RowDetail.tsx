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

import { Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/**
 * What a card shows of the row picked in its table: a region named
 * `label`, a small bold title with `action` (such as Close) at its end, and
 * the row's details below.
 */
export function RowDetail(props: {
  label: string;
  title: ReactNode;
  action?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Flex direction="column" gap="2" role="region" aria-label={props.label}>
      <Flex justify="between" align="center">
        <Text variant="title-x-small" weight="bold">
          {props.title}
        </Text>
        {props.action}
      </Flex>
      {props.children}
    </Flex>
  );
}
