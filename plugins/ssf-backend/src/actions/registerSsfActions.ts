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
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  createSecurityEventsProviderRequestSchema,
  createStreamRequestSchema,
  ssfProviderManagePermission,
  ssfProviderReadPermission,
  ssfStreamManagePermission,
  ssfStreamReadPermission,
  updateStreamStatusRequestSchema,
} from '@shared-signals/plugin-ssf-common';
import { parseInput } from '../http/validation';
import {
  providerMeta,
  providerMutationEvent,
  Receiver,
  toWireProvider,
  toWireReceivedEvent,
} from '../receiver';
import {
  createdStreamMeta,
  statusChangeMeta,
  StreamCaller,
  streamMutationEvent,
  streamVerifyEvent,
  Transmitter,
} from '../transmitter';
import { actingUser, auditedAction } from './credentials';

// As `GET /received-events` pages.
const DEFAULT_RECEIVED_LIMIT = 50;
const MAX_RECEIVED_LIMIT = 200;

/**
 * Registers the SSF actions for agents (the MCP actions backend, and any
 * caller of Backstage's actions service): create, verify and pause or
 * resume streams, list streams with their delivery health, create
 * Security Events Providers and list received events. Each calls the same
 * service as the matching HTTP route, after the same permission check,
 * for the user the action is invoked for.
 *
 * @internal
 */
