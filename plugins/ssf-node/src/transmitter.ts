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
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { InputError, ResponseError } from '@backstage/errors';
import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';

/**
 * An event for the SSF transmitter to send to every stream that wants it.
 *
 * @public
 */
export interface SsfEmitRequest {
  /** A CAEP or RISC event type URI, e.g. CAEP_EVENT_TYPES.sessionRevoked. */
  type: string;
  /** Whom the event is about (RFC 9493 subject identifier). */
  subject: SubjectIdentifier;
  /** The event's members, validated against the event type's schema. */
  payload?: Record<string, unknown>;
  /** Groups SETs that share one cause; generated when absent. */
  txn?: string;
}

/**
 * The SETs an emit produced: one per stream that takes the event.
 *
 * @public
 */
export interface SsfEmitResult {
  txn: string;
  sets: Array<{ streamId: string; jti: string }>;
}

/**
 * Lets backend code send security events through the portal's SSF
 * transmitter. The event is validated when emitted (an invalid one is refused
 * here, with the reason) and stored durably before this resolves; delivery to
 * receivers then happens asynchronously.
 *
 * @public
 */
export interface SsfTransmitterService {
  emit(request: SsfEmitRequest): Promise<SsfEmitResult>;
}

/**
 * The SSF transmitter, for other backend plugins. The default implementation
 * calls the `ssf` plugin's emit endpoint with the calling plugin's own
 * service credentials.
 *
 * @public
 */
export const ssfTransmitterServiceRef = createServiceRef<SsfTransmitterService>(
  {
    id: 'ssf.transmitter',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: { auth: coreServices.auth, discovery: coreServices.discovery },
        factory({ auth, discovery }) {
          return {
            async emit(request) {
              const baseUrl = await discovery.getBaseUrl('ssf');
              const { token } = await auth.getPluginRequestToken({
                onBehalfOf: await auth.getOwnServiceCredentials(),
                targetPluginId: 'ssf',
              });
              const response = await fetch(`${baseUrl}/emit`, {
                method: 'POST',
                headers: {
                  'Content-Type': 'application/json',
                  Authorization: `Bearer ${token}`,
                },
                body: JSON.stringify({ payload: {}, ...request }),
              });
              if (!response.ok) {
                const error = await ResponseError.fromResponse(response);
                // A refused event is the caller's mistake: say what was wrong.
                if (response.status === 400) {
                  throw new InputError(
                    `The SSF transmitter refused the event: ${error.body.error.message}`,
                    error,
                  );
                }
                throw error;
              }
              const body = (await response.json()) as {
                txn: string;
                sets: Array<{ stream_id: string; jti: string }>;
              };
              return {
                txn: body.txn,
                sets: body.sets.map(s => ({
                  streamId: s.stream_id,
                  jti: s.jti,
                })),
              };
            },
          };
        },
      }),
  },
);
