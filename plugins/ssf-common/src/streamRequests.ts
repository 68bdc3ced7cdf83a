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

// Structural validation of stream management requests, shared by the backend
// (which adds the outbound URL policy) and the admin pages (which mirror it).
// Objects are strict: a misspelt or unsupported property is an error the
// caller sees, rather than a silently ignored setting.

/**
 * The limits of a stream configuration, as the backend enforces them; the
 * admin page and the scaffolder actions check the same ones.
 *
 * @public
 */
export const STREAM_LIMITS = Object.freeze({
  /** Characters of `description` and of a status `reason`. */
  descriptionLength: 1024,
  /** Entries of `events_requested`. */
  eventsRequested: 64,
  /** Characters of a URL (`endpoint_url`, `aud`, an event type). */
  urlLength: 2048,
  /** Characters of the push `authorization_header`. */
  authorizationHeaderLength: 4096,
  /** Characters of the `client_id` an admin creates a stream for. */
  clientIdLength: 256,
});

const MAX_DESCRIPTION_LENGTH = STREAM_LIMITS.descriptionLength;
const MAX_EVENTS_REQUESTED = STREAM_LIMITS.eventsRequested;
const MAX_URL_LENGTH = STREAM_LIMITS.urlLength;
const MAX_AUTHORIZATION_HEADER_LENGTH = STREAM_LIMITS.authorizationHeaderLength;
const RECEIVER_PROFILE_ID = /^[a-z][a-z0-9-]{0,31}$/;

/**
 * Whether a string holds a control character: C0 (U+0000–U+001F), DEL
 * (U+007F) or C1 (U+0080–U+009F). None belongs in stream configuration: in
 * `aud` or `client_id` they let one audience pass for another, a URL parser
 * silently drops tabs and line breaks (so the URL checked is not the text
 * shown), and in descriptions and reasons they forge lines in logs and
 * audit records.
 */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

const CONTROL_CHARACTER_MESSAGE =
  'must not contain control characters (U+0000–U+001F, U+007F–U+009F)';

/** A string without control characters; the path in the error names the field. */
const text = () =>
  z.string().refine(value => !hasControlCharacter(value), {
    error: CONTROL_CHARACTER_MESSAGE,
  });

// Any string: SSF 1.0 §8.1.1 says "A Transmitter MUST ignore any array values
// that it does not understand", so an event type the transmitter does not know
// is kept as requested and simply never delivered (events_delivered is
// supported ∩ requested).
const eventTypeUri = text().min(1).max(MAX_URL_LENGTH);

/**
 * The delivery object a receiver sends (SSF 1.0 §8.1.1).
 *
 * @public
 */
export const streamDeliveryRequestSchema = z.discriminatedUnion('method', [
  z
    .object({
      method: z.literal(DELIVERY_METHODS.push),
      endpoint_url: text().min(1).max(MAX_URL_LENGTH),
      authorization_header: z
        .string()
        .min(1)
        .max(MAX_AUTHORIZATION_HEADER_LENGTH)
        // A header value with a line break would let a receiver inject
        // headers; other control characters (tab, C1) have no place in a
        // credential either.
        .regex(/^[\x20-\x7e\xa0-\xff]+$/, {
          error:
            'authorization_header must be a single-line header value without control characters',
        })
        .optional(),
    })
    .strict(),
  z
    .object({
      method: z.literal(DELIVERY_METHODS.poll),
      endpoint_url: text().max(MAX_URL_LENGTH).optional(),
    })
    .strict(),
]);

/**
 * A delivery object in a request.
 *
 * @public
 */
export type StreamDeliveryRequest = z.infer<typeof streamDeliveryRequestSchema>;

const audience = z.union([
  text().min(1).max(MAX_URL_LENGTH),
  z.array(text().min(1).max(MAX_URL_LENGTH)).min(1).max(16),
]);

const receiverSupplied = {
  delivery: streamDeliveryRequestSchema,
  events_requested: z.array(eventTypeUri).max(MAX_EVENTS_REQUESTED),
  description: text().max(MAX_DESCRIPTION_LENGTH),
};

