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

import { AuditorService, HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  ssfStreamManagePermission,
  ssfStreamReadPermission,
  subjectSchema,
} from '@shared-signals/plugin-ssf-common';
import { JsonObject } from '@backstage/types';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { TransmitterConfig } from '../config';
import { StreamStore } from '../database/StreamStore';
import { SubjectStore } from '../database/SubjectStore';
import { jsonBody, parseInput, queryParams } from '../http/validation';
import { audited } from '../http/audited';
import { CallerResolver, describeCaller } from '../transmitter/callers';
import { StreamService } from '../transmitter/StreamService';
import { OutboxState, OutboxStore } from './OutboxStore';
import { pollRequestSchema, PollService } from './PollService';
import { TransmitterEmitter, toWireSets } from './TransmitterEmitter';
import { requestVerification, TooManyRequestsError } from './verification';

const verifyBody = z
  .object({
    stream_id: z.string().min(1).max(128),
    state: z.string().max(1024).optional(),
  })
  .strict();
const subjectBody = z
  .object({
    stream_id: z.string().min(1).max(128),
    subject: subjectSchema,
    verified: z.boolean().optional(),
  })
  .strict();
const emitBody = z
  .object({
    type: z.string().min(1).max(256),
    subject: subjectSchema,
    payload: z.record(z.string(), z.unknown()).default({}),
    txn: z.string().min(1).max(64).optional(),
  })
  .strict();
