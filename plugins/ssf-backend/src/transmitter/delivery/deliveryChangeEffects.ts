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

import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DELIVERY_METHODS,
  SSF_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { TransmitterConfig } from '../config';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { DeliveryChangeHandler } from '../streams/StreamService';
import { OutboxStore } from './OutboxStore';
import { pushSet } from './pushSet';
import { TransmitterEmitter } from './TransmitterEmitter';

/** The `reason` of the stream-updated SET; SSF 1.0 §8.1.5 leaves its text to the transmitter. @internal */
export const ADMIN_DELIVERY_CHANGE_REASON =
  'The delivery of this stream (endpoint URL or authorization header) was changed by a portal administrator';

/**
 * What a portal admin's change of another client's delivery does (see
 * `isAdminDeliveryChange`): the receiver is sent a stream-updated SET
 * (SSF 1.0 §8.1.5, `{status, reason}`), so that a hijack is visible to it.
 *
 * The outbox delivers a SET to a stream's delivery as it is when the SET is
 * sent, so a queued SET would reach only the NEW endpoint, which in a hijack
 * is the attacker's. So:
 *
 * - One SET is queued, in the change's transaction, as a control SET
 *   (delivered whatever the stream's status) for the stream as it now is:
 *   durable and retried, it reaches a receiver that really moved.
 * - Once the change is committed, the same signed SET (same `jti`, so a
 *   receiver that gets both keeps one) is pushed once, best-effort, straight
 *   to the OLD push endpoint with its old authorization header, under the
 *   outbound URL policy and the push timeout. It is not retried: the old
 *   delivery is no longer stored anywhere to retry it with.
 *
 * A poll receiver cannot be told this way: its stream is no longer polled
 * if the delivery became push (its next poll is refused, which it sees), and
 * a poll-to-poll change does not exist (the poll URL is the transmitter's).
 * A stream whose receiver profile takes no stream events (such as `okta`)
 * gets nothing.
 *
 * @internal
 */
export function deliveryChangeEffects(options: {
  emitter: TransmitterEmitter;
  outbox: OutboxStore;
  config: TransmitterConfig;
  logger: LoggerService;
  resolve?: HostResolver;
}): DeliveryChangeHandler {
  const { emitter, outbox, config, logger } = options;
  return async ({ tx, before, after }) => {
    const jti = await emitter.emitToStream(
      after,
      SSF_EVENT_TYPES.streamUpdated,
      { status: after.status, reason: ADMIN_DELIVERY_CHANGE_REASON },
      { tx, control: true },
    );
    if (jti === undefined) return undefined;
    const previous = before.delivery;
    return async () => {
      if (previous.method !== DELIVERY_METHODS.push) {
        return { jti, previousEndpoint: 'not-push' };
      }
      try {
        const entry = await outbox.get(jti);
        if (!entry) return { jti, previousEndpoint: 'not sent: SET not found' };
        const result = await pushSet({
          endpointUrl: previous.endpointUrl,
          authorizationHeader: previous.authorizationHeader,
          setJws: entry.setJws,
          timeoutMs: config.delivery.timeoutMs,
          policy: config.urlPolicy,
          resolve: options.resolve,
        });
        if (result.outcome === 'delivered') {
          return { jti, previousEndpoint: 'delivered' };
        }
        logger.warn(
          `SSF could not tell the previous endpoint of stream ${after.streamId} that a portal administrator changed its delivery: ${result.error}`,
        );
        return { jti, previousEndpoint: `not delivered: ${result.error}` };
      } catch (error) {
        logger.warn(
          `SSF could not tell the previous endpoint of stream ${
            after.streamId
          } that a portal administrator changed its delivery: ${
            (error as Error).message
          }`,
        );
        return {
          jti,
          previousEndpoint: `not delivered: ${(error as Error).message}`,
        };
      }
    };
  };
}
