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

import { InputError } from '@backstage/errors';
import {
  CAEP_EVENT_TYPES,
  DELIVERY_METHODS,
  OKTA_EVENT_TYPES,
  RISC_EVENT_TYPES,
  SubjectIdentifier,
} from '@shared-signals/plugin-ssf-common';
import {
  SsfReceiverProfile,
  SsfSetClaims,
} from '@shared-signals/plugin-ssf-node';

// What Okta's "SSF Security Event Tokens" API ingests (its
// SecurityEventTokenRequestJwtEvents members).
const OKTA_INGESTED = Object.freeze([
  CAEP_EVENT_TYPES.sessionRevoked,
  CAEP_EVENT_TYPES.deviceComplianceChange,
  RISC_EVENT_TYPES.identifierChanged,
  OKTA_EVENT_TYPES.userRiskChange,
  OKTA_EVENT_TYPES.deviceRiskChange,
  OKTA_EVENT_TYPES.ipChange,
]);

/**
 * Okta Identity Threat Protection as a receiver. Okta never calls the stream
 * API: an Okta admin registers this transmitter as a Security Events Provider
 * (issuer + JWKS URL, or the well-known URL) and the portal pushes to
 * `https://<org>/security/api/v1/security-events`. Okta reads a SET by its
 * published schemas, which differ from SSF 1.0 in what they require:
 *
 * - the subject inside each event (`events.<type>.subject`, an object with
 *   `user` and/or `device`), not only the top-level `sub_id`;
 * - `aud` as one string, the org URL;
 * - `event_timestamp` on every event;
 * - RISC identifier-changed's new value as `new_value`;
 * - RS256 signatures.
 *
 * `sub_id` stays at the top level as SSF 1.0 requires; Okta ignores it.
 *
 * @internal
 */
export const oktaReceiverProfile: SsfReceiverProfile = {
  id: 'okta',
  title: 'Okta Identity Threat Protection',
  description:
    'An Okta org that registered this portal as a Security Events Provider; SETs are pushed to the org and shaped as Okta reads them.',
  eventsSupported: OKTA_INGESTED,
  defaultEventsRequested: OKTA_INGESTED,
  signingAlgorithms: ['RS256'],
  acceptsStreamEvents: false,
  defaultAudience: ({ delivery }) => new URL(delivery.endpointUrl).origin,
  validateStream({ aud, delivery }) {
    if (delivery.method !== DELIVERY_METHODS.push) {
      throw new InputError(
        'An okta receiver_profile stream must use push delivery: Okta receives SETs only by push',
      );
    }
    if (typeof aud !== 'string') {
      throw new InputError(
        'An okta receiver_profile stream needs aud as one string, the Okta org URL',
      );
    }
  },
  shapeSet(claims: SsfSetClaims): SsfSetClaims {
    const events: SsfSetClaims['events'] = {};
    for (const [type, payload] of Object.entries(claims.events)) {
      const { 'new-value': newValue, ...rest } = payload;
      events[type] = {
        ...rest,
        ...(newValue !== undefined && { new_value: newValue }),
        event_timestamp: payload.event_timestamp ?? claims.iat,
        subject: oktaSubject(claims.sub_id),
      };
    }
    return { ...claims, events };
  },
};

/**
 * An RFC 9493 subject as Okta's SecurityEventSubject reads it: a complex
 * subject's `user` and `device` as they are, any other subject as the user.
 */
function oktaSubject(subject: SubjectIdentifier): Record<string, unknown> {
  if (subject.format === 'complex') {
    const { user, device } = subject as Record<string, unknown>;
    return {
      ...(user !== undefined && { user }),
      ...(device !== undefined && { device }),
    };
  }
  return { user: subject };
}
