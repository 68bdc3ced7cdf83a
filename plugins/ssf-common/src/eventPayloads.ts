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

import { z } from 'zod';
import { describeZodIssues } from './zodIssues';
import {
  CAEP_EVENT_TYPES,
  OKTA_EVENT_TYPES,
  RISC_EVENT_TYPES,
  SSF_EVENT_TYPES,
} from './eventTypes';

// Payload schemas per event type (CAEP 1.0 §3, RISC 1.0 §2, SSF 1.0 §8.1.4-5).
// Required members are required; known optional members are type-checked;
// further members are allowed, since both profiles let transmitters add claims.

const localized = z.record(z.string().min(2).max(35), z.string().max(4096));
const caepCommon = {
  event_timestamp: z.number().int().nonnegative().optional(),
  initiating_entity: z.enum(['admin', 'user', 'policy', 'system']).optional(),
  reason_admin: localized.optional(),
  reason_user: localized.optional(),
};
const caep = (shape: z.ZodRawShape = {}) =>
  z.looseObject({ ...caepCommon, ...shape });
const risc = (shape: z.ZodRawShape = {}) =>
  z.looseObject({
    reason_admin: localized.optional(),
    reason_user: localized.optional(),
    ...shape,
  });

// Okta's published risk levels (OktaUserRiskChangeEvent and
// OktaDeviceRiskChangeEvent: current_level / previous_level enums).
const oktaRiskLevel = z.enum(['low', 'medium', 'high', 'secure', 'none']);

const credentialType = z.enum([
  'password',
  'pin',
  'x509',
  'fido2-platform',
  'fido2-roaming',
  'fido-u2f',
  'verifiable-credential',
  'phone-voice',
  'phone-sms',
  'app',
]);

/**
 * The payload schema of every event type the transmitter can send.
 *
 * @public
 */
export const EVENT_PAYLOAD_SCHEMAS: Readonly<
  Record<string, z.ZodType<Record<string, unknown>>>
> = {
  [CAEP_EVENT_TYPES.sessionRevoked]: caep(),
  [CAEP_EVENT_TYPES.tokenClaimsChange]: caep({
    claims: z.record(z.string(), z.unknown()),
  }),
  [CAEP_EVENT_TYPES.credentialChange]: caep({
    credential_type: credentialType,
    change_type: z.enum(['create', 'revoke', 'update', 'delete']),
    friendly_name: z.string().optional(),
    x509_issuer: z.string().optional(),
    x509_serial: z.string().optional(),
    fido2_aaguid: z.string().optional(),
  }),
  [CAEP_EVENT_TYPES.assuranceLevelChange]: caep({
    namespace: z.string().min(1),
    current_level: z.string().min(1),
    previous_level: z.string().optional(),
    change_direction: z.enum(['increase', 'decrease']).optional(),
  }),
  [CAEP_EVENT_TYPES.deviceComplianceChange]: caep({
    previous_status: z.enum(['compliant', 'not-compliant']),
    current_status: z.enum(['compliant', 'not-compliant']),
  }),
  [CAEP_EVENT_TYPES.sessionEstablished]: caep({
    fp_ua: z.string().optional(),
    acr: z.string().optional(),
    amr: z.array(z.string()).optional(),
    ext_id: z.string().optional(),
  }),
  [CAEP_EVENT_TYPES.sessionPresented]: caep({
    fp_ua: z.string().optional(),
    ext_id: z.string().optional(),
  }),
  [CAEP_EVENT_TYPES.riskLevelChange]: caep({
    principal: z.string().min(1),
    current_level: z.enum(['LOW', 'MEDIUM', 'HIGH']),
    previous_level: z.enum(['LOW', 'MEDIUM', 'HIGH']).optional(),
    risk_reason: z.string().optional(),
  }),
  [RISC_EVENT_TYPES.accountCredentialChangeRequired]: risc(),
  [RISC_EVENT_TYPES.accountPurged]: risc(),
  [RISC_EVENT_TYPES.accountDisabled]: risc({ reason: z.string().optional() }),
  [RISC_EVENT_TYPES.accountEnabled]: risc(),
  [RISC_EVENT_TYPES.identifierChanged]: risc({
    'new-value': z.string().optional(),
  }),
  [RISC_EVENT_TYPES.identifierRecycled]: risc(),
  [RISC_EVENT_TYPES.credentialCompromise]: risc({
    credential_type: credentialType,
    event_timestamp: z.number().int().nonnegative().optional(),
  }),
  [RISC_EVENT_TYPES.optIn]: risc(),
  [RISC_EVENT_TYPES.optOutInitiated]: risc(),
  [RISC_EVENT_TYPES.optOutCancelled]: risc(),
  [RISC_EVENT_TYPES.optOutEffective]: risc(),
  [RISC_EVENT_TYPES.recoveryActivated]: risc(),
  [RISC_EVENT_TYPES.recoveryInformationChanged]: risc(),
  [RISC_EVENT_TYPES.sessionsRevoked]: risc(),
  [OKTA_EVENT_TYPES.userRiskChange]: caep({
    current_level: oktaRiskLevel,
    previous_level: oktaRiskLevel,
  }),
  [OKTA_EVENT_TYPES.deviceRiskChange]: caep({
    current_level: oktaRiskLevel,
    previous_level: oktaRiskLevel,
  }),
  [OKTA_EVENT_TYPES.ipChange]: caep({
    current_ip_address: z.string().min(1),
    previous_ip_address: z.string().min(1),
  }),
  [SSF_EVENT_TYPES.verification]: z.looseObject({
    state: z.string().max(1024).optional(),
  }),
  [SSF_EVENT_TYPES.streamUpdated]: z.looseObject({
    status: z.enum(['enabled', 'paused', 'disabled']),
    reason: z.string().max(1024).optional(),
  }),
};

/**
 * Validates an event payload for its type. Returns the problems found, as
 * readable sentences; an empty list means the payload is valid.
 *
 * @public
 */
export function validateEventPayload(type: string, payload: unknown): string[] {
  const schema = EVENT_PAYLOAD_SCHEMAS[type];
  if (!schema) {
    return [`unknown event type '${type}'`];
  }
  const result = schema.safeParse(payload);
  if (result.success) {
    return [];
  }
  return describeZodIssues(result.error.issues);
}