// Extension members naming the stream's catalog owner and consuming
// component (see entityRefs.ts). Portal metadata rather than receiver-supplied
// configuration: only a portal admin sets them, and a PUT without them keeps
// them (a standard receiver knows nothing of them); `null` removes one.
const catalogRefs = {
  owner: catalogEntityRefSchema('owner'),
  consumer: catalogEntityRefSchema('consumer'),
};
const catalogRefChanges = {
  owner: catalogRefs.owner.nullable().optional(),
  consumer: catalogRefs.consumer.nullable().optional(),
};

// Transmitter-supplied properties (SSF 1.0 §8.1.1): a receiver may echo them in
// an update, but only with the values the transmitter holds.
const transmitterSupplied = {
  iss: text().optional(),
  aud: audience.optional(),
  events_supported: z.array(text()).optional(),
  events_delivered: z.array(text()).optional(),
  min_verification_interval: z.number().optional(),
  inactivity_timeout: z.number().optional(),
  // Chosen at creation only (an extension member); echoed unchanged.
  receiver_profile: text().optional(),
};

/**
 * Body of `POST /streams`. `aud` may be proposed at creation (it cannot change
 * afterwards); `client_id` lets a portal admin create a stream on behalf of a
 * receiver's OAuth client; `receiver_profile` (an extension member, default
 * `ssf`) shapes the SETs for a receiver that reads them its own way; `owner`
 * and `consumer` (extension members, portal admins only) name the catalog
 * entities that own and consume the stream, normalised by the schema.
 *
 * @public
 */
export const createStreamRequestSchema = z
  .object({
    delivery: receiverSupplied.delivery.optional(),
    events_requested: receiverSupplied.events_requested.optional(),
    description: receiverSupplied.description.optional(),
    aud: audience.optional(),
    client_id: text().min(1).max(STREAM_LIMITS.clientIdLength).optional(),
    receiver_profile: text()
      .regex(RECEIVER_PROFILE_ID, {
        error:
          'receiver_profile must be a profile id such as "ssf" or "okta" (lower-case letters, digits and dashes)',
      })
      .optional(),
    owner: catalogRefs.owner.optional(),
    consumer: catalogRefs.consumer.optional(),
  })
  .strict();

/**
 * A create request.
 *
 * @public
 */
export type CreateStreamRequest = z.infer<typeof createStreamRequestSchema>;

const streamId = text()
  .min(1, { error: 'stream_id must not be empty' })
  .max(128);

/**
 * Body of `PUT /streams` (replace): absent receiver-supplied properties are
 * removed; absent `owner` and `consumer` are kept, `null` removes them.
 *
 * @public
 */
export const replaceStreamRequestSchema = z
  .object({
    stream_id: streamId,
    delivery: receiverSupplied.delivery,
    events_requested: receiverSupplied.events_requested.optional(),
    description: receiverSupplied.description.optional(),
    ...catalogRefChanges,
    ...transmitterSupplied,
  })
  .strict();

/**
 * Body of `PATCH /streams` (update): absent properties are left as they are
 * (`null` removes `owner` or `consumer`).
 *
 * @public
 */
export const updateStreamRequestSchema = z
  .object({
    stream_id: streamId,
    delivery: receiverSupplied.delivery.optional(),
    events_requested: receiverSupplied.events_requested.optional(),
    description: receiverSupplied.description.optional(),
    ...catalogRefChanges,
    ...transmitterSupplied,
  })
  .strict();

/**
 * A replace or update request.
 *
 * @public
 */
export type UpdateStreamRequest = z.infer<typeof updateStreamRequestSchema>;

/**
 * Body of `POST /streams/status`.
 *
 * @public
 */
export const updateStreamStatusRequestSchema = z
  .object({
    stream_id: streamId,
    status: z.enum(['enabled', 'paused', 'disabled'], {
      error: "status must be one of 'enabled', 'paused' or 'disabled'",
    }),
    reason: text().max(MAX_DESCRIPTION_LENGTH).optional(),
  })
  .strict();

/**
 * The transmitter-supplied stream properties, which a receiver may echo but not change.
 *
 * @public
 */
export const TRANSMITTER_SUPPLIED_PROPERTIES = Object.freeze(
  Object.keys(transmitterSupplied),
) as readonly string[];
