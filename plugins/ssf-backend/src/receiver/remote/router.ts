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
  AuditorService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  isSubscribableEventType,
  ssfProviderManagePermission,
  ssfProviderReadPermission,
} from '@shared-signals/plugin-ssf-common';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { audited } from '../../http/audited';
import { jsonBody } from '../../http/validation';
import { createAdminResolver } from '../../http/userCallers';
import { ProviderService } from '../providers/ProviderService';
import {
  parseProviderInput,
  providerErrorHandler,
} from '../providers/providerErrors';
import { ProviderRecord } from '../providers/ProviderStore';
import { RemoteResult, RemoteStreamService } from './RemoteStreamService';

const eventsRequested = z
  .array(
    z.string().refine(isSubscribableEventType, {
      error: issue => `unknown event type '${String(issue.input)}'`,
    }),
  )
  .min(1)
  .max(64);
const description = z.string().max(1024);
const createBody = z
  .object({
    events_requested: eventsRequested,
    description: description.optional(),
  })
  .strict();
// SSF 1.0 §8.1.1.3: absent members stay as they are, so at least one.
const updateBody = z
  .object({
    events_requested: eventsRequested.optional(),
    description: description.optional(),
  })
  .strict()
  .refine(
    b => b.events_requested !== undefined || b.description !== undefined,
    { error: 'give events_requested, description or both' },
  );
const statusBody = z
  .object({
    status: z.enum(['enabled', 'paused', 'disabled']),
    reason: z.string().max(1024).optional(),
  })
  .strict();

/** The provider id from the parent route's path (merged params). */
function providerId(req: Request): string {
  return (req.params as { id: string }).id;
}

/**
 * `/security-events-providers/{id}/remote-stream`: this receiver's stream at
 * the provider's transmitter, managed by admins. Reading needs
 * `ssf.provider.read`, changes `ssf.provider.manage`. Answers that describe
 * the stream are the provider's `remote_stream` view; a change the
 * transmitter accepted without applying yet is answered 202. Errors use the
 * provider API's body.
 *
 * @internal
 */
export function createRemoteStreamRouter(options: {
  providers: ProviderService;
  remote: RemoteStreamService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}): express.Router {
  const { providers, remote, auditor } = options;
  const adminFor = createAdminResolver(options);
  const router = Router({ mergeParams: true });

  /**
   * The admin, who must be allowed to manage providers, and the JSON body as
   * `schema` reads it. In that order, and both before the provider is looked
   * up: a bad body is a 400 whether or not the provider exists.
   */
  async function manageRequest<S extends z.ZodType>(req: Request, schema: S) {
    const actor = await adminFor(req, ssfProviderManagePermission);
    return { actor, body: parseProviderInput(schema, jsonBody(req)) };
  }

  /** Runs a change of the provider's stream at its transmitter inside its audit event. */
  async function change<T>(
    req: Request,
    actionType: string,
    actor: string,
    fn: (provider: ProviderRecord) => Promise<T>,
  ): Promise<T> {
    const provider = await providers.get(providerId(req));
    return audited(
      {
        auditor,
        request: req,
        eventId: 'provider-remote-stream',
        meta: { actionType, actor, providerId: providerId(req) },
      },
      () => fn(provider),
    );
  }

  /** A change the transmitter may accept for later: 202 then, 200 once applied. */
  const answer = (res: Response, result: RemoteResult<unknown>) =>
    res.status(result.accepted ? 202 : 200).json(result.body);

  router.get('/', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json(await remote.get(await providers.get(providerId(req))));
  });

  router.post('/', async (req, res) => {
    const { actor, body } = await manageRequest(req, createBody);
    res
      .status(201)
      .json(await change(req, 'create', actor, p => remote.create(p, body)));
  });

  router.patch('/', async (req, res) => {
    const { actor, body } = await manageRequest(req, updateBody);
    answer(
      res,
      await change(req, 'update', actor, p => remote.update(p, body)),
    );
  });

  router.get('/status', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json(await remote.status(await providers.get(providerId(req))));
  });

  router.post('/verify', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    res
      .status(202)
      .json(await change(req, 'verify', actor, p => remote.verify(p)));
  });

  router.post('/status', async (req, res) => {
    const { actor, body } = await manageRequest(req, statusBody);
    answer(
      res,
      await change(req, 'update-status', actor, p => remote.setStatus(p, body)),
    );
  });

  router.delete('/', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    await change(req, 'delete', actor, p => remote.delete(p));
    res.status(204).end();
  });

  router.use(providerErrorHandler(options.logger));
  return router;
}
