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
  BackstageCredentials,
  BackstageUserPrincipal,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import {
  ssfHookManagePermission,
  subjectSchema,
} from '@shared-signals/plugin-ssf-common';
import { SsfIdentityChangeSink } from '@shared-signals/plugin-ssf-node';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { TransmitterEmitter } from '../transmitter';
import { audited } from '../http/audited';
import { jsonBody, parseInput, queryParams } from '../http/validation';
import { authorizeUser, createAdminResolver } from '../http/userCallers';
import { IdentityHooksConfig } from './config';
import { FiringStore } from './firings/FiringStore';
import {
  hookInputSchema,
  parseHookInput,
  toHookDefinition,
} from './hooks/hookDefinition';
import { HookStore } from './hooks/HookStore';
import { canonicalPath } from './identities/attributes';
import { diffAttributes, patchAttributes } from './identities/diff';
import {
  attributeChangesSchema,
  attributeValuesSchema,
  fromWire,
  identityChangesBody,
  subjectIdentity,
} from './identities/identityChanges';
import { RunStore } from './identities/RunStore';
import { SnapshotStore } from './identities/SnapshotStore';
import { CATALOG_SOURCE } from './catalog/CatalogReconciler';
import { IdentityHookEngine, PlannedEvent } from './IdentityHookEngine';
import { PlannedReceivedEvent, planReceived } from './received/receivedHooks';
import { toWireFiring, toWireHook, toWireOutcome, toWireRun } from './wire';

/** The largest `POST /identity-changes` body: 1,000 changes fit. @internal */
export const IDENTITY_CHANGES_BODY_LIMIT = '1mb';

// A sample received SET for the event_received hooks, with what a stored
// one gives them; the provider is an id and need not exist.
const dryRunReceivedEvent = z.strictObject({
  event_type: z.string().min(1).max(512),
  provider: z.string().min(1).max(32).optional(),
  iss: z.string().min(1).max(2048).optional(),
  jti: z.string().min(1).max(256).optional(),
  txn: z.string().min(1).max(256).optional(),
  subject: subjectSchema,
  payload: z.record(z.string(), z.unknown()).optional(),
});

const dryRunBody = z
  .strictObject({
    change: z
      .strictObject({
        subject: subjectSchema,
        before: attributeValuesSchema.optional(),
        attributes: attributeChangesSchema.optional(),
        removed: z.boolean().optional(),
      })
      .refine(c => c.removed || c.attributes, {
        message: 'give attributes, or removed: true',
      })
      .optional(),
    received_event: dryRunReceivedEvent.optional(),
    hook: hookInputSchema.optional(),
  })
  .refine(b => (b.change === undefined) !== (b.received_event === undefined), {
    message: 'give either change (an identity change) or received_event',
  });

const firingsQuery = z.strictObject({
  hook_id: z.string().max(64).optional(),
  identity: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, { error: 'cursor is not one this API returned' })
    .optional(),
});

type DryRunPlanned = PlannedEvent | PlannedReceivedEvent;

function canonicalAttributes<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(
    Object.entries(map).map(([path, value]) => [canonicalPath(path), value]),
  );
}

/**
 * The lifecycle routes: hooks (CRUD and dry run), their firings, identity
 * changes from other systems, and the catalog reconciliation's status.
 *
 * @internal
 */
