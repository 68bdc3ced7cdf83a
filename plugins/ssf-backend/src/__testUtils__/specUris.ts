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

/*
 * The URIs the tests send and expect, written out from the specifications
 * rather than imported from ssf-common, so that a test checks our code
 * against the spec's text and not against our own reading of it.
 */

/** Push delivery: RFC 8935, as SSF 1.0 names it for `delivery.method`. */
export const PUSH = 'urn:ietf:rfc:8935';
/** Poll delivery: RFC 8936, as SSF 1.0 names it for `delivery.method`. */
export const POLL = 'urn:ietf:rfc:8936';

/** The prefix of every CAEP 1.0 event type. */
export const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
/** The prefix of every RISC 1.0 event type. */
export const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
/** Okta's own event types ("SSF Security Event Tokens" API). */
export const OKTA = 'https://schemas.okta.com/secevent/okta/event-type/';

/** CAEP 1.0, "Session Revoked". */
export const SESSION_REVOKED = `${CAEP}session-revoked`;
/** CAEP 1.0, "Token Claims Change". */
export const TOKEN_CLAIMS_CHANGE = `${CAEP}token-claims-change`;
/** CAEP 1.0, "Credential Change". */
export const CREDENTIAL_CHANGE = `${CAEP}credential-change`;
/** RISC 1.0, "Account Disabled". */
export const ACCOUNT_DISABLED = `${RISC}account-disabled`;
/** RISC 1.0, "Account Enabled". */
export const ACCOUNT_ENABLED = `${RISC}account-enabled`;
/** SSF 1.0, "Verification Event". */
export const VERIFICATION =
  'https://schemas.openid.net/secevent/ssf/event-type/verification';
/** SSF 1.0, "Stream Updated Event". */
export const STREAM_UPDATED =
  'https://schemas.openid.net/secevent/ssf/event-type/stream-updated';

/** The transmitter's issuer in a test backend (`backend.baseUrl` + the plugin's path). */
export const TEST_ISSUER = 'http://localhost:7007/api/ssf';
