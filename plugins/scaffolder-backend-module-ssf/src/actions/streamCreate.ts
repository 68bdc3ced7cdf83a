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

import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  CreateStreamRequest,
  createStreamRequestSchema,
  describeZodIssues,
  isSubscribableEventType,
  DELIVERY_METHODS,
} from '@shared-signals/plugin-ssf-common';
import { SsfClient } from '../client';
import { catalogRefs, omitEmptyStrings } from './inputs';

/**
 * The `ctx.secrets` key read when the `authorizationHeader` input is absent.
 *
 * @public
 */
export const SSF_AUTHORIZATION_HEADER_SECRET = 'ssfAuthorizationHeader';

/**
 * Creates the `ssf:stream:create` action.
 *
 * @public
 */
export function createSsfStreamCreateAction(options: { client: SsfClient }) {
  const { client } = options;
  return createTemplateAction({
    id: 'ssf:stream:create',
    description:
      "Creates a Shared Signals (SSF) stream on the portal's transmitter, as the user running the template.",
    supportsDryRun: true,
    examples: [
      {
        description: 'A push stream for session revocations',
        example: [
          'steps:',
          '  - id: create',
          '    action: ssf:stream:create',
          '    input:',
          '      endpointUrl: https://receiver.example.com/events',
          '      eventsRequested:',
          '        - https://schemas.openid.net/secevent/caep/event-type/session-revoked',
          '      description: Session revocations for the example receiver',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        deliveryMethod: z =>
          z
            .enum(['push', 'poll'], {
              description:
                'push (RFC 8935, the transmitter calls endpointUrl) or poll (RFC 8936, the receiver polls); default push',
            })
            .optional(),
        endpointUrl: z =>
          z
            .string({
              description:
                "The receiver's push endpoint (required for push, ignored for poll)",
            })
            .optional(),
        eventsRequested: z =>
          z
            .array(z.string(), {
              description: 'CAEP/RISC event type URIs the receiver wants',
            })
            .optional(),
        description: z =>
          z.string({ description: 'A description of the stream' }).optional(),
        authorizationHeader: z =>
          z
            .string({
              description: `The Authorization header value sent with each push. Prefer the secret '${SSF_AUTHORIZATION_HEADER_SECRET}'; never logged or output.`,
            })
            .optional(),
        audience: z =>
          z
            .union([z.string(), z.array(z.string())], {
              description:
                "The stream's aud (default: the owning client ID or user)",
            })
            .optional(),
        clientId: z =>
          z
            .string({
              description:
                "The receiver's OAuth client ID that will own the stream (admins); default: the template user",
            })
            .optional(),
        owner: z =>
          z
            .string({
              description:
                "The catalog entity that owns the stream (kind group when left out), e.g. the template's owner",
            })
            .optional(),
        consumer: z =>
          z
            .string({
              description:
                'The catalog entity that consumes the stream (kind component when left out), e.g. the component the template is about; it gets a dependsOn relation',
            })
            .optional(),
      },
      output: {
        streamId: z => z.string({ description: 'The new stream ID' }),
        configurationUrl: z =>
          z.string({
            description: "URL of the stream's configuration endpoint",
          }),
        pollEndpointUrl: z =>
          z
            .string({ description: 'Where the receiver polls (poll only)' })
            .optional(),
        eventsDelivered: z =>
          z.array(z.string(), {
            description: 'The event types the stream will deliver',
          }),
      },
    },
    async handler(ctx) {
      // An optional template parameter left empty renders as '', meaning "not given".
      const input = omitEmptyStrings(ctx.input);
      // The scaffolder validates inputs but applies no schema defaults.
      const deliveryMethod = input.deliveryMethod ?? 'push';
      const authorizationHeader =
        input.authorizationHeader ??
        ctx.secrets?.[SSF_AUTHORIZATION_HEADER_SECRET];
      if (deliveryMethod === 'push' && !input.endpointUrl) {
        throw new InputError('endpointUrl is required for push delivery');
      }
      const request: CreateStreamRequest = {
        delivery:
          deliveryMethod === 'push'
            ? {
                method: DELIVERY_METHODS.push,
                endpoint_url: input.endpointUrl!,
                ...(authorizationHeader && {
                  authorization_header: authorizationHeader,
                }),
              }
            : { method: DELIVERY_METHODS.poll },
        ...(input.eventsRequested && {
          events_requested: input.eventsRequested,
        }),
        ...(input.description !== undefined && {
          description: input.description,
        }),
        ...(input.audience !== undefined && { aud: input.audience }),
        ...(input.clientId !== undefined && { client_id: input.clientId }),
        ...catalogRefs(input),
      };
      // Check the shape here too, so a dry run catches what the backend would refuse.
      const parsed = createStreamRequestSchema.safeParse(request);
      // The transmitter ignores event types it does not know (SSF 1.0
      // §8.1.1); a template that names one has a typo, so say so here.
      const issues = parsed.success
        ? (request.events_requested ?? []).flatMap((e, i) =>
            isSubscribableEventType(e)
              ? []
              : [
                  {
                    path: ['events_requested', i],
                    message: `unknown or unsupported event type '${e}'`,
                  },
                ],
          )
        : parsed.error.issues;
      if (issues.length) {
        throw new InputError(
          `Invalid SSF stream request: ${describeZodIssues(issues).join('; ')}`,
        );
      }

      if (ctx.isDryRun) {
        const metadata = await client.getMetadata();
        ctx.logger.info(
          `Dry run: would create a ${deliveryMethod} stream${
            input.endpointUrl ? ` to ${input.endpointUrl}` : ''
          }${authorizationHeader ? ' with an authorization header' : ''}`,
        );
        ctx.output('streamId', 'dry-run');
        ctx.output(
          'configurationUrl',
          `${metadata.configuration_endpoint}?stream_id=dry-run`,
        );
        if (deliveryMethod === 'poll') {
          ctx.output(
            'pollEndpointUrl',
            `${await client.baseUrl()}/poll/dry-run`,
          );
        }
        // The schema check above already refused unknown event types.
        ctx.output('eventsDelivered', input.eventsRequested ?? []);
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // Checkpointed so a retried task does not try to create a second stream.
      const stream = await ctx.checkpoint({
        key: 'ssf-stream-create',
        fn: async () => {
          const s = await client.createStream(credentials, request);
          return {
            stream_id: s.stream_id,
            events_delivered: s.events_delivered,
            method: s.delivery.method,
            endpoint_url: s.delivery.endpoint_url,
          };
        },
      });
      // The metadata's endpoint is the public URL a receiver uses.
      const metadata = await client.getMetadata();
      const configurationUrl = `${
        metadata.configuration_endpoint
      }?stream_id=${encodeURIComponent(stream.stream_id)}`;
      ctx.logger.info(
        `Created SSF stream ${stream.stream_id} (${deliveryMethod}), delivering ${stream.events_delivered.length} event type(s)`,
      );
      ctx.output('streamId', stream.stream_id);
      ctx.output('configurationUrl', configurationUrl);
      if (stream.method === DELIVERY_METHODS.poll) {
        ctx.output('pollEndpointUrl', stream.endpoint_url);
      }
      ctx.output('eventsDelivered', stream.events_delivered);
    },
  });
}
