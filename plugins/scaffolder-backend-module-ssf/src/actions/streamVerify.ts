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

import { randomUUID } from 'node:crypto';
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  DELIVERY_METHODS,
  STREAM_LIMITS,
} from '@shared-signals/plugin-ssf-common';
import { SsfClient, SsfVerificationView } from '../client';

const POLL_INTERVAL_MS = 500;
const DEFAULT_TIMEOUT_SECONDS = 30;

/**
 * Creates the `ssf:stream:verify` action.
 *
 * @public
 */
export function createSsfStreamVerifyAction(options: {
  client: SsfClient;
  /** How often the delivery state is read while waiting; tests shorten it. */
  pollIntervalMs?: number;
}) {
  const { client } = options;
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  return createTemplateAction({
    id: 'ssf:stream:verify',
    description:
      'Asks the transmitter to send a verification SET on an SSF stream (SSF 1.0 §8.1.4.2) and, for push, waits until the receiver acknowledged it.',
    supportsDryRun: true,
    examples: [
      {
        description: 'Verify the stream created by an earlier step',
        example: [
          'steps:',
          '  - id: verify',
          '    action: ssf:stream:verify',
          '    input:',
          '      streamId: ${{ steps.create.output.streamId }}',
          '      timeoutSeconds: 60',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        streamId: z => z.string({ description: 'The stream to verify' }).min(1),
        state: z =>
          z
            .string({
              description:
                'The state echoed in the verification SET (generated if absent)',
            })
            .max(STREAM_LIMITS.descriptionLength)
            .optional(),
        timeoutSeconds: z =>
          z
            .number({
              description:
                'How long to wait for a push delivery; 0 returns as soon as the SET is queued; default 30',
            })
            .int()
            .min(0)
            .max(600)
            .optional(),
        failIfUndelivered: z =>
          z
            .boolean({
              description:
                'Fail the step when a push verification was not delivered within the timeout, or failed; default true',
            })
            .optional(),
      },
      output: {
        state: z => z.string({ description: 'The state sent' }),
        delivered: z =>
          z.boolean({
            description:
              'True once the receiver acknowledged the verification SET',
          }),
        deliveryState: z =>
          z.string({
            description:
              'The outbox state of the SET: pending, delivered, dead, dropped or unknown',
          }),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      const state = input.state ?? randomUUID();
      // The scaffolder validates inputs but applies no schema defaults.
      const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const failIfUndelivered = input.failIfUndelivered ?? true;
      const credentials = await ctx.getInitiatorCredentials();
      // Reading the stream first turns a wrong ID into an error naming it.
      const stream = await client.getStream(credentials, input.streamId);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would request a verification SET on stream ${stream.stream_id}`,
        );
        ctx.output('state', state);
        ctx.output('delivered', false);
        ctx.output('deliveryState', 'dry-run');
        return;
      }

      await ctx.checkpoint({
        key: `ssf-stream-verify-${input.streamId}-${state}`,
        fn: async () => {
          await client.requestVerification(credentials, {
            stream_id: input.streamId,
            state,
          });
        },
      });
      ctx.logger.info(
        `Requested a verification SET on stream ${input.streamId}`,
      );
      ctx.output('state', state);

      const push = stream.delivery.method === DELIVERY_METHODS.push;
      const deadline = Date.now() + timeoutSeconds * 1000;
      let view: SsfVerificationView | undefined;
      for (;;) {
        view = await readVerification(client, credentials, input.streamId);
        const ours = view?.state === state ? view : undefined;
        const settled =
          ours?.status === 'delivered' ||
          ours?.status === 'dead' ||
          ours?.status === 'dropped';
        // A poll receiver fetches at its own pace, so there is nothing to wait for.
        if (settled || !push || Date.now() >= deadline) {
          view = ours;
          break;
        }
        await sleep(pollIntervalMs, ctx.signal);
      }

      const deliveryState = view?.status ?? 'unknown';
      const delivered = deliveryState === 'delivered';
      ctx.output('delivered', delivered);
      ctx.output('deliveryState', deliveryState);
      if (delivered) {
        ctx.logger.info(
          `The receiver acknowledged the verification SET at ${
            view!.delivered_at
          }`,
        );
        return;
      }
      if (!push) {
        ctx.logger.info(
          `Verification SET queued (${deliveryState}); the receiver gets it on its next poll`,
        );
        return;
      }
      const reason =
        deliveryState === 'dead'
          ? `could not be delivered${view?.error ? `: ${view.error}` : ''}`
          : `was not delivered within ${timeoutSeconds}s (state ${deliveryState})`;
      const message = `Verification SET for stream ${input.streamId} ${reason}`;
      if (failIfUndelivered && timeoutSeconds > 0) {
        throw new Error(message);
      }
      ctx.logger.warn(message);
    },
  });
}

async function readVerification(
  client: SsfClient,
  credentials: BackstageCredentials,
  streamId: string,
): Promise<SsfVerificationView | undefined> {
  const stream = await client.getAdminStream(credentials, streamId);
  return stream.last_verification;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('Verification wait was cancelled'));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('Verification wait was cancelled'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
