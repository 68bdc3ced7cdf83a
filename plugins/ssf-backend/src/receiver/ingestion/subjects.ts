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

type Json = Record<string, unknown>;

const MAX_VALUE_LENGTH = 1024;
// Complex subject (complex → aliases → simple) is as deep as a subject goes.
const MAX_DEPTH = 2;
const MAX_ALIASES = 20;

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

/**
 * The members of an SSF 1.0 §3.2 complex subject, in the order that picks
 * the principal: the user when there is one, else the first present.
 */
const COMPLEX_MEMBERS = [
  'user',
  'device',
  'session',
  'tenant',
  'application',
  'org_unit',
  'group',
];

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** What the receiver makes of a SET's subject. @internal */
export interface SetSubject {
  /**
   * The principal subject as an RFC 9493 subject identifier: the top-level
   * `sub_id` as sent when there is one (SSF 1.0), else the principal of the
   * event's `subject` (the `user` of a complex subject, else its first
   * member), normalised from the pre-1.0 forms.
   */
  subId: Json;
  /** Its format and identifying value, for the index and the filter. */
  index?: { format: string; value: string };
}

/**
 * The subject of a SET. SSF 1.0 §3.1 puts the primary subject in the
 * top-level `sub_id`; pre-1.0 transmitters (RISC and CAEP drafts, Google's
 * RISC, Okta's SSF transmitter) put it in a `subject` member of the event,
 * and §3.1.1 still allows that for existing CAEP and RISC events. The
 * top-level claim wins when both are there.
 *
 * @internal
 */
export function setSubject(
  claims: Json,
  events: Record<string, Json>,
): SetSubject | undefined {
  if (isObject(claims.sub_id)) {
    const normalised = normaliseSubject(claims.sub_id);
    const principal = normalised && principalOf(normalised);
    return {
      subId: claims.sub_id,
      index: principal && indexOf(principal, 0),
    };
  }
  for (const event of Object.values(events)) {
    const normalised = isObject(event.subject)
      ? normaliseSubject(event.subject)
      : undefined;
    const principal = normalised && principalOf(normalised);
    if (principal) {
      return { subId: principal, index: indexOf(principal, 0) };
    }
  }
  return undefined;
}

/**
 * The events of a stored SET's claims that are JSON objects (RFC 8417 §2.2
 * makes each one an object; a stored SET was checked so, this keeps its
 * readers safe anyway).
 *
 * @internal
 */
export function eventsOf(claims: Json): Record<string, Json> {
  return isObject(claims.events)
    ? Object.fromEntries(
        Object.entries(claims.events).filter((entry): entry is [string, Json] =>
          isObject(entry[1]),
        ),
      )
    : {};
}

/** {@link setSubject} of a stored SET's claims. @internal */
export function subjectOfClaims(claims: Json): SetSubject | undefined {
  return setSubject(claims, eventsOf(claims));
}

/**
 * A subject identifier in the form RFC 9493 and SSF 1.0 §3 give it, from
 * the forms pre-1.0 transmitters send:
 *
 * - `subject_type` instead of `format` (draft-ietf-secevent-subject-identifiers,
 *   still sent by Google's RISC; RISC 1.0 §3 "Google Subject Type Value"
 *   asks receivers to accept it, and `format` wins when both are there so
 *   that this keeps working once Google sends `format`);
 * - the draft's type names: `iss-sub` → `iss_sub`, `phone` (member `phone`)
 *   → `phone_number`, and `id_token_claims` / `id-token-claims` (`iss`+`sub`,
 *   `email`, `phone_number`) → its one identifier, or `aliases` of them;
 * - a complex subject without `format: "complex"` (Okta: `subject: {user,
 *   device}`).
 *
 * Unknown formats are kept as they are. Returns undefined for what is not a
 * subject identifier at all.
 *
 * @internal
 */
export function normaliseSubject(raw: unknown, depth = 0): Json | undefined {
  if (!isObject(raw) || depth > MAX_DEPTH) {
    return undefined;
  }
  const { subject_type: subjectType, format: explicit, ...members } = raw;
  let format: string | undefined;
  if (isText(explicit)) {
    format = explicit;
  } else if (isText(subjectType)) {
    format = subjectType;
  }
  if (
    format === undefined &&
    COMPLEX_MEMBERS.some(member => isObject(raw[member]))
  ) {
    format = 'complex';
  }
  switch (format) {
    case undefined:
      return undefined;
    case 'complex': {
      const complex: Json = { format: 'complex' };
      for (const [name, value] of Object.entries(members)) {
        const member = isObject(value)
          ? normaliseSubject(value, depth + 1)
          : undefined;
        if (member) complex[name] = member;
      }
      return Object.keys(complex).length > 1 ? complex : undefined;
    }
    case 'aliases': {
      const identifiers = (
        Array.isArray(raw.identifiers) ? raw.identifiers : []
      )
        .slice(0, MAX_ALIASES)
        .map(i => normaliseSubject(i, depth + 1))
        .filter((i): i is Json => i !== undefined && i.format !== 'aliases');
      return identifiers.length
        ? { format: 'aliases', identifiers }
        : undefined;
    }
    case 'iss-sub':
      return { format: 'iss_sub', ...members };
    case 'phone': {
      const { phone, ...rest } = members;
      const number = rest.phone_number ?? phone;
      return {
        format: 'phone_number',
        ...rest,
        ...(number !== undefined && { phone_number: number }),
      };
    }
    case 'id_token_claims':
    case 'id-token-claims': {
      const identifiers: Json[] = [];
      if (isText(raw.iss) && isText(raw.sub)) {
        identifiers.push({ format: 'iss_sub', iss: raw.iss, sub: raw.sub });
      }
      if (isText(raw.email)) {
        identifiers.push({ format: 'email', email: raw.email });
      }
      const phone = raw.phone_number ?? raw.phone;
      if (isText(phone)) {
        identifiers.push({ format: 'phone_number', phone_number: phone });
      }
      if (identifiers.length > 1) {
        return { format: 'aliases', identifiers };
      }
      return identifiers[0];
    }
    default:
      return { format, ...members };
  }
}

/**
 * The principal of a normalised subject: a complex subject's `user`, else its
 * first member in the order device, session, tenant, application, org_unit,
 * group; any other subject is its own principal (aliases name one principal).
 */
function principalOf(subject: Json): Json | undefined {
  if (subject.format !== 'complex') {
    return subject;
  }
  for (const member of COMPLEX_MEMBERS) {
    if (isObject(subject[member])) {
      return subject[member] as Json;
    }
  }
  // Only members of names SSF does not define.
  return Object.values(subject).find(isObject);
}

/** The format and identifying value the received events are filtered by. */
function indexOf(
  subject: Json,
  depth: number,
): { format: string; value: string } | undefined {
  const format = subject.format;
  if (typeof format !== 'string' || depth > MAX_DEPTH) {
    return undefined;
  }
  if (format === 'aliases' && Array.isArray(subject.identifiers)) {
    const first = subject.identifiers.find(isObject);
    return first ? indexOf(first, depth + 1) : undefined;
  }
  if (format === 'complex') {
    const principal = principalOf(subject);
    return principal ? indexOf(principal, depth + 1) : undefined;
  }
  if (format === 'ip-addresses' && Array.isArray(subject.ip_addresses)) {
    // Strings only: join() would call the toString of a member object,
    // which the SET may have made something that throws.
    return clip(
      format,
      subject.ip_addresses
        .filter((a): a is string => typeof a === 'string')
        .join(','),
    );
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
