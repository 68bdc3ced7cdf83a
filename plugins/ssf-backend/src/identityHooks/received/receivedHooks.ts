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

import {
  SubjectIdentifier,
  subjectSchema,
} from '@shared-signals/plugin-ssf-common';
import { eventsOf, setSubject, StoredReceivedEvent } from '../../receiver';
import { renderTemplate, TemplateValues } from '../hooks/templates';
import {
  EventReceivedTrigger,
  HookDefinition,
  ReceivedEventCause,
} from '../hooks/types';
import { subjectIdentity } from '../identities/identityChanges';

const CAEP_PREFIX = 'https://schemas.openid.net/secevent/caep/event-type/';

type Json = Record<string, unknown>;

/** A received SET as the `event_received` hooks see it. @internal */
export interface ReceivedSet {
  /** The provider it came from, when it is a registered one. */
  providerId?: string;
  iss: string;
  jti: string;
  txn?: string;
  /** Its principal subject, which the hooks' events name too. */
  subject: SubjectIdentifier;
  /** Its events: event type URI to payload. */
  events: Record<string, Json>;
  receivedAt: Date;
}

/** An event a hook would emit for a received SET. @internal */
export interface PlannedReceivedEvent {
  hook: HookDefinition & { id?: string };
  cause: ReceivedEventCause;
  eventType: string;
  subject: SubjectIdentifier;
  payload: Record<string, unknown>;
  txn: string;
}

/**
 * A stored SET as the hooks see it, or undefined when it names no subject
 * an event of ours can name (a hook's event must be about someone).
 *
 * @internal
 */
export function toReceivedSet({
  event,
}: StoredReceivedEvent): ReceivedSet | undefined {
  const events = eventsOf(event.claims);
  const found = setSubject(event.claims, events);
  const subject = subjectSchema.safeParse(found?.subId);
  if (!subject.success) return undefined;
  return {
    ...(event.providerId !== undefined && { providerId: event.providerId }),
    iss: event.iss,
    jti: event.jti,
    ...(event.txn !== undefined && { txn: event.txn }),
    subject: subject.data as SubjectIdentifier,
    events,
    receivedAt: event.receivedAt,
  };
}

/** Whether a received SET fires an `event_received` trigger. @internal */
export function receivedTriggerMatches(
  trigger: EventReceivedTrigger,
  set: Pick<ReceivedSet, 'providerId' | 'events'>,
): boolean {
  if (trigger.provider !== undefined && trigger.provider !== set.providerId) {
    return false;
  }
  return Object.hasOwn(set.events, trigger.event_type);
}

/**
 * The events the given hooks emit for a received SET, without emitting
 * them: what the consumer sends, and what a dry run shows. Each names the
 * received SET's subject and carries its txn (its jti when it has none), so
 * a receiver of ours can trace it to the SET that caused it.
 *
 * @internal
 */
export function planReceived(
  set: ReceivedSet,
  hooks: Array<HookDefinition & { id?: string }>,
): PlannedReceivedEvent[] {
  const txn = set.txn ?? set.jti;
  const identity = subjectIdentity(set.subject);
  const email =
    set.subject.format === 'email' ? String(set.subject.email ?? '') : '';
  const planned: PlannedReceivedEvent[] = [];
  for (const hook of hooks) {
    const trigger = hook.trigger;
    if (
      !hook.enabled ||
      trigger.on !== 'event_received' ||
      !receivedTriggerMatches(trigger, set)
    ) {
      continue;
    }
    const received = set.events[trigger.event_type];
    const values: TemplateValues = {
      from: '',
      to: '',
      path: 'event_received',
      identity,
      email,
      name: email || identity,
    };
    const payload = renderTemplate(hook.payloadTemplate, values, {
      event_type: trigger.event_type,
      provider: set.providerId ?? '',
      iss: set.iss,
      jti: set.jti,
      txn,
      event: received,
    });
    if (
      hook.eventType.startsWith(CAEP_PREFIX) &&
      payload.event_timestamp === undefined
    ) {
      // When it happened, as the provider says, else when we heard of it.
      payload.event_timestamp =
        typeof received.event_timestamp === 'number'
          ? received.event_timestamp
          : Math.floor(set.receivedAt.getTime() / 1000);
    }
    planned.push({
      hook,
      cause: {
        kind: 'event_received',
        ...(set.providerId !== undefined && { provider: set.providerId }),
        iss: set.iss,
        jti: set.jti,
        event_type: trigger.event_type,
      },
      eventType: hook.eventType,
      subject: set.subject,
      payload,
      txn,
    });
  }
  return planned;
}
