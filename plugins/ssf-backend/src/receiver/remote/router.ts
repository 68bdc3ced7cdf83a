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
import express, { Request } from 'express';
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
import { RemoteStreamService } from './RemoteStreamService';

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

  const mutation = <T>(
    req: Request,
    actionType: string,
    actor: string,
    fn: () => Promise<T>,
  ) =>
    audited(
      {
        auditor,
        request: req,
        eventId: 'provider-remote-stream',
        meta: { actionType, actor, providerId: providerId(req) },
      },
      fn,
    );

  router.get('/', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json(await remote.get(await providers.get(providerId(req))));
  });

  router.post('/', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const body = parseProviderInput(createBody, jsonBody(req));
    const provider = await providers.get(providerId(req));
    res
      .status(201)
      .json(
        await mutation(req, 'create', actor, () =>
          remote.create(provider, body),
        ),
      );
  });

  router.patch('/', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const body = parseProviderInput(updateBody, jsonBody(req));
    const provider = await providers.get(providerId(req));
    const result = await mutation(req, 'update', actor, () =>
      remote.update(provider, body),
    );
    res.status(result.accepted ? 202 : 200).json(result.body);
  });

  router.get('/status', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json(await remote.status(await providers.get(providerId(req))));
  });

  router.post('/verify', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const provider = await providers.get(providerId(req));
    res
      .status(202)
      .json(
        await mutation(req, 'verify', actor, () => remote.verify(provider)),
      );
  });

  router.post('/status', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const body = parseProviderInput(statusBody, jsonBody(req));
    const provider = await providers.get(providerId(req));
    const result = await mutation(req, 'update-status', actor, () =>
      remote.setStatus(provider, body),
    );
    res.status(result.accepted ? 202 : 200).json(result.body);
  });

  router.delete('/', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const provider = await providers.get(providerId(req));
    await mutation(req, 'delete', actor, () => remote.delete(provider));
    res.status(204).end();
  });

  router.use(providerErrorHandler(options.logger));
  return router;
}