export function createIdentityHooksRouter(options: {
  config: IdentityHooksConfig;
  hooks: HookStore;
  engine: IdentityHookEngine;
  emitter: TransmitterEmitter;
  firings: FiringStore;
  runs: RunStore;
  snapshots: SnapshotStore;
  sink: SsfIdentityChangeSink;
  /** Runs the catalog reconciliation soon; undefined when it is off. */
  reconcileNow?: () => Promise<void>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
}): express.Router {
  const { config, hooks, auditor } = options;
  const adminFor = createAdminResolver(options);
  const admin = (req: Request) => adminFor(req, ssfHookManagePermission);
  const router = Router();

  router.get('/hooks', async (req, res) => {
    await admin(req);
    res.json({ items: (await hooks.list()).map(toWireHook) });
  });

  /** Runs a change of the hook the path names inside its audit event. */
  const changeHook = <T>(
    req: Request,
    eventId: 'ssf-hook-update' | 'ssf-hook-delete',
    actor: string,
    fn: () => Promise<T>,
  ) =>
    audited(
      {
        auditor,
        request: req,
        eventId,
        meta: { actor, hookId: req.params.id },
      },
      fn,
    );

  /** The admin, then the hook the JSON body defines (POST and PUT). */
  async function hookRequest(req: Request) {
    const user = await admin(req);
    return {
      user,
      definition: parseHookInput(jsonBody(req), config.subject.format),
    };
  }

  router.post('/hooks', async (req, res) => {
    const { user, definition } = await hookRequest(req);
    const hook = await audited(
      {
        auditor,
        request: req,
        eventId: 'ssf-hook-create',
        meta: { actor: user, name: definition.name },
        successMeta: h => ({ hookId: h.id }),
      },
      () => hooks.create(definition),
    );
    res.status(201).json(toWireHook(hook));
  });

  router.get('/hooks/:id', async (req, res) => {
    await admin(req);
    res.json(toWireHook(await hooks.get(req.params.id)));
  });

  router.put('/hooks/:id', async (req, res) => {
    const { user, definition } = await hookRequest(req);
    const hook = await changeHook(req, 'ssf-hook-update', user, () =>
      hooks.update(req.params.id, () => definition),
    );
    res.json(toWireHook(hook));
  });

  router.patch('/hooks/:id', async (req, res) => {
    const user = await admin(req);
    const patch = parseInput(
      hookInputSchema.partial(),
      jsonBody(req),
      'hook change',
    );
    const hook = await changeHook(req, 'ssf-hook-update', user, () =>
      hooks.update(req.params.id, current =>
        toHookDefinition(
          {
            name: patch.name ?? current.name,
            description: patch.description ?? current.description,
            enabled: patch.enabled ?? current.enabled,
            trigger: patch.trigger ?? current.trigger,
            event_type: patch.event_type ?? current.eventType,
            payload_template: patch.payload_template ?? current.payloadTemplate,
            subject_format: patch.subject_format ?? current.subjectFormat,
          },
          config.subject.format,
        ),
      ),
    );
    res.json(toWireHook(hook));
  });

  router.delete('/hooks/:id', async (req, res) => {
    const user = await admin(req);
    await changeHook(req, 'ssf-hook-delete', user, () =>
      hooks.delete(req.params.id),
    );
    res.status(204).end();
  });

  router.post('/hooks/dry-run', async (req, res) => {
    await admin(req);
    const body = parseInput(dryRunBody, jsonBody(req), 'dry run');
    const candidates = body.hook
      ? [toHookDefinition(body.hook, config.subject.format)]
      : await hooks.list({ enabled: true });
    const withStreams = (events: DryRunPlanned[]) =>
      Promise.all(
        events.map(async event => ({
          ...(event.hook.id && { hook_id: event.hook.id }),
          hook_name: event.hook.name,
          event_type: event.eventType,
          subject: event.subject,
          payload: event.payload,
          streams: await options.emitter.targetStreams({
            type: event.eventType,
            subject: event.subject,
          }),
        })),
      );
    if (!body.change) {
      const sample = body.received_event!;
      const planned = planReceived(
        {
          ...(sample.provider !== undefined && {
            providerId: sample.provider,
          }),
          iss: sample.iss ?? 'dry-run',
          jti: sample.jti ?? 'dry-run',
          ...(sample.txn !== undefined && { txn: sample.txn }),
          subject: sample.subject,
          events: { [sample.event_type]: sample.payload ?? {} },
          receivedAt: new Date(),
        },
        candidates,
      );
      res.json({ changes: [], events: await withStreams(planned) });
      return;
    }
    const { subject } = body.change;
    const before = canonicalAttributes(body.change.before ?? {});
    const next = body.change.removed
      ? undefined
      : patchAttributes(before, canonicalAttributes(body.change.attributes!));
    const changes = diffAttributes(before, next);
    const planned = options.engine.plan(
      {
        identity: subjectIdentity(subject),
        subject,
        before,
        next,
        changes,
        observedAt: new Date(),
      },
      candidates,
    );
    res.json({ changes, events: await withStreams(planned) });
  });

  router.get('/hook-firings', async (req, res) => {
    await admin(req);
    const q = queryParams(req, firingsQuery);
    const limit = q.limit ?? 50;
    const page = await options.firings.list({
      hookId: q.hook_id,
      identity: q.identity,
      limit,
      before: q.cursor,
    });
    res.json({
      items: page.map(toWireFiring),
      ...(page.length === limit && { next_cursor: page[page.length - 1].id }),
    });
  });

  router.post('/identity-changes', async (req, res) => {
    const caller = await identityChangeCaller(req);
    const body = parseInput(
      identityChangesBody,
      jsonBody(req),
      'identity changes',
    );
    const outcomes = await audited(
      {
        auditor,
        request: req,
        eventId: 'ssf-identity-changes',
        meta: { actor: caller, changes: body.changes.length },
        successMeta: o => ({
          events: o.reduce((n, x) => n + x.events.length, 0),
        }),
      },
      () => options.sink.submit(body.changes.map(fromWire)),
    );
    res.json({ results: outcomes.map(toWireOutcome) });
  });

  router.post('/lifecycle/reconcile', async (req, res) => {
    const user = await admin(req);
    if (!options.reconcileNow) {
      throw new ConflictError(
        'The catalog reconciliation is off (ssf.lifecycle.catalog.enabled)',
      );
    }
    await audited(
      {
        auditor,
        request: req,
        eventId: 'ssf-lifecycle-reconcile',
        severityLevel: 'low',
        meta: { actor: user },
      },
      options.reconcileNow,
    );
    res.status(202).json({ triggered: true });
  });

  router.get('/lifecycle/status', async (req, res) => {
    await admin(req);
    const run = await options.runs.get(CATALOG_SOURCE);
    res.json({
      catalog: {
        enabled: Boolean(options.reconcileNow),
        lifecycle_annotation: config.lifecycleAnnotation,
        snapshots: await options.snapshots.count(CATALOG_SOURCE),
        ...(run && { last_run: toWireRun(run) }),
      },
    });
  });

  /**
   * Identity changes may come from backend plugins, from external services
   * allowed by name in config (an HR feed's external access subject), and
   * from portal admins. Other service principals are mostly receivers of
   * this transmitter and must not be able to revoke anyone's sessions.
   */
  async function identityChangeCaller(req: Request): Promise<string> {
    const credentials = await options.httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    if (credentials.principal.type === 'service') {
      const subject = credentials.principal.subject;
      if (
        subject.startsWith('plugin:') ||
        config.allowedServices.includes(subject)
      ) {
        return subject;
      }
      throw new NotAllowedError(
        `The service ${subject} may not submit identity changes; list it in ssf.lifecycle.identityChanges.allowedServices`,
      );
    }
    return authorizeUser(
      options.permissions,
      // A service principal returned above: this is a user.
      credentials as BackstageCredentials<BackstageUserPrincipal>,
      ssfHookManagePermission,
    );
  }

  return router;
}