export function registerSsfActions(options: {
  actionsRegistry: ActionsRegistryService;
  permissions: PermissionsService;
  auditor: AuditorService;
  transmitter: Pick<
    Transmitter,
    'streams' | 'verify' | 'deliveryAdmin' | 'config'
  >;
  receiver: Pick<Receiver, 'providers' | 'receivedEvents'>;
}): void {
  const { actionsRegistry, permissions, auditor, transmitter, receiver } =
    options;

  const adminCaller = async (
    credentials: Parameters<typeof actingUser>[1],
    permission: Parameters<typeof actingUser>[2],
  ): Promise<StreamCaller> => ({
    type: 'admin',
    userEntityRef: await actingUser(permissions, credentials, permission),
  });

  actionsRegistry.register({
    name: 'create-stream',
    title: 'Create an SSF stream',
    description:
      'Creates a Shared Signals (SSF 1.0) stream from this portal\u2019s transmitter to a receiver, as POST /api/ssf/streams does for a portal admin. ' +
      'Give client_id (the receiver\u2019s OAuth client ID) to create it on that receiver\u2019s behalf. ' +
      'Delivery is push (method urn:ietf:rfc:8935 with endpoint_url, and optionally authorization_header) or poll (method urn:ietf:rfc:8936, no endpoint_url); poll when omitted. ' +
      'Needs the ssf.stream.manage permission.',
    schema: {
      input: z =>
        z.object({
          client_id: z
            .string()
            .optional()
            .describe(
              'OAuth client ID of the receiver that will own the stream; the caller when omitted',
            ),
          delivery: z
            .object({
              method: z
                .string()
                .describe(
                  'urn:ietf:rfc:8935 (push) or urn:ietf:rfc:8936 (poll)',
                ),
              endpoint_url: z
                .string()
                .optional()
                .describe('The receiver\u2019s push endpoint (push only)'),
              authorization_header: z
                .string()
                .optional()
                .describe('Sent as Authorization with each push (secret)'),
            })
            .optional(),
          events_requested: z
            .array(z.string())
            .optional()
            .describe('Event type URIs the receiver wants'),
          description: z.string().optional(),
          aud: z
            .union([z.string(), z.array(z.string())])
            .optional()
            .describe('Audience of the SETs; the owning client ID by default'),
          receiver_profile: z
            .string()
            .optional()
            .describe('How SETs are shaped: ssf (default) or okta'),
        }),
      output: z =>
        z.object({
          stream: z
            .object({
              stream_id: z.string(),
              delivery: z.object({
                method: z.string(),
                endpoint_url: z.string(),
              }),
            })
            .passthrough()
            .describe('The stream configuration, as SSF 1.0 §8.1.1 returns it'),
        }),
    },
    attributes: { destructive: false, idempotent: false, readOnly: false },
    action: async ({ input, credentials }) => {
      const caller = await adminCaller(credentials, ssfStreamManagePermission);
      const request = parseInput(
        createStreamRequestSchema,
        input,
        'stream configuration',
      );
      const stream = await auditedAction(
        {
          auditor,
          action: 'create-stream',
          ...streamMutationEvent('create', caller),
          successMeta: createdStreamMeta,
        },
        () => transmitter.streams.create(caller, request),
      );
      return { output: { stream: { ...stream } } };
    },
  });

  actionsRegistry.register({
    name: 'verify-stream',
    title: 'Verify an SSF stream',
    description:
      'Sends a verification event (SSF 1.0 §8.1.4.2) down a stream, as POST /api/ssf/streams/verify does: the receiver should get a SET carrying the given state. ' +
      'Refused when asked again within the stream\u2019s min_verification_interval. Needs the ssf.stream.manage permission.',
    schema: {
      input: z =>
        z.object({
          stream_id: z.string().min(1).max(128),
          state: z
            .string()
            .max(1024)
            .optional()
            .describe('Echoed in the verification SET'),
        }),
      output: z =>
        z.object({
          stream_id: z.string(),
          requested: z.literal(true),
        }),
    },
    attributes: { destructive: false, idempotent: false, readOnly: false },
    action: async ({ input, credentials }) => {
      const caller = await adminCaller(credentials, ssfStreamManagePermission);
      await auditedAction(
        {
          auditor,
          action: 'verify-stream',
          ...streamVerifyEvent(input.stream_id, caller),
        },
        () => transmitter.verify(caller, input.stream_id, input.state),
      );
      return {
        output: { stream_id: input.stream_id, requested: true as const },
      };
    },
  });

  actionsRegistry.register({
    name: 'update-stream-status',
    title: 'Enable, pause or disable an SSF stream',
    description:
      'Sets a stream\u2019s status (SSF 1.0 §8.1.2.2), as POST /api/ssf/streams/status does: enabled delivers, paused holds events for later, disabled drops them. ' +
      'The receiver is told with a stream-updated event. Needs the ssf.stream.manage permission.',
    schema: {
      input: z =>
        z.object({
          stream_id: z.string().min(1).max(128),
          status: z.enum(['enabled', 'paused', 'disabled']),
          reason: z.string().optional(),
        }),
      output: z => {
        const status = z.object({
          stream_id: z.string(),
          status: z.enum(['enabled', 'paused', 'disabled']),
          reason: z.string().optional(),
        });
        return z.object({ previous: status, current: status });
      },
    },
    attributes: { destructive: true, idempotent: true, readOnly: false },
    action: async ({ input, credentials }) => {
      const caller = await adminCaller(credentials, ssfStreamManagePermission);
      const request = parseInput(
        updateStreamStatusRequestSchema,
        input,
        'stream status',
      );
      const result = await auditedAction(
        {
          auditor,
          action: 'update-stream-status',
          ...streamMutationEvent('update-status', caller),
          successMeta: statusChangeMeta,
        },
        () => transmitter.streams.updateStatus(caller, request),
      );
      return { output: result };
    },
  });

  actionsRegistry.register({
    name: 'list-streams',
    title: 'List SSF streams with their delivery health',
    description:
      'Lists every stream of this portal\u2019s transmitter, as the admin page does (GET /api/ssf/admin/streams): its receiver (client_id), status and reason, delivery, ' +
      'how many SETs are pending, held (paused stream), delivered, dead-lettered and dropped, the last delivery error and the last successful delivery. ' +
      'Needs the ssf.stream.read permission.',
    schema: {
      input: z => z.object({}),
      output: z =>
        z.object({
          streams: z.array(
            z.object({
              stream_id: z.string(),
              client_id: z.string(),
              description: z.string().optional(),
              status: z.enum(['enabled', 'paused', 'disabled']),
              reason: z.string().optional(),
              delivery_method: z.string(),
              endpoint_url: z.string(),
              events_delivered: z.array(z.string()),
              stats: z.object({
                pending: z.number(),
                held: z.number(),
                delivered: z.number(),
                dead: z.number(),
                dropped: z.number(),
              }),
              last_error: z
                .object({ message: z.string(), at: z.string() })
                .optional(),
              last_delivered_at: z.string().optional(),
            }),
          ),
        }),
    },
    attributes: { readOnly: true, idempotent: true, destructive: false },
    action: async ({ credentials }) => {
      await actingUser(permissions, credentials, ssfStreamReadPermission);
      const streams = await transmitter.deliveryAdmin.listStreams();
      return {
        output: {
          streams: streams.map(s => ({
            stream_id: s.stream_id,
            client_id: s.client_id,
            ...(s.description !== undefined && {
              description: s.description,
            }),
            status: s.status,
            ...(s.reason !== undefined && { reason: s.reason }),
            delivery_method: s.delivery.method,
            endpoint_url: s.delivery.endpoint_url,
            events_delivered: s.events_delivered,
            stats: s.stats,
            ...(s.last_error && { last_error: s.last_error }),
            ...(s.last_delivered_at !== undefined && {
              last_delivered_at: s.last_delivered_at,
            }),
          })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'create-provider',
    title: 'Add an SSF Security Events Provider',
    description:
      'Adds a transmitter this portal receives SETs from (a Security Events Provider), as POST /api/ssf/security-events-providers does. ' +
      'settings holds either well_known_url (the provider\u2019s SSF metadata), or issuer and jwks_url. ' +
      'Delivery is push to this portal (default) or poll from the provider. Needs the ssf.provider.manage permission.',
    schema: {
      input: z =>
        z.object({
          name: z.string().describe('A name for admins'),
          type: z
            .string()
            .describe('The kind of transmitter, e.g. okta or ssf'),
          settings: z
            .object({
              well_known_url: z.string().optional(),
              issuer: z.string().optional(),
              jwks_url: z.string().optional(),
              accept_untyped_sets: z.boolean().optional(),
              accept_non_url_issuer: z.boolean().optional(),
            })
            .passthrough(),
          authorization_secret: z
            .string()
            .optional()
            .describe('Bearer secret the provider must push with (secret)'),
          delivery: z
            .object({
              method: z.string(),
              endpoint_url: z.string().optional(),
            })
            .passthrough()
            .optional(),
        }),
      output: z =>
        z.object({
          provider: z
            .object({
              id: z.string(),
              name: z.string(),
              status: z.string(),
            })
            .passthrough(),
        }),
    },
    attributes: { destructive: false, idempotent: false, readOnly: false },
    action: async ({ input, credentials }) => {
      const actor = await actingUser(
        permissions,
        credentials,
        ssfProviderManagePermission,
      );
      const request = parseInput(
        createSecurityEventsProviderRequestSchema,
        input,
        'provider',
      );
      const created = await auditedAction(
        {
          auditor,
          action: 'create-provider',
          ...providerMutationEvent('create', actor, null),
          successMeta: providerMeta,
        },
        () => receiver.providers.create(request),
      );
      return {
        output: { provider: { ...toWireProvider(created) } },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-received-events',
    title: 'List received SSF events',
    description:
      'Lists the security events this portal received, newest first, as GET /api/ssf/received-events does: filter by provider_id, event_type (a URI), ' +
      'subject (its identifier value), and received time (since, until: ISO 8601). Pass next_cursor back as cursor for the next page. ' +
      'Needs the ssf.provider.read permission.',
    schema: {
      input: z =>
        z.object({
          provider_id: z.string().min(1).max(32).optional(),
          event_type: z.string().min(1).max(512).optional(),
          subject: z.string().min(1).max(1024).optional(),
          since: z.string().datetime({ offset: true }).optional(),
          until: z.string().datetime({ offset: true }).optional(),
          limit: z.number().int().min(1).max(MAX_RECEIVED_LIMIT).optional(),
          cursor: z
            .string()
            .regex(/^\d{1,18}$/, 'cursor is not one this action returned')
            .optional(),
        }),
      output: z =>
        z.object({
          items: z.array(
            z
              .object({
                id: z.string(),
                iss: z.string(),
                jti: z.string(),
                event_type: z.string(),
                received_at: z.string(),
              })
              .passthrough(),
          ),
          next_cursor: z.string().optional(),
        }),
    },
    attributes: { readOnly: true, idempotent: true, destructive: false },
    action: async ({ input, credentials }) => {
      await actingUser(permissions, credentials, ssfProviderReadPermission);
      const since = input.since ? new Date(input.since) : undefined;
      const until = input.until ? new Date(input.until) : undefined;
      if (since && until && since >= until) {
        throw new InputError('since must be before until');
      }
      const limit = input.limit ?? DEFAULT_RECEIVED_LIMIT;
      // One row more than asked tells whether there is a next page.
      const rows = await receiver.receivedEvents.list({
        providerId: input.provider_id,
        eventType: input.event_type,
        subject: input.subject,
        since,
        until,
        before: input.cursor,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      return {
        output: {
          items: page.map(e => ({ ...toWireReceivedEvent(e) })),
          ...(rows.length > limit && { next_cursor: page[page.length - 1].id }),
        },
      };
    },
  });
}
