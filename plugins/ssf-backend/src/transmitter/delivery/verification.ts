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

import { ConflictError, CustomErrorBase, InputError } from '@backstage/errors';
import { SSF_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import { StreamStore } from '../streams/StreamStore';
import { StreamCaller, StreamService } from '../streams/StreamService';
import { TransmitterEmitter } from './TransmitterEmitter';

/**
 * A request made sooner than allowed; rendered as 429 by Backstage's error
 * handler, with the wait in `retryAfterSeconds`.
 *
 * @internal
 */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  statusCode = 429;
  readonly retryAfterSeconds: number;

  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Handles a receiver's verification request (SSF 1.0 §8.1.4.2): stores a
 * verification SET echoing `state` for the stream, at most once per
 * `min_verification_interval`. A disabled stream cannot be verified, since
 * nothing would be delivered; a paused one holds the SET like any other.
 *
 * @internal
 */
export async function requestVerification(options: {
  caller: StreamCaller;
  streamId: string;
  state?: string;
  streams: StreamService;
  store: StreamStore;
  emitter: TransmitterEmitter;
  now?: Date;
}): Promise<{ jti: string }> {
  const { caller, streamId, state, streams, store, emitter } = options;
  const now = options.now ?? new Date();
  return store.transaction(async tx => {
    const stream = await streams.getRecord(caller, streamId, tx);
    if (stream.status === 'disabled') {
      throw new ConflictError(
        `Stream ${streamId} is disabled; enable it before asking for verification`,
      );
    }
    if (stream.verification) {
      const elapsed =
        (now.getTime() - stream.verification.requestedAt.getTime()) / 1000;
      const wait = Math.ceil(stream.minVerificationInterval - elapsed);
      if (wait > 0) {
        throw new TooManyRequestsError(
          `Verification was requested less than ${stream.minVerificationInterval} seconds ago (min_verification_interval); try again in ${wait} seconds`,
          wait,
        );
      }
    }
    const jti = await emitter.emitToStream(
      stream,
      SSF_EVENT_TYPES.verification,
      state !== undefined ? { state } : {},
      { tx },
    );
    if (jti === undefined) {
      throw new InputError(
        `Stream ${streamId} has receiver profile '${stream.receiverProfile}', whose receivers take no SSF verification events`,
      );
    }
    await store.update(
      { ...stream, verification: { state, jti, requestedAt: now } },
      tx,
    );
    return { jti };
  });
}
