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
import { InputError, NotAllowedError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  createStreamRequestSchema,
  replaceStreamRequestSchema,
  ssfStreamManagePermission,
  ssfStreamReadPermission,
  subjectSchema,
  updateStreamRequestSchema,
  updateStreamStatusRequestSchema,
} from '@shared-signals/plugin-ssf-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { TransmitterConfig } from './config';
import {
  historyHoursParam,
  jsonBody,
  parseInput,
  queryParams,
} from '../http/validation';
import { SigningKeyManager } from './signing/SigningKeyManager';
import { audited, AuditEvent } from '../http/audited';
import { CallerResolver, describeCaller } from './callers';
import { DeliveryAdminService } from './delivery/DeliveryAdminService';
import { DeliveryHistory } from './delivery/DeliveryHistory';
import { OutboxState } from './delivery/OutboxStore';
import { pollRequestSchema, PollService } from './delivery/PollService';
import { TransmitterEmitter, toWireSets } from './delivery/TransmitterEmitter';
import { TooManyRequestsError } from './delivery/verification';
import { buildTransmitterMetadata } from './metadata';
import { StreamRecord } from './streams/StreamStore';
import {
  deliveryChanged,
  isAdminDeliveryChange,
  StreamCaller,
  StreamChange,
  StreamService,
} from './streams/StreamService';
import {
  createdStreamMeta,
  statusChangeMeta,
  streamMutationEvent,
  streamVerifyEvent,
} from './streams/streamAudit';
import { SubjectService } from './streams/SubjectService';

const streamIdQuery = z
  .object({
    stream_id: z
      .string({ error: 'stream_id is required' })
      .min(1, { error: 'stream_id must not be empty' }),
  })
  .strict();
const listQuery = z
  .object({
    stream_id: z.string().min(1).optional(),
    aud: z.string().min(1).optional(),
  })
  .strict();

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
const historyQuery = z
  .object({
    stream_id: z.string({ error: 'stream_id is required' }).min(1).max(128),
    hours: historyHoursParam,
  })
  .strict();
const redeliverBody = z
  .object({
    stream_id: z.string().min(1).max(128),
    jti: z.string().min(1).max(128).optional(),
  })
  .strict();

/** @internal */
export interface TransmitterRouterOptions {
  config: TransmitterConfig;
  baseUrl: string;
  streams: StreamService;
  keys: SigningKeyManager;
  subjects: SubjectService;
  /** Stores a verification SET for the stream (SSF 1.0 §8.1.4.2). */
  verify: (
    caller: StreamCaller,
    streamId: string,
    state: string | undefined,
  ) => Promise<unknown>;
  emitter: TransmitterEmitter;
  poll: PollService;
  deliveryAdmin: DeliveryAdminService;
  /** Delivery outcomes by hour, for the admin chart. */
  history: DeliveryHistory;
  callerFor: CallerResolver;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
}

/**
 * The transmitter's whole HTTP surface: metadata and JWKS, stream management
 * (wire-compatible with SailPoint's stream API, SSF 1.0 semantics),
 * verification and subjects, the RFC 8936 poll endpoint, emitting from other
 * backend plugins, and the admin views of delivery. Each route parses its
 * input, checks its caller and calls a service.
 *
 * @internal
 */
