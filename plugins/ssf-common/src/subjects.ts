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

// Subject identifiers (RFC 9493, and the formats SSF 1.0 §3 adds). Every
// format is a strict object: an identifier with an unexpected member is more
// likely a mistake than an extension, and matching depends on exact members.

const MAX = 1024;
const str = z.string().min(1).max(MAX);

const account = z
  .object({
    format: z.literal('account'),
    uri: str.regex(/^acct:/, { error: "uri must start with 'acct:'" }),
  })
  .strict();
const email = z
  .object({
    format: z.literal('email'),
    email: z.email({ error: 'email must be an email address' }).max(MAX),
  })
  .strict();
const issSub = z
  .object({ format: z.literal('iss_sub'), iss: str, sub: str })
  .strict();
const opaque = z.object({ format: z.literal('opaque'), id: str }).strict();
const phoneNumber = z
  .object({
    format: z.literal('phone_number'),
    phone_number: z.string().regex(/^\+[1-9]\d{1,14}$/, {
      error: 'phone_number must be in E.164 form, e.g. +12065550100',
    }),
  })
  .strict();
const did = z
  .object({
    format: z.literal('did'),
    url: str.regex(/^did:/, { error: "url must start with 'did:'" }),
  })
  .strict();
const uri = z
  .object({
    format: z.literal('uri'),
    uri: z.url({ error: 'uri must be an absolute URI' }).max(MAX),
  })
  .strict();
const jwtId = z
  .object({ format: z.literal('jwt_id'), iss: str, jti: str })
  .strict();
const samlAssertionId = z
  .object({
    format: z.literal('saml_assertion_id'),
    issuer: str,
    assertion_id: str,
  })
  .strict();
const ipAddresses = z
  .object({
    format: z.literal('ip-addresses'),
    'ip-addresses': z
      .array(z.union([z.ipv4(), z.ipv6()]))
      .min(1)
      .max(64),
  })
  .strict();

const simpleFormats = [
  account,
  email,
  issSub,
  opaque,
  phoneNumber,
  did,
  uri,
  jwtId,
  samlAssertionId,
  ipAddresses,
] as const;

/**
 * A simple subject identifier: any single format.
 *
 * @public
 */
export const simpleSubjectSchema = z.discriminatedUnion('format', [
  ...simpleFormats,
]);

const aliases = z
  .object({
    format: z.literal('aliases'),
    // RFC 9493 §3.2.4: aliases never nest.
    identifiers: z.array(simpleSubjectSchema).min(1).max(32),
  })
  .strict();

const complexMember = z.discriminatedUnion('format', [
  ...simpleFormats,
  aliases,
]);

const complex = z
  .object({
    format: z.literal('complex'),
    user: complexMember.optional(),
    device: complexMember.optional(),
    session: complexMember.optional(),
    application: complexMember.optional(),
    tenant: complexMember.optional(),
    org_unit: complexMember.optional(),
    group: complexMember.optional(),
  })
  .strict()
  .refine(s => Object.keys(s).length > 1, {
    error: 'a complex subject needs at least one member',
  });

/**
 * Any subject identifier an SSF stream or SET may carry.
 *
 * @public
 */
export const subjectSchema = z.union([simpleSubjectSchema, aliases, complex]);

/**
 * A subject identifier (RFC 9493 / SSF 1.0 §3).
 *
 * @public
 */
export type SubjectIdentifier = z.infer<typeof subjectSchema>;

/**
 * The members of a complex subject (SSF 1.0 §3.3).
 *
 * @public
 */
export const COMPLEX_SUBJECT_MEMBERS = [
  'user',
  'device',
  'session',
  'application',
  'tenant',
  'org_unit',
  'group',
] as const;