const setsQuery = z
  .object({
    stream_id: z.string().min(1).max(128),
    state: z.enum(['pending', 'delivered', 'dead', 'dropped']).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
const redeliverBody = z
  .object({
    stream_id: z.string().min(1).max(128),
    jti: z.string().min(1).max(128).optional(),
  })
  .strict();

/** @internal */
export interface DeliveryRouterOptions {
  config: TransmitterConfig;
  streams: StreamService;
  streamStore: StreamStore;
  subjects: SubjectStore;
  outbox: OutboxStore;
  emitter: TransmitterEmitter;
  poll: PollService;
  callerFor: CallerResolver;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  /** Wakes the local push worker after a change that may have made work due. */
  wake: () => void;
}

/**
 * Routes about getting SETs to receivers: verification, subjects, the RFC
 * 8936 poll endpoint, emitting from other backend plugins, and the admin
 * views of delivery.
 *
 * @internal
 */
export function createDeliveryRouter(
  options: DeliveryRouterOptions,
): express.Router {
  const {
    config,
    streams,
    streamStore,
    subjects,
    outbox,
    emitter,
    poll,
    callerFor,
    auditor,
  } = options;
  const router = Router();

  const audit = <T>(
    req: Request,
    eventId: string,
    meta: JsonObject,
    fn: () => Promise<T>,
  ) => audited({ auditor, request: req, eventId, meta }, fn);

  router.post('/streams/verify', async (req, res) => {
    const caller = await callerFor(req, ssfStreamManagePermission);
    const body = parseInput(verifyBody, jsonBody(req), 'verification request');
    try {
      await audit(
        req,
        'stream-verify',
        { streamId: body.stream_id, caller: describeCaller(caller) },
        () =>
          requestVerification({
            caller,
            streamId: body.stream_id,
            state: body.state,
            streams,
            store: streamStore,
            emitter,
          }),
      );
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    res.status(204).end();
  });

  router.post('/subjects\\:add', async (req, res) => {
    const caller = await callerFor(req, ssfStreamManagePermission);
    const body = parseInput(subjectBody, jsonBody(req), 'add subject request');
    await audit(
      req,
      'stream-subject',
      {
        actionType: 'add',
        streamId: body.stream_id,
        caller: describeCaller(caller),
      },
      () =>
        streamStore.transaction(async tx => {
          await streams.getRecord(caller, body.stream_id, tx);
          await subjects.set(
            body.stream_id,
            body.subject,
            { included: true, verified: body.verified ?? true },
            tx,
          );
        }),
    );
    res.status(200).end();
  });

  router.post('/subjects\\:remove', async (req, res) => {
    const caller = await callerFor(req, ssfStreamManagePermission);
    const body = parseInput(
      subjectBody,
      jsonBody(req),
      'remove subject request',
    );
    await audit(
      req,
      'stream-subject',
      {
        actionType: 'remove',
        streamId: body.stream_id,
        caller: describeCaller(caller),
      },
      () =>
        streamStore.transaction(async tx => {
          await streams.getRecord(caller, body.stream_id, tx);
          if (config.defaultSubjects === 'ALL') {
            // Everything is included by default, so removal is remembered.
            await subjects.set(
              body.stream_id,
              body.subject,
              { included: false, verified: body.verified ?? true },
              tx,
            );
          } else {
            await subjects.delete(body.stream_id, body.subject, tx);
          }
        }),
    );
    res.status(204).end();
  });

  router.post('/poll/:streamId', async (req, res) => {
    const caller = await callerFor(req, ssfStreamReadPermission);
    if (caller.type !== 'client') {
      throw new NotAllowedError("Only the stream's receiver may poll it");
    }
    const body = parseInput(pollRequestSchema, jsonBody(req), 'poll request');
    const stream = await streams.getRecord(caller, req.params.streamId);
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    res.json(await poll.poll(stream, body, aborted.signal));
  });

  router.post('/emit', async (req, res) => {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['service'],
    });
    if (!credentials.principal.subject.startsWith('plugin:')) {
      throw new NotAllowedError(
        'Only Backstage backend plugins may emit events',
      );
    }
    const body = parseInput(emitBody, jsonBody(req), 'event');
    const result = await emitter.emit(body);
    res.status(202).json({
      txn: result.txn,
      sets: toWireSets(result.sets),
    });
  });

  async function adminOnly(req: Request, permission = ssfStreamReadPermission) {
    const caller = await callerFor(req, permission);
    if (caller.type !== 'admin') {
      throw new NotAllowedError('The admin views are for portal users');
    }
    return caller;
  }

  router.get('/admin/streams', async (req, res) => {
    await adminOnly(req);
    const records = await streamStore.list();
    const stats = await outbox.stats(records.map(r => r.streamId));
    const items = await Promise.all(
      records.map(async record => {
        const s = stats.get(record.streamId)!;
        const verification = record.verification;
        const verificationSet = verification
          ? await outbox.get(verification.jti)
          : undefined;
        return {
          ...streams.toConfiguration(record),
          client_id: record.clientId,
          status: record.status,
          ...(record.statusReason !== undefined && {
            reason: record.statusReason,
          }),
          created_at: record.createdAt.toISOString(),
          updated_at: record.updatedAt.toISOString(),
          stats: {
            pending: record.status === 'paused' ? 0 : s.pending,
            held: record.status === 'paused' ? s.pending : 0,
            delivered: s.delivered,
            dead: s.dead,
            dropped: s.dropped,
          },
          ...(s.lastError && {
            last_error: {
              message: s.lastError.message,
              at: s.lastError.at.toISOString(),
            },
          }),
          ...(s.lastDeliveredAt && {
            last_delivered_at: s.lastDeliveredAt.toISOString(),
          }),
          ...(verification && {
            last_verification: {
              ...(verification.state !== undefined && {
                state: verification.state,
              }),
              requested_at: verification.requestedAt.toISOString(),
              status: verificationSet?.state ?? 'unknown',
              ...(verificationSet?.deliveredAt && {
                delivered_at: verificationSet.deliveredAt.toISOString(),
              }),
              ...(verificationSet?.state === 'dead' && {
                error: verificationSet.lastError,
              }),
            },
          }),
        };
      }),
    );
    res.json({ items });
  });

  router.get('/admin/streams/sets', async (req, res) => {
    await adminOnly(req);
    const query = queryParams(req, setsQuery);
    const page = await outbox.list({
      streamId: query.stream_id,
      state: query.state as OutboxState | undefined,
      limit: query.limit,
      offset: query.offset,
    });
    res.json({
      total: page.total,
      items: page.items.map(e => ({
        jti: e.jti,
        event_type: e.eventType,
        txn: e.txn,
        state: e.state,
        attempts: e.attempts,
        created_at: e.createdAt.toISOString(),
        ...(e.deliveredAt && { delivered_at: e.deliveredAt.toISOString() }),
        ...(e.lastError && { last_error: e.lastError }),
        set: e.setJws,
      })),
    });
  });

  router.post('/admin/streams/redeliver', async (req, res) => {
    const caller = await adminOnly(req, ssfStreamManagePermission);
    const body = parseInput(redeliverBody, jsonBody(req), 'redeliver request');
    await streams.getRecord(caller, body.stream_id);
    const redelivered = await audit(
      req,
      'stream-redeliver',
      {
        streamId: body.stream_id,
        ...(body.jti && { jti: body.jti }),
        caller: describeCaller(caller),
      },
      () => outbox.redeliver(body.stream_id, body.jti, new Date()),
    );
    options.wake();
    poll.notify([body.stream_id]);
    res.json({ redelivered });
  });

  return router;
}
