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
import { JsonObject } from '@backstage/types';
import {
  createSecurityEventsProviderRequestSchema,
  DELIVERY_METHODS,
  replaceSecurityEventsProviderRequestSchema,
  ssfProviderManagePermission,
  ssfProviderReadPermission,
} from '@shared-signals/plugin-ssf-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { audited } from '../../http/audited';
import { createAdminResolver } from '../../http/userCallers';
import { PollOutcome } from '../poll/ProviderPoller';
import { providerMeta, providerMutationEvent } from './providerAudit';
import { ProviderRecord } from './ProviderStore';
import { ProviderService } from './ProviderService';
import {
  parseProviderInput,
  ProviderInputError,
  providerTypeCauses,
  providerErrorHandler,
} from './providerErrors';
import { toWireProvider } from './wire';

/** @internal */
export interface ProvidersRouterOptions {
  providers: ProviderService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  /** Polls a poll-connected provider now (`POST /{id}/poll`). */
  pollNow?: (provider: ProviderRecord) => Promise<PollOutcome>;
}

/**
 * The seven operations of the provider API (Okta's Security Events Providers API), mounted at
 * `/security-events-providers`, with the provider API's error body.
 *
 * @internal
 */
export function createProvidersRouter(
  options: ProvidersRouterOptions,
): express.Router {
  const { providers, auditor } = options;
  const adminFor = createAdminResolver(options);
  const router = Router();

  function mutation(
    req: Request,
    actionType: string,
    actor: string,
    fn: () => Promise<ProviderRecord>,
    meta: (p: ProviderRecord) => JsonObject = () => ({}),
  ): Promise<ProviderRecord> {
    return audited(
      {
        auditor,
        request: req,
        ...providerMutationEvent(actionType, actor, req.params.id ?? null),
        successMeta: provider => ({
          ...providerMeta(provider),
          ...meta(provider),
        }),
      },
      fn,
    );
  }

  router.get('/', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json((await providers.list()).map(toWireProvider));
  });

  router.post('/', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const body = providerBody(req, createSecurityEventsProviderRequestSchema);
    const created = await mutation(req, 'create', actor, () =>
      providers.create(body),
    );
    res.status(200).json(toWireProvider(created));
  });

  router.get('/:id', async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    res.json(toWireProvider(await providers.get(req.params.id)));
  });

  router.put('/:id', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const body = providerBody(req, replaceSecurityEventsProviderRequestSchema);
    const replaced = await mutation(req, 'replace', actor, async () => {
      const { current } = await providers.replace(req.params.id, body);
      return current;
    });
    res.json(toWireProvider(replaced));
  });

  router.delete('/:id', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    await mutation(req, 'delete', actor, () => providers.delete(req.params.id));
    res.status(204).end();
  });

  for (const [action, status] of [
    ['activate', 'ACTIVE'],
    ['deactivate', 'INACTIVE'],
  ] as const) {
    router.post(`/:id/lifecycle/${action}`, async (req, res) => {
      const actor = await adminFor(req, ssfProviderManagePermission);
      let from = status;
      const changed = await mutation(
        req,
        action,
        actor,
        async () => {
          const { previous, current } = await providers.setStatus(
            req.params.id,
            status,
          );
          from = previous.status;
          return current;
        },
        () => ({ from, to: status }),
      );
      res.json(toWireProvider(changed));
    });
  }

  // Extension: poll a poll-connected provider now instead of waiting for the
  // scheduled task (RFC 8936).
  router.post('/:id/poll', async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    const provider = await providers.get(req.params.id);
    if (provider.deliveryMethod !== DELIVERY_METHODS.poll || !options.pollNow) {
      throw new ProviderInputError([
        'delivery: this provider is not poll-connected',
      ]);
    }
    let outcome: PollOutcome | undefined;
    await mutation(
      req,
      'poll',
      actor,
      async () => {
        outcome = await options.pollNow!(provider);
        return provider;
      },
      () => ({ ...outcome }),
    );
    res.json(outcome);
  });

  router.use(providerErrorHandler(options.logger));
  return router;
}

/**
 * A provider as the request's JSON body gives it, read by `schema`; anything
 * else is a 400 in the provider API's shape.
 */
function providerBody<S extends z.ZodType>(
  req: Request,
  schema: S,
): z.infer<S> {
  if (!req.is('application/json')) {
    throw new ProviderInputError([
      'The request body must be JSON (Content-Type: application/json)',
    ]);
  }
  return parseProviderInput(schema, req.body, providerTypeCauses);
}
