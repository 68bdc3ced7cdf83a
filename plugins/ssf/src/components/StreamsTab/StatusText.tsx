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

import { StreamStatusValue } from '@shared-signals/plugin-ssf-common';
import { Text } from '@backstage/ui';

const COLORS = {
  enabled: 'success',
  paused: 'warning',
  disabled: 'danger',
} as const;

const LABELS: Record<StreamStatusValue, string> = {
  enabled: 'Enabled',
  paused: 'Paused',
  disabled: 'Disabled',
};

/** A stream status in words and colour. */
export function StatusText(props: { status: StreamStatusValue }) {
  return (
    <Text color={COLORS[props.status]} weight="bold">
      {LABELS[props.status] ?? props.status}
    </Text>
  );
}

/** The label of a stream status. */
export function statusLabel(status: StreamStatusValue): string {
  return LABELS[status] ?? status;
}
