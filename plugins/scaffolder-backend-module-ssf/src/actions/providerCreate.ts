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
  CreateSecurityEventsProviderRequest,
  createSecurityEventsProviderRequestSchema,
  DELIVERY_METHODS,
} from '@shared-signals/plugin-ssf-common';
import { SsfClient } from '../client';
import { catalogRefs, omitEmptyStrings } from './inputs';

/**
 * The `ctx.secrets` key read when the `authorizationSecret` input is absent.
 *
 * @public
 */
export const SSF_PROVIDER_SECRET = 'ssfProviderAuthorizationSecret';

/**
 * Creates the `ssf:provider:create` action.
 *
 * @public
 */
export function createSsfProviderCreateAction(options: { client: SsfClient }) {
  const { client } = options;
  return createTemplateAction({
    id: 'ssf:provider:create',
    description:
      "Registers a Security Events Provider (a transmitter whose SETs the portal's SSF receiver accepts), as the user running the template.",
    supportsDryRun: true,
    examples: [
      {
        description: 'A push provider configured from its SSF metadata',
        example: [
          'steps:',
          '  - id: provider',
          '    action: ssf:provider:create',
          '    input:',
          '      name: Example IdP',
          '      wellKnownUrl: https://idp.example.com/.well-known/ssf-configuration',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        name: z =>
          z.string({ description: 'A unique display name' }).min(1).max(255),
        type: z =>
          z
            .string({
              description: "The provider type, e.g. the vendor (default 'SSF')",
            })
            .min(1)
            .max(64)
            .optional(),
        wellKnownUrl: z =>
          z
            .string({
              description:
                "The transmitter's SSF metadata URL (or give issuer and jwksUrl)",
            })
            .optional(),
        issuer: z =>
          z.string({ description: "The transmitter's issuer" }).optional(),
        jwksUrl: z =>
          z.string({ description: "The transmitter's JWK Set URL" }).optional(),
        deliveryMethod: z =>
          z
            .enum(['push', 'poll'], {
              description:
                'push (the transmitter pushes to the portal) or poll (the portal polls pollEndpointUrl); default push',
            })
            .optional(),
        pollEndpointUrl: z =>
          z
            .string({ description: "The transmitter's poll endpoint (poll)" })
            .optional(),
        authorizationSecret: z =>
          z
            .string({
              description: `Bearer secret pushes must carry. Prefer the secret '${SSF_PROVIDER_SECRET}'; never logged or output.`,
            })
            .optional(),
        owner: z =>
          z
            .string({
              description:
                'The catalog entity that owns the provider (kind group when left out)',
            })
            .optional(),
        consumer: z =>
          z
            .string({
              description:
                "The catalog entity that consumes the provider's SETs (kind component when left out); it gets a dependsOn relation",
            })
            .optional(),
      },
      output: {
        providerId: z => z.string({ description: 'The new provider ID' }),
        status: z =>
          z.string({ description: 'ACTIVE or INACTIVE (ACTIVE when created)' }),
        issuer: z =>
          z.string({ description: 'The issuer the provider accepts' }),
      },
    },
    async handler(ctx) {
      // An optional template parameter left empty renders as '', meaning "not given".
      const input = omitEmptyStrings(ctx.input);
      const deliveryMethod = input.deliveryMethod ?? 'push';
      const secret =
        input.authorizationSecret ?? ctx.secrets?.[SSF_PROVIDER_SECRET];
      const request: CreateSecurityEventsProviderRequest = {
        name: input.name,
        type: input.type ?? 'SSF',
        settings: input.wellKnownUrl
          ? { well_known_url: input.wellKnownUrl }
          : { issuer: input.issuer, jwks_url: input.jwksUrl },
        ...(secret && { authorization_secret: secret }),
        ...catalogRefs(input),
        ...(deliveryMethod === 'poll' && {
          delivery: {
            method: DELIVERY_METHODS.poll,
            endpoint_url: input.pollEndpointUrl ?? '',
          },
        }),
      };
      const parsed =
        createSecurityEventsProviderRequestSchema.safeParse(request);
      if (!parsed.success) {
        // The messages name the property, never echo its value (the secret).
        throw new InputError(
          `Invalid security events provider: ${parsed.error.issues
            .map(i => `${i.path.join('.') || 'request'}: ${i.message}`)
            .join('; ')}`,
        );
      }

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would register provider '${input.name}'${
            secret ? ' with an authorization secret' : ''
          }`,
        );
        ctx.output('providerId', 'dry-run');
        ctx.output('status', 'ACTIVE');
        ctx.output('issuer', input.issuer ?? input.wellKnownUrl ?? '');
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const provider = await ctx.checkpoint({
        key: 'ssf-provider-create',
        fn: async () => {
          const p = await client.createProvider(credentials, request);
          return { id: p.id, status: p.status, issuer: p.settings.issuer };
        },
      });
      ctx.logger.info(
        `Registered provider ${provider.id} for issuer ${provider.issuer}`,
      );
      ctx.output('providerId', provider.id);
      ctx.output('status', provider.status);
      ctx.output('issuer', provider.issuer);
    },
  });
}
