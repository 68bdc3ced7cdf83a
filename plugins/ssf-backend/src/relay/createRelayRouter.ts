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
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { audited } from '../http/audited';
import { createAdminResolver } from '../http/userCallers';
import {
  parseProviderInput,
  providerErrorHandler,
  ProviderInputError,
  providerMutationEvent,
  type Receiver,
} from '../receiver';
import { RelayRule, RelayRuleStore } from './RelayRuleStore';

/** The most event types one rule names (as many as a stream may request). */
const MAX_EVENT_TYPES = 64;

/** `PUT /security-events-providers/{id}/relay`. @internal */
export const relayRuleRequestSchema = z
  .object({
    event_types: z
      .array(
        z.string().refine(isSubscribableEventType, {
          message: 'not an event type the transmitter can send',
        }),
      )
      .max(MAX_EVENT_TYPES),
  })
  .strict();

/**
 * A provider's relay rule as the API shows it, with the event types a rule
 * may name (what the transmitter sends and SSF lets a stream subscribe to),
 * for the admin page's choice.
 *
 * @internal
 */
export function toWireRelayRule(
  rule: RelayRule | undefined,
  eventsSupported: readonly string[],
) {
  return {
    event_types: rule?.eventTypes ?? [],
    relayable_event_types: eventsSupported.filter(isSubscribableEventType),
    ...(rule?.updatedAt && { updated_at: rule.updatedAt.toISOString() }),
    ...(rule?.updatedBy && { updated_by: rule.updatedBy }),
  };
}

/**
 * `GET` and `PUT /security-events-providers/{id}/relay`: which event types
 * received from a provider are re-sent to the portal's streams. Provider
 * routes: `ssf.provider.read` to read, `ssf.provider.manage` to change
 * (audited as a `provider-mutate` with action `relay`), errors in the
 * provider API's body.
 *
 * @internal
 */
export function createRelayRouter(options: {
  rules: RelayRuleStore;
  receiver: Pick<Receiver, 'providers'>;
  /** `ssf.transmitter.eventsSupported`: a rule can only name these. */
  eventsSupported: readonly string[];
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
  now?: () => Date;
}): express.Router {
  const { rules, receiver, auditor } = options;
  const now = options.now ?? (() => new Date());
  const adminFor = createAdminResolver(options);
  const router = Router();
  const path = '/security-events-providers/:id/relay';

  router.get(path, async (req, res) => {
    await adminFor(req, ssfProviderReadPermission);
    const provider = await receiver.providers.get(req.params.id);
    res.json(
      toWireRelayRule(await rules.get(provider.id), options.eventsSupported),
    );
  });

  router.put(path, async (req, res) => {
    const actor = await adminFor(req, ssfProviderManagePermission);
    if (!req.is('application/json')) {
      throw new ProviderInputError([
        'The request body must be JSON (Content-Type: application/json)',
      ]);
    }
    const body = parseProviderInput(relayRuleRequestSchema, req.body, value =>
      unsupportedCauses(value, options.eventsSupported),
    );
    const eventTypes = [...new Set(body.event_types)];
    const stored = await audited(
      {
        auditor,
        request: req,
        ...providerMutationEvent('relay', actor, req.params.id),
        successMeta: () => ({ providerId: req.params.id, eventTypes }),
      },
      async () => {
        const provider = await receiver.providers.get(req.params.id);
        return rules.put({
          providerId: provider.id,
          eventTypes,
          updatedBy: actor,
          updatedAt: now(),
        });
      },
    );
    res.json(toWireRelayRule(stored, options.eventsSupported));
  });

  router.use(
    '/security-events-providers',
    providerErrorHandler(options.logger),
  );
  return router;
}

/** The event types a body names that this transmitter is not set to send. */
function unsupportedCauses(
  body: unknown,
  eventsSupported: readonly string[],
): string[] {
  const types = (body as { event_types?: unknown })?.event_types;
  if (!Array.isArray(types)) return [];
  return types.flatMap((type, index) =>
    typeof type === 'string' &&
    isSubscribableEventType(type) &&
    !eventsSupported.includes(type)
      ? [
          `event_types.${index}: '${type}' is not sent by this transmitter (ssf.transmitter.eventsSupported)`,
        ]
      : [],
  );
}
