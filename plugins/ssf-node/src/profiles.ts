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

import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { SubjectIdentifier } from '@shared-signals/plugin-ssf-common';

/**
 * The claims of one SET as the transmitter is about to sign it (RFC 8417,
 * SSF 1.0 §4): exactly one event in `events`.
 *
 * @public
 */
export interface SsfSetClaims {
  iss: string;
  aud: string | string[];
  iat: number;
  jti: string;
  txn: string;
  sub_id: SubjectIdentifier;
  events: Record<string, Record<string, unknown>>;
  [claim: string]: unknown;
}

/**
 * How SETs are shaped for one kind of receiver. Some receivers never call the
 * stream API and read SETs their own way (Okta reads the subject inside each
 * event, `aud` as the org URL, `event_timestamp` on every event); a profile
 * holds everything that differs for them, so another vendor is one module.
 *
 * @public
 */
export interface SsfReceiverProfile {
  /** Stable id, stored with the stream: lower-case letters, digits, dashes. */
  id: string;
  /** Shown to admins, e.g. "Okta Identity Threat Protection". */
  title: string;
  /** One sentence for the admin page. */
  description?: string;
  /**
   * The event types this kind of receiver ingests. A stream's
   * `events_supported` is the transmitter's supported types filtered by this.
   */
  eventsSupported: readonly string[];
  /**
   * What a new stream of this profile requests when its creator names
   * nothing, for receivers that never change their stream themselves.
   * Absent: nothing.
   */
  defaultEventsRequested?: readonly string[];
  /**
   * Signing algorithms the receiver accepts; a stream of this profile is
   * refused when the transmitter signs with another. Absent: any.
   */
  signingAlgorithms?: readonly string[];
  /**
   * Whether the receiver takes the SSF stream events (verification,
   * stream-updated). Receivers that never call the stream API do not.
   * Default true.
   */
  acceptsStreamEvents?: boolean;
  /**
   * The audience of a new stream when the creator proposed none. Absent: the
   * receiver's client ID.
   */
  defaultAudience?(context: {
    clientId: string;
    delivery: { method: string; endpointUrl: string };
  }): string | string[];
  /** Checks a new stream's configuration; throw an InputError to refuse it. */
  validateStream?(stream: {
    aud: string | string[];
    delivery: { method: string; endpointUrl: string };
  }): void;
  /** Reshapes a SET's claims before it is signed. */
  shapeSet?(claims: SsfSetClaims): SsfSetClaims;
}

/**
 * Lets backend modules add receiver profiles to the SSF transmitter.
 *
 * @public
 */
export interface SsfReceiverProfilesExtensionPoint {
  addProfile(profile: SsfReceiverProfile): void;
}

/**
 * Extension point for receiver profiles (`ssf` and `okta` are built in).
 *
 * @public
 */
export const ssfReceiverProfilesExtensionPoint =
  createExtensionPoint<SsfReceiverProfilesExtensionPoint>({
    id: 'ssf.receiverProfiles',
  });
