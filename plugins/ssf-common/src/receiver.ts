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
import { catalogEntityRefSchema } from './entityRefs';
import { DELIVERY_METHODS } from './eventTypes';

// The receiver's wire types: "Security Events Providers" (wire-compatible with
// the seed receiver API) and the SETs received from them. Field names follow
// the seed (snake_case settings, `_links` with `hints`).

const MAX_URL_LENGTH = 2048;
const MAX_NAME_LENGTH = 255;
const MAX_TYPE_LENGTH = 64;
const MIN_SECRET_LENGTH = 16;
const MAX_SECRET_LENGTH = 512;

/**
 * A provider's status: ACTIVE providers may send SETs, INACTIVE ones are refused.
 *
 * @public
 */
export type SecurityEventsProviderStatus = 'ACTIVE' | 'INACTIVE';

/**
 * A HAL-style link as the seed shows it: the methods the resource allows.
 *
 * @public
 */
export interface SecurityEventsProviderLink {
  hints: { allow: string[] };
}

/**
 * The links of a provider: `self`, and `activate` (when INACTIVE) or
 * `deactivate` (when ACTIVE).
 *
 * @public
 */
export interface SecurityEventsProviderLinks {
  self: SecurityEventsProviderLink;
  activate?: SecurityEventsProviderLink;
  deactivate?: SecurityEventsProviderLink;
}

/**
 * A provider's settings as returned: `issuer` and `jwks_url` always (for a
 * provider configured by `well_known_url`, as read from its metadata), and
 * `well_known_url` when it was configured that way.
 *
 * @public
 */
export interface SecurityEventsProviderSettings {
  issuer: string;
  jwks_url: string;
  well_known_url?: string;
  /**
   * Extension, present (true) only when on: SETs from this provider are
   * accepted without a `typ` header (pre-1.0 transmitters). Other headers
   * and claims are checked as for any SET.
   */
  accept_untyped_sets?: true;
  /**
   * Extension, present (true) only when on: the issuer is not a URL (an RFC
   * 7519 StringOrURI such as `accounts.google.com`). Only with `issuer` and
   * `jwks_url`, never with `well_known_url`.
   */
  accept_non_url_issuer?: true;
}

/**
 * How the provider's SETs arrive (an extension of the seed): push (RFC 8935,
 * the default, not shown) or poll (RFC 8936) against `endpoint_url`.
 *
 * @public
 */
export interface SecurityEventsProviderDelivery {
  method: (typeof DELIVERY_METHODS)[keyof typeof DELIVERY_METHODS];
  endpoint_url?: string;
}

/**
 * What the receiver knows about the stream at the provider's transmitter (an
 * extension of the seed; present only when something is known).
 *
 * @public
 */
export interface SecurityEventsProviderRemoteStream {
  stream_id?: string;
  /**
   * The stream's status: as last read or set at the transmitter, or as
   * announced by the last stream-updated SET, whichever came last.
   */
  status?: string;
  reason?: string;
  status_updated_at?: string;
  /**
   * The `aud` the transmitter chose for the stream (Transmitter-Supplied,
   * SSF 1.0 §8.1.1); SETs from the provider naming it are accepted.
   */
  aud?: string | string[];
  events_requested?: string[];
  /** The event types the transmitter said it will send (SSF 1.0 §8.1.1). */
  events_delivered?: string[];
  description?: string;
  /**
   * The stream's delivery as the transmitter answered it; for poll,
   * `endpoint_url` is the transmitter's and is the URL polled (RFC 8936 §2).
   */
  delivery?: { method: string; endpoint_url?: string };
  /** When the last verification SET arrived. */
  last_verified_at?: string;
  last_poll_at?: string;
  last_poll_error?: string;
}

/**
 * A Security Events Provider: a transmitter whose SETs this receiver accepts.
 *
 * @public
 */
export interface SecurityEventsProvider {
  /** Opaque, e.g. `sse1qg25RpusjUP6m0g5`. */
  id: string;
  name: string;
  type: string;
  status: SecurityEventsProviderStatus;
  settings: SecurityEventsProviderSettings;
  _links: SecurityEventsProviderLinks;
  /** Present only for poll-connected providers. */
  delivery?: SecurityEventsProviderDelivery;
  /** Present (true) only when SETs must carry the provider's bearer secret. */
  has_authorization_secret?: true;
  remote_stream?: SecurityEventsProviderRemoteStream;
  /** Extension: the catalog entity that owns the provider; present when set. */
  owner?: string;
  /** Extension: the catalog entity that consumes its SETs; present when set. */
  consumer?: string;
}

const url = z
  .string({ error: 'must be a string' })
  .min(1, { error: 'must not be empty' })
  .max(MAX_URL_LENGTH);

const flag = z.boolean({ error: 'must be true or false' });

/**
 * The `settings` of a create or replace request: exactly one of
 * `{well_known_url}` or `{issuer, jwks_url}`, and optionally the leniency
 * flags for pre-1.0 transmitters, `accept_untyped_sets` and
 * `accept_non_url_issuer` (the latter only with `{issuer, jwks_url}`). On
 * replace, an absent flag keeps its value.
 *
 * @public
 */
