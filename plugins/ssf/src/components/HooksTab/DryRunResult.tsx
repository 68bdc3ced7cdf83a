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

import { Card, CardBody, Flex, Grid, Text } from '@backstage/ui';
import { HookDryRunEvent, HookDryRunResult } from '../../api';
import { Field, JsonBlock, eventTypeLabel } from '../common';
import { describeChange, subjectLabel } from './hookText';

function streamsText(streams: string[]): string {
  if (streams.length === 0) {
    return 'No stream requested this event type, so it would not be sent';
  }
  const noun = streams.length === 1 ? 'stream' : 'streams';
  return `${streams.length} ${noun}: ${streams.join(', ')}`;
}

function EventCard(props: { event: HookDryRunEvent }) {
  const { event } = props;
  return (
    <Card role="region" aria-label={`Event from ${event.hook_name}`}>
      <CardBody>
        <Flex direction="column" gap="3">
          <Grid.Root columns={{ initial: '1', md: '2' }} gap="3">
            <Field label="Hook">{event.hook_name}</Field>
            <Field label="Event type">{eventTypeLabel(event.event_type)}</Field>
            <Field label="Subject">{subjectLabel(event.subject)}</Field>
            <Field label="Would be sent to">{streamsText(event.streams)}</Field>
          </Grid.Root>
          <JsonBlock
            value={event.payload}
            label={`Payload from ${event.hook_name}`}
          />
        </Flex>
      </CardBody>
    </Card>
  );
}

/** The changes a dry run derived from the values before and after. */
function ChangesSeen(props: { changes: HookDryRunResult['changes'] }) {
  const { changes } = props;
  return (
    <>
      <Text variant="title-x-small" weight="bold">
        Changes seen
      </Text>
      {changes.length === 0 ? (
        <Text color="secondary">
          Nothing changed: the values before and after are the same.
        </Text>
      ) : (
        <ul style={{ margin: 0 }}>
          {changes.map((change, i) => {
            const { title, description } = describeChange(change);
            return (
              <li key={i}>
                <Text>{description ? `${title}: ${description}` : title}</Text>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/**
 * What a dry run derived from the change, and the events it would emit. A
 * received event is no change to the user's attributes: for one, only the
 * events are shown.
 */
export function DryRunResult(props: {
  result: HookDryRunResult;
  /** Whether the dry run was of a received event. */
  received?: boolean;
}) {
  const { received } = props;
  const { changes, events } = props.result;
  return (
    <Flex direction="column" gap="3" role="region" aria-label="Dry-run result">
      {!received && <ChangesSeen changes={changes} />}
      <Text variant="title-x-small" weight="bold">
        Events that would be emitted
      </Text>
      {events.length === 0 && received && (
        <Text color="secondary">
          No hook on received events matches this event, so nothing would be
          emitted. Only enabled hooks are tried.
        </Text>
      )}
      {events.length === 0 && !received && (
        <Text color="secondary">
          No hook matches this change, so nothing would be emitted. Only enabled
          hooks are tried.
        </Text>
      )}
      {events.map((event, i) => (
        <EventCard key={i} event={event} />
      ))}
    </Flex>
  );
}
