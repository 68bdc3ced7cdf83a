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

import { Grid, Text } from '@backstage/ui';
import { StreamVerification } from '../../api';
import { Field, SectionCard, formatTime } from '../common';

function outcome(v: StreamVerification): {
  text: string;
  color: 'success' | 'danger' | 'warning';
} {
  if (v.error || v.status === 'dead') {
    return { text: `Failed: ${v.error ?? 'not delivered'}`, color: 'danger' };
  }
  if (v.status === 'dropped') {
    return { text: 'Dropped: the stream is disabled', color: 'danger' };
  }
  if (v.delivered_at || v.status === 'delivered') {
    return { text: 'Delivered to the receiver', color: 'success' };
  }
  return { text: 'Requested, not delivered yet', color: 'warning' };
}

/** The last verification of a stream and how it went. */
export function VerificationCard(props: { verification?: StreamVerification }) {
  const { verification } = props;
  return (
    <SectionCard title="Verification" heading="h3">
      {verification ? (
        <Grid.Root columns={{ initial: '1', md: '2' }} gap="3">
          <Field label="Result">
            <Text color={outcome(verification).color}>
              {outcome(verification).text}
            </Text>
          </Field>
          <Field label="State">{verification.state || '—'}</Field>
          <Field label="Requested">
            {formatTime(verification.requested_at)}
          </Field>
          <Field label="Delivered">
            {formatTime(verification.delivered_at)}
          </Field>
        </Grid.Root>
      ) : (
        <Text color="secondary">
          No verification has been requested for this stream yet. Use Verify to
          send one.
        </Text>
      )}
    </SectionCard>
  );
}
