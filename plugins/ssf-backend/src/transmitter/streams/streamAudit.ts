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

import { JsonObject } from '@backstage/types';
import {
  StreamConfiguration,
  StreamStatus,
} from '@shared-signals/plugin-ssf-common';
import { AuditEvent, mutationSeverity } from '../../http/audited';
import { describeCaller } from '../callers';
import { StreamCaller } from './StreamService';

// The audit events of stream changes. The routes and the agent actions
// record them alike, so an auditor's query finds a change however it was
// made. They carry identifiers only, never a delivery's secrets.

/**
 * `stream-mutate`: a stream created, changed or deleted.
 *
 * @internal
 */
export function streamMutationEvent(
  actionType: string,
  caller: StreamCaller,
): AuditEvent {
  return {
    eventId: 'stream-mutate',
    severityLevel: mutationSeverity(actionType),
    meta: { actionType, caller: describeCaller(caller) },
  };
}

/** `stream-verify`: a verification SET asked for (SSF 1.0 §8.1.4.2). @internal */
export function streamVerifyEvent(
  streamId: string,
  caller: StreamCaller,
): AuditEvent {
  return {
    eventId: 'stream-verify',
    meta: { streamId, caller: describeCaller(caller) },
  };
}

/** What the audit event of a created stream says of it. @internal */
export function createdStreamMeta(stream: StreamConfiguration): JsonObject {
  return {
    streamId: stream.stream_id,
    deliveryMethod: stream.delivery.method,
    receiverProfile: stream.receiver_profile ?? 'ssf',
  };
}

/** What the audit event of a status change says of it. @internal */
export function statusChangeMeta(change: {
  previous: StreamStatus;
  current: StreamStatus;
}): JsonObject {
  return {
    streamId: change.current.stream_id,
    from: change.previous.status,
    to: change.current.status,
  };
}