export const securityEventsProviderSettingsSchema = z
  .object({
    well_known_url: url.optional(),
    issuer: url.optional(),
    jwks_url: url.optional(),
    accept_untyped_sets: flag.optional(),
    accept_non_url_issuer: flag.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.accept_non_url_issuer === true && s.well_known_url !== undefined) {
      // SSF 1.0 §7.2: the metadata's issuer is a URL the well-known URL is
      // derived from, so a non-URL issuer cannot come from there.
      ctx.addIssue({
        code: 'custom',
        path: ['accept_non_url_issuer'],
        message:
          'accept_non_url_issuer needs settings with issuer and jwks_url: the issuer of a well_known_url provider is the URL its metadata was fetched for (SSF 1.0 §7.2)',
      });
    }
    const wellKnown = s.well_known_url !== undefined;
    const direct = s.issuer !== undefined || s.jwks_url !== undefined;
    if (wellKnown && direct) {
      ctx.addIssue({
        code: 'custom',
        message:
          'settings must hold either well_known_url, or issuer and jwks_url, not both',
      });
    } else if (!wellKnown && !direct) {
      ctx.addIssue({
        code: 'custom',
        message:
          'settings must hold either well_known_url, or issuer and jwks_url',
      });
    } else if (direct && (s.issuer === undefined || s.jwks_url === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [s.issuer === undefined ? 'issuer' : 'jwks_url'],
        message: 'issuer and jwks_url must be given together',
      });
    }
  });

/**
 * Provider settings in a request.
 *
 * @public
 */
export type SecurityEventsProviderSettingsRequest = z.infer<
  typeof securityEventsProviderSettingsSchema
>;

const delivery = z.discriminatedUnion('method', [
  z.object({ method: z.literal(DELIVERY_METHODS.push) }).strict(),
  z
    .object({ method: z.literal(DELIVERY_METHODS.poll), endpoint_url: url })
    .strict(),
]);

const authorizationSecret = z
  .string()
  .min(MIN_SECRET_LENGTH, {
    error: `authorization_secret must be at least ${MIN_SECRET_LENGTH} characters`,
  })
  .max(MAX_SECRET_LENGTH)
  .regex(/^[\x21-\x7e]+$/, {
    error: 'authorization_secret must be printable ASCII without spaces',
  });

const providerFields = {
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, { error: 'name must not be empty' })
    .max(MAX_NAME_LENGTH),
  type: z
    .string({ error: 'type is required' })
    .trim()
    .min(1, { error: 'type must not be empty' })
    .max(MAX_TYPE_LENGTH),
  settings: securityEventsProviderSettingsSchema,
  /**
   * Extension: the bearer secret the transmitter must send with each push
   * (`Authorization: Bearer <secret>`). Write-only; `null` removes it, absent
   * leaves it as it is.
   */
  authorization_secret: authorizationSecret.nullable().optional(),
  /** Extension: push (default) or poll against the transmitter's endpoint. */
  delivery: delivery.optional(),
  /**
   * Extension: the catalog entity that owns the provider (kind `group` when
   * left out), stored normalised. `null` removes it, absent leaves it as it
   * is.
   */
  owner: catalogEntityRefSchema('owner').nullable().optional(),
  /**
   * Extension: the catalog entity that consumes the provider's SETs (kind
   * `component` when left out), which the catalog gives a `dependsOn`
   * relation to the provider. `null` removes it, absent leaves it as it is.
   */
  consumer: catalogEntityRefSchema('consumer').nullable().optional(),
};

/**
 * Body of `POST /security-events-providers`.
 *
 * @public
 */
export const createSecurityEventsProviderRequestSchema = z
  .object(providerFields)
  .strict();

/**
 * Body of `PUT /security-events-providers/{id}`. The read-only `id`, `status`
 * and `_links` of a GET may be echoed back (`id` and `status` unchanged).
 *
 * @public
 */
export const replaceSecurityEventsProviderRequestSchema = z
  .object({
    ...providerFields,
    id: z.string().optional(),
    status: z.enum(['ACTIVE', 'INACTIVE']).optional(),
    _links: z.unknown().optional(),
  })
  .strict();

/**
 * A create request.
 *
 * @public
 */
export type CreateSecurityEventsProviderRequest = z.infer<
  typeof createSecurityEventsProviderRequestSchema
>;

/**
 * A replace request.
 *
 * @public
 */
export type ReplaceSecurityEventsProviderRequest = z.infer<
  typeof replaceSecurityEventsProviderRequestSchema
>;

/**
 * The error body of the provider routes (the seed's shape).
 *
 * @public
 */
export interface SecurityEventsProviderError {
  errorCode: string;
  errorSummary: string;
  errorLink: string;
  errorId: string;
  errorCauses: Array<{ errorSummary: string }>;
}

/**
 * An RFC 8935 §2.3 error code (plus SSF's `invalid_state`).
 *
 * @public
 */
export type SetErrorCode =
  | 'invalid_request'
  | 'invalid_key'
  | 'invalid_issuer'
  | 'invalid_audience'
  | 'authentication_failed'
  | 'access_denied'
  | 'invalid_state';

/**
 * A SET the receiver accepted and stored, as listed by `GET /received-events`.
 *
 * @public
 */
export interface ReceivedSecurityEvent {
  id: string;
  /** Absent once the provider has been deleted. */
  provider_id?: string;
  iss: string;
  jti: string;
  /** The SET's first (SSF: only) event type. */
  event_type: string;
  event_types: string[];
  /** The principal subject: its format and its identifying value. */
  subject?: { format: string; value: string };
  sub_id?: Record<string, unknown>;
  txn?: string;
  /** ISO 8601. */
  iat: string;
  received_at: string;
  delivery_method: (typeof DELIVERY_METHODS)[keyof typeof DELIVERY_METHODS];
  events: Record<string, Record<string, unknown>>;
  /** The last error a received-event handler raised for this SET, if any. */
  handler_error?: string;
}

/**
 * A page of received events, newest first.
 *
 * @public
 */
export interface ReceivedSecurityEventList {
  items: ReceivedSecurityEvent[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  next_cursor?: string;
}
