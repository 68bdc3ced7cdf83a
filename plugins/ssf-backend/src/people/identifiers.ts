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

import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { normaliseSubject } from '../receiver';
import { subjectKey } from '../transmitter';

/**
 * A subject identifier that can name a person: an email address or an
 * issuer and subject (RFC 9493 §3.2.2, §3.2.6).
 *
 * @internal
 */
export type PersonIdentifier =
  | { format: 'email'; email: string }
  | { format: 'iss_sub'; iss: string; sub: string };

/**
 * An issuer whose `iss_sub` subjects name catalog users by the value of one
 * of their annotations (`ssf.people.identities`), e.g. Okta's issuer with
 * the user's Okta id in `okta.com/user-id`.
 *
 * @internal
 */
export interface IssuerIdentity {
  issuer: string;
  annotation: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0;

// A subject nests at most complex → aliases → simple (SSF 1.0 §3).
const MAX_DEPTH = 2;
const MAX_IDENTIFIERS = 20;

/** The key a person identifier is indexed and looked up by. @internal */
export function personKey(identifier: PersonIdentifier): string {
  // Only the identifying members: a subject's other members (none are
  // defined for these formats) must not make two keys of one person.
  // subjectKey lower-cases email addresses.
  return subjectKey(
    identifier.format === 'email'
      ? { format: 'email', email: identifier.email }
      : { format: 'iss_sub', iss: identifier.iss, sub: identifier.sub },
  );
}

/**
 * The person identifiers a SET's subject names: itself when it is an email
 * or iss_sub, each such identifier of an alias list, and those of a complex
 * subject's `user` member (SSF 1.0 §3.3: the other members name devices,
 * sessions and tenants, not people). The subject is first normalised from
 * the pre-1.0 forms the receiver accepts (`subject_type`, `iss-sub`,
 * `id_token_claims`).
 *
 * @internal
 */
export function identifiersNamedBy(subject: unknown): PersonIdentifier[] {
  const normalised = normaliseSubject(subject);
  const found = new Map<string, PersonIdentifier>();
  const walk = (s: unknown, depth: number) => {
    if (!isObject(s) || depth > MAX_DEPTH || found.size >= MAX_IDENTIFIERS) {
      return;
    }
    if (s.format === 'email' && isText(s.email)) {
      const id = { format: 'email' as const, email: s.email };
      found.set(personKey(id), id);
    } else if (s.format === 'iss_sub' && isText(s.iss) && isText(s.sub)) {
      const id = { format: 'iss_sub' as const, iss: s.iss, sub: s.sub };
      found.set(personKey(id), id);
    } else if (s.format === 'aliases' && Array.isArray(s.identifiers)) {
      for (const member of s.identifiers) walk(member, depth + 1);
    } else if (s.format === 'complex') {
      walk(s.user, depth + 1);
    }
  };
  walk(normalised, 0);
  return [...found.values()];
}

/**
 * A catalog user's identities: the email address of `spec.profile.email`;
 * the `iss_sub` the portal's own lifecycle hooks send about them (its
 * subject issuer with the user's entity ref); and, for each configured
 * issuer, an `iss_sub` with the value of the user's annotation named there.
 *
 * @internal
 */
export function userIdentities(
  user: Entity,
  options: { subjectIssuer: string; issuers: IssuerIdentity[] },
): PersonIdentifier[] {
  const identities: PersonIdentifier[] = [];
  const email = (user.spec?.profile as Json | undefined)?.email;
  if (isText(email)) identities.push({ format: 'email', email });
  identities.push({
    format: 'iss_sub',
    iss: options.subjectIssuer,
    sub: stringifyEntityRef(user),
  });
  for (const { issuer, annotation } of options.issuers) {
    const value = user.metadata.annotations?.[annotation];
    if (isText(value)) {
      identities.push({ format: 'iss_sub', iss: issuer, sub: value });
    }
  }
  return identities;
}
