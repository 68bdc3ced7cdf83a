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

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const SSF = 'https://schemas.openid.net/secevent/ssf/event-type/';

/**
 * Continuous Access Evaluation Profile (CAEP 1.0) event types.
 *
 * @public
 */
export const CAEP_EVENT_TYPES = {
  sessionRevoked: `${CAEP}session-revoked`,
  tokenClaimsChange: `${CAEP}token-claims-change`,
  credentialChange: `${CAEP}credential-change`,
  assuranceLevelChange: `${CAEP}assurance-level-change`,
  deviceComplianceChange: `${CAEP}device-compliance-change`,
  sessionEstablished: `${CAEP}session-established`,
  sessionPresented: `${CAEP}session-presented`,
  riskLevelChange: `${CAEP}risk-level-change`,
} as const;

/**
 * Risk Incident Sharing and Coordination (RISC 1.0) event types.
 *
 * @public
 */
export const RISC_EVENT_TYPES = {
  accountCredentialChangeRequired: `${RISC}account-credential-change-required`,
  accountPurged: `${RISC}account-purged`,
  accountDisabled: `${RISC}account-disabled`,
  accountEnabled: `${RISC}account-enabled`,
  identifierChanged: `${RISC}identifier-changed`,
  identifierRecycled: `${RISC}identifier-recycled`,
  credentialCompromise: `${RISC}credential-compromise`,
  optIn: `${RISC}opt-in`,
  optOutInitiated: `${RISC}opt-out-initiated`,
  optOutCancelled: `${RISC}opt-out-cancelled`,
  optOutEffective: `${RISC}opt-out-effective`,
  recoveryActivated: `${RISC}recovery-activated`,
  recoveryInformationChanged: `${RISC}recovery-information-changed`,
  sessionsRevoked: `${RISC}sessions-revoked`,
} as const;

/**
 * Event types defined by the Shared Signals Framework itself (SSF 1.0 §8.1.4, §8.1.5).
 * They are always delivered and never listed in `events_supported`.
 *
 * @public
 */
export const SSF_EVENT_TYPES = {
  verification: `${SSF}verification`,
  streamUpdated: `${SSF}stream-updated`,
} as const;

/**
 * Okta's own event types, which Okta Identity Threat Protection ingests beside
 * CAEP and RISC ones ("SSF Security Event Tokens" API, schemas
 * OktaUserRiskChangeEvent, OktaDeviceRiskChangeEvent, OktaIpChangeEvent).
 *
 * @public
 */
export const OKTA_EVENT_TYPES = {
  userRiskChange:
    'https://schemas.okta.com/secevent/okta/event-type/user-risk-change',
  deviceRiskChange:
    'https://schemas.okta.com/secevent/okta/event-type/device-risk-change',
  ipChange: 'https://schemas.okta.com/secevent/okta/event-type/ip-change',
} as const;

/**
 * The CAEP and RISC event types, in a stable order: what an SSF 1.0 receiver
 * may be offered.
 *
 * @public
 */
export const STANDARD_EVENT_TYPES: readonly string[] = Object.freeze([
  ...Object.values(CAEP_EVENT_TYPES),
  ...Object.values(RISC_EVENT_TYPES),
]);

/**
 * Every event type the transmitter knows how to send (CAEP, RISC and the
 * vendor types a receiver profile offers), in a stable order.
 *
 * @public
 */
export const SUBSCRIBABLE_EVENT_TYPES: readonly string[] = Object.freeze([
  ...STANDARD_EVENT_TYPES,
  ...Object.values(OKTA_EVENT_TYPES),
]);

/**
 * Whether the URI names an event type that the transmitter knows how to send.
 *
 * @public
 */
export function isSubscribableEventType(uri: string): boolean {
  return SUBSCRIBABLE_EVENT_TYPES.includes(uri);
}

/**
 * Delivery method URNs (SSF 1.0 §6.1).
 *
 * @public
 */
export const DELIVERY_METHODS = {
  push: 'urn:ietf:rfc:8935',
  poll: 'urn:ietf:rfc:8936',
} as const;

/**
 * A delivery method URN.
 *
 * @public
 */
export type DeliveryMethod =
  (typeof DELIVERY_METHODS)[keyof typeof DELIVERY_METHODS];
