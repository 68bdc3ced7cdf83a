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

import { SSF_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import { StatusChangeHandler } from '../streams/StreamService';
import { OutboxStore } from './OutboxStore';
import { TransmitterEmitter } from './TransmitterEmitter';
import { TransmitterMetrics } from '../metrics';

/**
 * What a status change does to delivery (SSF 1.0 §8.1.2, §8.1.5):
 *
 * - A stream-updated SET tells the receiver when the transmitter's side (a
 *   portal admin, or the transmitter itself on inactivity) pauses or disables its stream, sent ahead of the change and
 *   delivered despite it, and whenever a stream is enabled again. A receiver
 *   changing its own stream's status is not told what it just did, except on
 *   re-enable, which always announces itself.
 * - Disabling drops the stream's undelivered SETs; pausing keeps them (the
 *   stream's SETs stay pending and are delivered once it is enabled again).
 *
 * @internal
 */
export function deliveryStatusEffects(options: {
  emitter: TransmitterEmitter;
  outbox: OutboxStore;
  metrics?: TransmitterMetrics;
  now?: () => Date;
}): StatusChangeHandler {
  const { emitter, outbox, metrics } = options;
  const now = options.now ?? (() => new Date());
  return async ({ tx, before, after, caller }) => {
    if (before.status === after.status) {
      return;
    }
    const payload = {
      status: after.status,
      ...(after.statusReason !== undefined && { reason: after.statusReason }),
    };
    if (after.status === 'disabled') {
      const dropped = await outbox.dropPending(
        after.streamId,
        `dropped: the stream was disabled${
          after.statusReason ? ` (${after.statusReason})` : ''
        }`,
        now(),
        tx,
      );
      metrics?.dropped(dropped, 'stream_disabled', after.streamId);
    }
    // The transmitter's side: an admin, or the transmitter itself.
    const announce = after.status === 'enabled' || caller.type !== 'client';
    if (announce) {
      await emitter.emitToStream(
        after,
        SSF_EVENT_TYPES.streamUpdated,
        payload,
        {
          tx,
          control: true,
        },
      );
    }
  };
}
