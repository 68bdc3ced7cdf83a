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
import { useMemo } from 'react';
import { JsonBlock } from './JsonBlock';
import { decodeJws } from './jws';

/** The decoded header and claims of a SET. */
export function JwsView(props: { jws: string }) {
  const decoded = useMemo(() => {
    try {
      return decodeJws(props.jws);
    } catch (error) {
      return error as Error;
    }
  }, [props.jws]);
  if (decoded instanceof Error) {
    return <Text color="danger">{decoded.message}</Text>;
  }
  return (
    <Flex direction="column" gap="2">
      <Text variant="title-x-small" weight="bold">
        Header
      </Text>
      <JsonBlock value={decoded.header} label="SET header" />
      <Text variant="title-x-small" weight="bold">
        Claims
      </Text>
      <JsonBlock value={decoded.claims} label="SET claims" />
    </Flex>
  );
}
