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
import { Flex, Table, CellText, Text } from '@backstage/ui';
import { JsonWebKeySet } from '../../api';
import { ssfTranslationRef } from '../../translation';
import { CopyButton, JsonBlock, SectionCard } from '../common';

type KeyRow = { id: string; kty: string; alg: string; use: string };

const columns = [
  {
    id: 'kid',
    label: 'Key ID',
    isRowHeader: true,
    cell: (k: KeyRow) => <CellText title={k.id} />,
  },
  { id: 'kty', label: 'Type', cell: (k: KeyRow) => <CellText title={k.kty} /> },
  {
    id: 'alg',
    label: 'Algorithm',
    cell: (k: KeyRow) => <CellText title={k.alg} />,
  },
  { id: 'use', label: 'Use', cell: (k: KeyRow) => <CellText title={k.use} /> },
];

/** The public keys receivers verify SETs with. */
export function JwksCard(props: { jwks: JsonWebKeySet; jwksUri: string }) {
  const { t } = useTranslationRef(ssfTranslationRef);
  const rows: KeyRow[] = props.jwks.keys.map((key, index) => ({
    id: typeof key.kid === 'string' ? key.kid : `key ${index + 1}`,
    kty: key.kty,
    alg: typeof key.alg === 'string' ? key.alg : '—',
    use: typeof key.use === 'string' ? key.use : '—',
  }));
  return (
    <SectionCard
      title={t('transmitter.keysTitle')}
      heading="h2"
      actions={<CopyButton value={props.jwksUri} label="JWKS URL" />}
    >
      <Flex direction="column" gap="4">
        <Table
          columnConfig={columns}
          data={rows}
          pagination={{ type: 'none' }}
          emptyState={<Text>{t('transmitter.noKeys')}</Text>}
        />
        <JsonBlock value={props.jwks} label="JWKS JSON" />
      </Flex>
    </SectionCard>
  );
}
