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
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ReceivedSecurityEvent,
  ReceivedSecurityEventList,
  ssfProviderReadPermission,
} from '@shared-signals/plugin-ssf-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { historyHoursParam, queryParams } from '../../http/validation';
import { createAdminResolver } from '../../http/userCallers';
import { ReceivedEventRecord, ReceivedEventStore } from './ReceivedEventStore';
import { ReceivedEventHistory } from './ReceivedEventHistory';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

const listQuery = z
  .object({
    provider_id: z.string().min(1).max(32).optional(),
    event_type: z.string().min(1).max(512).optional(),
    subject: z.string().min(1).max(1024).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z
      .string()
      .regex(/^\d+$/, { error: 'limit must be a whole number' })
      .transform(Number)
      .refine(n => n >= 1 && n <= MAX_LIMIT, {
        error: `limit must be between 1 and ${MAX_LIMIT}`,
      })
      .optional(),
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, { error: 'cursor is not one this API returned' })
      .optional(),
  })
  .strict();

const historyQuery = z
  .object({
    provider_id: z.string({ error: 'provider_id is required' }).min(1).max(32),
    hours: historyHoursParam,
  })
  .strict();

/**
 * The received events for admins: `GET /received-events` (newest first,
 * filtered by provider, event type, subject and time, keyset-paginated by
 * `cursor`), `GET /received-events/history` (one provider's accepted and
 * refused SETs by hour) and `GET /received-events/{id}` (one event, with
 * the raw SET).
 *
 * @internal
 */
export function createReceivedEventsRouter(options: {
  store: ReceivedEventStore;
  history: ReceivedEventHistory;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
}): express.Router {
  const { store } = options;
  const adminFor = createAdminResolver(options);
  const router = Router();

  router.get('/', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    const q = queryParams(req, listQuery);
    const since = q.since ? new Date(q.since) : undefined;
    const until = q.until ? new Date(q.until) : undefined;
    if (since && until && since >= until) {
      throw new InputError('since must be before until');
    }
    const limit = q.limit ?? DEFAULT_LIMIT;
    // One row more than asked tells whether there is a next page.
    const rows = await store.list({
      providerId: q.provider_id,
      eventType: q.event_type,
      subject: q.subject,
      since,
      until,
      before: q.cursor,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const body: ReceivedSecurityEventList = { items: page.map(toWire) };
    if (rows.length > limit) {
      body.next_cursor = page[page.length - 1].id;
    }
    res.json(body);
  });

  // Before `/:id`, which would take `history` for an id.
  router.get('/history', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    const q = queryParams(req, historyQuery);
    res.json(await options.history.history(q.provider_id, q.hours));
  });

  router.get('/:id', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    const event = await store.get(req.params.id);
    if (!event) {
      throw new NotFoundError(`No received event with id ${req.params.id}`);
    }
    res.json({ ...toWire(event), set: event.token, claims: event.claims });
  });

  return router;
}

/** A received event as `GET /received-events` returns it. @internal */
export function toWire(e: ReceivedEventRecord): ReceivedSecurityEvent {
  return {
    id: e.id,
    ...(e.providerId !== undefined && { provider_id: e.providerId }),
    iss: e.iss,
    jti: e.jti,
    event_type: e.eventType,
    event_types: e.eventTypes,
    ...(e.subject && { subject: e.subject }),
    ...(e.claims.sub_id !== undefined && {
      sub_id: e.claims.sub_id as Record<string, unknown>,
    }),
    ...(e.txn !== undefined && { txn: e.txn }),
    iat: e.issuedAt.toISOString(),
    received_at: e.receivedAt.toISOString(),
    delivery_method: e.deliveryMethod,
    events: e.claims.events as ReceivedSecurityEvent['events'],
    ...(e.handlerError !== undefined && { handler_error: e.handlerError }),
  };
}