export function createTransmitterRouter(
  options: TransmitterRouterOptions,
): express.Router {
  const {
    config,
    baseUrl,
    streams,
    keys,
    subjects,
    emitter,
    poll,
    deliveryAdmin,
    auditor,
    callerFor,
  } = options;
  const router = Router();

  const metadata = buildTransmitterMetadata(config, baseUrl);
  router.get('/.well-known/ssf-configuration', (_req, res) => {
    res.json(metadata);
  });

  router.get('/jwks', async (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=60');
    res.json(await keys.getJwks());
  });

  /** Runs a stream mutation inside its audit event; secrets never reach the event. */
  function mutation<T>(
    req: Request,
    actionType: string,
    caller: StreamCaller,
    fn: () => Promise<T>,
    successMeta: (result: T) => JsonObject,
  ): Promise<T> {
    return audited(
      {
        auditor,
        request: req,
        ...streamMutationEvent(actionType, caller),
        successMeta,
      },
      fn,
    );
  }

  // The audit of routes that change something other than the stream itself:
  // verification, subjects, redelivery.
  const audit = <T>(req: Request, event: AuditEvent, fn: () => Promise<T>) =>
    audited({ auditor, request: req, ...event }, fn);

  /**
   * The caller of a route that changes a stream, who must be allowed to
   * manage streams, and the JSON body as `schema` reads it. In that order:
   * a caller without the permission is refused before the body is read.
   */
  async function manageRequest<S extends z.ZodType>(
    req: Request,
    schema: S,
    what: string,
  ) {
    const caller = await callerFor(req, ssfStreamManagePermission);
    return { caller, body: parseInput(schema, jsonBody(req), what) };
  }

  /**
   * A portal admin changed where or how another client's stream is
   * delivered: the shape a hijack takes. Recorded as its own high-severity
   * event, with the delivery before and after (whether the authorization
   * header changed, never its value) and how the receiver was told.
   */
  async function auditAdminDeliveryChange(
    req: Request,
    caller: StreamCaller,
    changed: StreamChange,
  ) {
    const { before, after } = changed;
    if (!isAdminDeliveryChange(caller, before, after)) return;
    await audited(
      {
        auditor,
        request: req,
        eventId: 'stream-delivery-change',
        severityLevel: 'high',
        meta: {
          streamId: after.streamId,
          clientId: after.clientId,
          caller: describeCaller(caller),
          before: describeDelivery(before.delivery),
          after: describeDelivery(after.delivery),
          authorizationHeaderChanged:
            (before.delivery.authorizationHeader ?? '') !==
            (after.delivery.authorizationHeader ?? ''),
        },
        successMeta: notice =>
          notice
            ? {
                receiverNotified: {
                  streamUpdatedJti: notice.jti,
                  previousEndpoint: notice.previousEndpoint,
                },
              }
            : {},
      },
      async () => changed.deliveryNotice,
    );
  }

  /** PUT and PATCH: the same body check, the same audit, and the configuration as the answer. */
  async function changeStream<S extends z.ZodType>(
    req: Request,
    actionType: 'replace' | 'update',
    schema: S,
    change: (caller: StreamCaller, body: z.infer<S>) => Promise<StreamChange>,
  ) {
    const { caller, body } = await manageRequest(
      req,
      schema,
      'stream configuration',
    );
    const { configuration } = await mutation(
      req,
      actionType,
      caller,
      async () => {
        const result = await change(caller, body);
        await auditAdminDeliveryChange(req, caller, result);
        return result;
      },
      c => ({
        streamId: c.after.streamId,
        ...(deliveryChanged(c.before.delivery, c.after.delivery) && {
          deliveryChanged: true,
        }),
      }),
    );
    return configuration;
  }

  router.post('/streams', async (req, res) => {
    const { caller, body } = await manageRequest(
      req,
      createStreamRequestSchema,
      'stream configuration',
    );
    const created = await mutation(
      req,
      'create',
      caller,
      () => streams.create(caller, body),
      createdStreamMeta,
    );
    res.status(201).json(created);
  });

  // The receiver profiles "Add stream" offers (an extension of this plugin).
  router.get('/receiver-profiles', async (req, res) => {
    await callerFor(req, ssfStreamReadPermission);
    res.json({ items: streams.receiverProfiles() });
  });

  router.get('/streams', async (req, res) => {
    const caller = await callerFor(req, ssfStreamReadPermission);
    const query = queryParams(req, listQuery);
    if (query.stream_id !== undefined) {
      const stream = await streams.get(caller, query.stream_id);
      if (query.aud !== undefined && ![stream.aud].flat().includes(query.aud)) {
        throw new InputError(
          `Stream ${query.stream_id} does not have audience ${query.aud}`,
        );
      }
      res.json(stream);
      return;
    }
    res.json(await streams.list(caller, { aud: query.aud }));
  });

  router.put('/streams', async (req, res) => {
    res.json(
      await changeStream(req, 'replace', replaceStreamRequestSchema, (c, b) =>
        streams.replace(c, b),
      ),
    );
  });

  router.patch('/streams', async (req, res) => {
    res.json(
      await changeStream(req, 'update', updateStreamRequestSchema, (c, b) =>
        streams.update(c, b),
      ),
    );
  });

  router.delete('/streams', async (req, res) => {
    const caller = await callerFor(req, ssfStreamManagePermission);
    const { stream_id } = queryParams(req, streamIdQuery);
    await mutation(
      req,
      'delete',
      caller,
      () => streams.delete(caller, stream_id),
      s => ({
        streamId: s.streamId,
        clientId: s.clientId,
      }),
    );
    res.status(204).end();
  });

  router.get('/streams/status', async (req, res) => {
    const caller = await callerFor(req, ssfStreamReadPermission);
    const { stream_id } = queryParams(req, streamIdQuery);
    res.json(await streams.getStatus(caller, stream_id));
  });

  router.post('/streams/status', async (req, res) => {
    const { caller, body } = await manageRequest(
      req,
      updateStreamStatusRequestSchema,
      'stream status',
    );
    const { current } = await mutation(
      req,
      'update-status',
      caller,
      () => streams.updateStatus(caller, body),
      statusChangeMeta,
    );
    res.json(current);
  });

  router.post('/streams/verify', async (req, res) => {
    const { caller, body } = await manageRequest(
      req,
      verifyBody,
      'verification request',
    );
    try {
      await audit(req, streamVerifyEvent(body.stream_id, caller), () =>
        options.verify(caller, body.stream_id, body.state),
      );
    } catch (error) {
      if (error instanceof TooManyRequestsError) {
        res.setHeader('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
    res.status(204).end();
  });

  // SSF 1.0 §8.1.3.2 and §8.1.3.3: adding answers 200, removing 204.
  for (const [action, status] of [
    ['add', 200],
    ['remove', 204],
  ] as const) {
    router.post(`/subjects\\:${action}`, async (req, res) => {
      const { caller, body } = await manageRequest(
        req,
        subjectBody,
        `${action} subject request`,
      );
      await audit(
        req,
        {
          eventId: 'stream-subject',
          meta: {
            actionType: action,
            streamId: body.stream_id,
            caller: describeCaller(caller),
          },
        },
        () =>
          subjects[action](caller, body.stream_id, body.subject, body.verified),
      );
      res.status(status).end();
    });
  }

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
    res.json({ items: await deliveryAdmin.listStreams() });
  });

  router.get('/admin/streams/sets', async (req, res) => {
    await adminOnly(req);
    const query = queryParams(req, setsQuery);
    res.json(
      await deliveryAdmin.listSets({
        streamId: query.stream_id,
        state: query.state as OutboxState | undefined,
        limit: query.limit,
        offset: query.offset,
      }),
    );
  });

  router.get('/admin/streams/history', async (req, res) => {
    const caller = await adminOnly(req);
    const query = queryParams(req, historyQuery);
    // 404 for a stream that does not exist, like the other admin routes.
    await streams.getRecord(caller, query.stream_id);
    res.json(await options.history.history(query.stream_id, query.hours));
  });

  router.post('/admin/streams/redeliver', async (req, res) => {
    const caller = await adminOnly(req, ssfStreamManagePermission);
    const body = parseInput(redeliverBody, jsonBody(req), 'redeliver request');
    await streams.getRecord(caller, body.stream_id);
    const redelivered = await audit(
      req,
      {
        eventId: 'stream-redeliver',
        meta: {
          streamId: body.stream_id,
          ...(body.jti && { jti: body.jti }),
          caller: describeCaller(caller),
        },
      },
      () => deliveryAdmin.redeliver(body.stream_id, body.jti),
    );
    res.json({ redelivered });
  });

  return router;
}

/** A delivery as an audit event names it: where, how, and whether a header is set. */
function describeDelivery(delivery: StreamRecord['delivery']): JsonObject {
  return {
    method: delivery.method,
    endpointUrl: delivery.endpointUrl,
    authorizationHeader: delivery.authorizationHeader ? 'set' : 'none',
  };
}
