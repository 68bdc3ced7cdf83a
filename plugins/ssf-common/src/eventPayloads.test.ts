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
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
  SSF_EVENT_TYPES,
  SUBSCRIBABLE_EVENT_TYPES,
} from './eventTypes';
import { validateEventPayload } from './eventPayloads';
import { subjectSchema } from './subjects';

describe('validateEventPayload', () => {
  it('has a schema for every event type the transmitter offers', () => {
    for (const type of [
      ...SUBSCRIBABLE_EVENT_TYPES,
      ...Object.values(SSF_EVENT_TYPES),
    ]) {
      expect(validateEventPayload(type, {})).not.toContain(
        `unknown event type '${type}'`,
      );
    }
  });

  it.each([
    [
      CAEP_EVENT_TYPES.sessionRevoked,
      { initiating_entity: 'policy', reason_admin: { en: 'x' } },
    ],
    [
      CAEP_EVENT_TYPES.credentialChange,
      { credential_type: 'fido2-roaming', change_type: 'create' },
    ],
    [
      CAEP_EVENT_TYPES.assuranceLevelChange,
      { namespace: 'NIST-AAL', current_level: 'nist-aal2' },
    ],
    [
      CAEP_EVENT_TYPES.deviceComplianceChange,
      { previous_status: 'compliant', current_status: 'not-compliant' },
    ],
    [
      CAEP_EVENT_TYPES.riskLevelChange,
      { principal: 'USER', current_level: 'HIGH' },
    ],
    [CAEP_EVENT_TYPES.tokenClaimsChange, { claims: { role: 'ro-admin' } }],
    [RISC_EVENT_TYPES.accountDisabled, { reason: 'hijacking' }],
    [
      RISC_EVENT_TYPES.identifierChanged,
      { 'new-value': 'john.roe@example.com' },
    ],
    [RISC_EVENT_TYPES.credentialCompromise, { credential_type: 'password' }],
    [
      SSF_EVENT_TYPES.streamUpdated,
      { status: 'paused', reason: 'maintenance' },
    ],
    [SSF_EVENT_TYPES.verification, { state: 'abc' }],
  ])('accepts a valid %s payload', (type, payload) => {
    expect(validateEventPayload(type, payload)).toEqual([]);
  });

  it.each([
    [
      CAEP_EVENT_TYPES.sessionRevoked,
      { initiating_entity: 'robot' },
      /initiating_entity/,
    ],
    [
      CAEP_EVENT_TYPES.credentialChange,
      { credential_type: 'password' },
      /change_type/,
    ],
    [
      CAEP_EVENT_TYPES.riskLevelChange,
      { principal: 'USER', current_level: 'SEVERE' },
      /current_level/,
    ],
    [
      CAEP_EVENT_TYPES.sessionRevoked,
      { event_timestamp: 'yesterday' },
      /event_timestamp/,
    ],
    [RISC_EVENT_TYPES.credentialCompromise, {}, /credential_type/],
    [SSF_EVENT_TYPES.streamUpdated, { status: 'sleeping' }, /status/],
    ['https://example.com/nope', {}, /unknown event type/],
  ])('refuses an invalid %s payload', (type, payload, problem) => {
    expect(validateEventPayload(type, payload).join('; ')).toMatch(problem);
  });
});

describe('subjectSchema', () => {
  it.each([
    { format: 'email', email: 'a@example.com' },
    { format: 'iss_sub', iss: 'https://idp', sub: '1' },
    { format: 'opaque', id: 'x' },
    { format: 'phone_number', phone_number: '+12065550100' },
    { format: 'account', uri: 'acct:a@example.com' },
    { format: 'did', url: 'did:example:123' },
    { format: 'uri', uri: 'https://example.com/u/1' },
    { format: 'aliases', identifiers: [{ format: 'opaque', id: 'x' }] },
    {
      format: 'complex',
      user: { format: 'email', email: 'a@example.com' },
      tenant: { format: 'opaque', id: 't' },
    },
    { format: 'ip-addresses', 'ip-addresses': ['10.0.0.1', '2001:db8::1'] },
  ])('accepts %p', subject => {
    expect(subjectSchema.safeParse(subject).success).toBe(true);
  });

  it.each([
    { format: 'email', email: 'nope' },
    { format: 'email' },
    { format: 'phone_number', phone_number: '555-1234' },
    { format: 'account', uri: 'mailto:a@example.com' },
    {
      format: 'aliases',
      identifiers: [{ format: 'aliases', identifiers: [] }],
    },
    { format: 'complex' },
    { format: 'opaque', id: 'x', extra: 1 },
    { format: 'telepathy', id: 'x' },
  ])('refuses %p', subject => {
    expect(subjectSchema.safeParse(subject).success).toBe(false);
  });
});
