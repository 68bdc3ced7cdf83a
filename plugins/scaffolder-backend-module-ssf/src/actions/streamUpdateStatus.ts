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

import { STREAM_LIMITS } from '@shared-signals/plugin-ssf-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { SsfClient } from '../client';

/**
 * Creates the `ssf:stream:update-status` action.
 *
 * @public
 */
export function createSsfStreamUpdateStatusAction(options: {
  client: SsfClient;
}) {
  const { client } = options;
  return createTemplateAction({
    id: 'ssf:stream:update-status',
    description:
      'Enables, pauses or disables an SSF stream (SSF 1.0 §8.1.2.2), as the user running the template.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Pause a stream during receiver maintenance',
        example: [
          'steps:',
          '  - id: pause',
          '    action: ssf:stream:update-status',
          '    input:',
          '      streamId: ${{ parameters.streamId }}',
          '      status: paused',
          '      reason: Receiver maintenance',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        streamId: z => z.string({ description: 'The stream to change' }).min(1),
        status: z =>
          z.enum(['enabled', 'paused', 'disabled'], {
            description: 'The new status',
          }),
        reason: z =>
          z
            .string({ description: 'Why; sent to the receiver' })
            .max(STREAM_LIMITS.descriptionLength)
            .optional(),
      },
      output: {
        status: z => z.string({ description: 'The status now in effect' }),
        previousStatus: z =>
          z.string({ description: 'The status before the change' }),
        reason: z =>
          z.string({ description: 'The reason now recorded' }).optional(),
      },
    },
    async handler(ctx) {
      const { streamId, status, reason } = ctx.input;
      const credentials = await ctx.getInitiatorCredentials();
      // Also makes a wrong ID fail with an error naming the stream, dry run or not.
      const before = await client.getStreamStatus(credentials, streamId);
      ctx.output('previousStatus', before.status);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would change stream ${streamId} from ${before.status} to ${status}`,
        );
        ctx.output('status', status);
        if (reason !== undefined) ctx.output('reason', reason);
        return;
      }

      const after = await client.updateStreamStatus(credentials, {
        stream_id: streamId,
        status,
        ...(reason !== undefined && { reason }),
      });
      ctx.logger.info(
        `Stream ${streamId} is now ${after.status} (was ${before.status})`,
      );
      ctx.output('status', after.status);
      if (after.reason !== undefined) ctx.output('reason', after.reason);
    },
  });
}
