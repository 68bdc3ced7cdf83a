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

import { Card, CardBody, CardHeader, Flex, Text } from '@backstage/ui';
import { ReactNode } from 'react';

/**
 * A card with a titled header, as every section of the page has. The
 * heading is `h2` for a tab's own sections and `h3` below a detail page's
 * heading. `actions` sit at the header's end; with `regionLabel` the card is
 * a region of that name, for sections a screen reader user jumps between.
 */
export function SectionCard(props: {
  title: ReactNode;
  heading: 'h2' | 'h3';
  actions?: ReactNode;
  regionLabel?: string;
  children: ReactNode;
}) {
  const { title, heading, actions, regionLabel, children } = props;
  const titleText = (
    <Text as={heading} variant="title-small" weight="bold">
      {title}
    </Text>
  );
  return (
    <Card
      {...(regionLabel !== undefined && {
        role: 'region',
        'aria-label': regionLabel,
      })}
    >
      <CardHeader>
        {actions ? (
          <Flex
            justify="between"
            align="center"
            gap="3"
            style={{ flexWrap: 'wrap' }}
          >
            {titleText}
            {actions}
          </Flex>
        ) : (
          titleText
        )}
      </CardHeader>
      <CardBody>{children}</CardBody>
    </Card>
  );
}
