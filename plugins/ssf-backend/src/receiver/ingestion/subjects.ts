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

const MAX_VALUE_LENGTH = 1024;

// The member of each RFC 9493 / SSF format that identifies the subject.
const VALUE_MEMBER: Record<string, string> = {
  email: 'email',
  phone_number: 'phone_number',
  iss_sub: 'sub',
  opaque: 'id',
  account: 'uri',
  uri: 'uri',
  did: 'url',
  jwt_id: 'jti',
  saml_assertion_id: 'assertion_id',
};

const COMPLEX_MEMBERS = [
  'user',
  'device',
  'session',
  'application',
  'tenant',
  'org_unit',
  'group',
];

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The principal subject of a SET as `{format, value}` for listing and
 * filtering: the top-level `sub_id` (SSF 1.0), else the `subject` member of
 * its first event (pre-1.0 SSF and CAEP drafts). For a complex subject, its
 * `user` (or first present member); for aliases, the first identifier.
 *
 * @internal
 */
export function principalSubject(
  claims: Json,
  events: Record<string, Json>,
): { format: string; value: string } | undefined {
  const first = Object.values(events)[0];
  if (isObject(claims.sub_id)) {
    return simpleForm(claims.sub_id, 0);
  }
  return isObject(first?.subject) ? simpleForm(first.subject, 0) : undefined;
}

function simpleForm(
  subject: Json,
  depth: number,
): { format: string; value: string } | undefined {
  const format = subject.format;
  if (typeof format !== 'string' || depth > 2) {
    return undefined;
  }
  if (format === 'aliases' && Array.isArray(subject.identifiers)) {
    const inner = subject.identifiers.find(isObject);
    return inner ? simpleForm(inner, depth + 1) : undefined;
  }
  if (format === 'complex') {
    for (const member of COMPLEX_MEMBERS) {
      if (isObject(subject[member])) {
        return simpleForm(subject[member] as Json, depth + 1);
      }
    }
    return undefined;
  }
  if (format === 'ip-addresses' && Array.isArray(subject.ip_addresses)) {
    return clip(format, subject.ip_addresses.join(','));
  }
  const member = VALUE_MEMBER[format];
  const value = member ? subject[member] : undefined;
  return typeof value === 'string' ? clip(format, value) : undefined;
}

function clip(format: string, value: string) {
  return {
    format: format.slice(0, 64),
    value: value.slice(0, MAX_VALUE_LENGTH),
  };
}
