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
import {
  isSubscribableEventType,
  validateEventPayload,
} from '@shared-signals/plugin-ssf-common';
import { z } from 'zod';
import { parseInput } from '../../http/validation';
import { canonicalPath } from '../identities/attributes';
import { patternProblem } from './matching';
import {
  assertKnownPlaceholders,
  ReceivedTemplateValues,
  renderTemplate,
  templateProblem,
} from './templates';
import {
  EventReceivedTrigger,
  HookDefinition,
  HookTrigger,
  SubjectFormat,
} from './types';

// A trigger pattern: RE2 syntax, matched in linear time (see matching.ts,
// which also refuses an over-long pattern before compiling it).
const pattern = z.string().superRefine((p, ctx) => {
  const problem = patternProblem(p);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const templateSchema = z
  .record(z.string(), z.unknown())
  .superRefine((t, ctx) => {
    const problem = templateProblem(t);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** The trigger of a hook on the wire and in config. @internal */
export const triggerSchema = z.discriminatedUnion('on', [
  z.strictObject({
    on: z.literal('attribute_changed'),
    path: z.string().min(1).max(512),
    from: pattern.optional(),
    to: pattern.optional(),
  }),
  z.strictObject({ on: z.literal('user_added') }),
  z.strictObject({ on: z.literal('user_removed') }),
  z.strictObject({
    on: z.literal('event_received'),
    // A provider id as the provider API gives it.
    provider: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, {
        message: 'give the id of a Security Events Provider',
      })
      .optional(),
    // Any event type a provider may send, not only those we send: an
    // absolute URI (RFC 3986 §4.3), as SET event types are (RFC 8417 §2.2).
    event_type: z
      .string()
      .max(512)
      .regex(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/, {
        message: 'give the received event type as an absolute URI',
      }),
  }),
]);

const subjectFormat = z.enum(['email', 'iss_sub']);

/** A hook as the API takes it (snake_case like the rest of the SSF API). @internal */
export const hookInputSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, {
      message:
        'use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
    }),
  description: z.string().max(1000).optional(),
  enabled: z.boolean().optional(),
  trigger: triggerSchema,
  event_type: z.string().min(1).max(512),
  payload_template: templateSchema.optional(),
  subject_format: subjectFormat.optional(),
});

/** The API's hook body. @internal */
export type HookInput = z.infer<typeof hookInputSchema>;

// Stand-ins for a change, to check that a template renders a valid payload.
const SAMPLE = {
  from: 'before',
  to: 'after',
  path: 'spec.profile.email',
  identity: 'user:default/sample',
  email: 'sample@example.com',
  name: 'Sample User',
};

// Stand-ins for a received SET; its payload's members render as "".
const RECEIVED_SAMPLE: ReceivedTemplateValues = {
  event_type:
    'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
  provider: 'sample-provider',
  iss: 'https://idp.example.com',
  jti: 'sample-jti',
  txn: 'sample-txn',
  event: {},
};

// Config hooks reach toHookDefinition without the API's schema: an
// event_received trigger is checked by the same schema here.
function receivedTrigger(trigger: unknown): EventReceivedTrigger {
  const parsed = triggerSchema.safeParse(trigger);
  if (!parsed.success || parsed.data.on !== 'event_received') {
    const issue = parsed.error?.issues[0];
    throw new InputError(
      `Invalid hook: trigger${
        issue?.path.length ? `.${issue.path.join('.')}` : ''
      }: ${issue?.message ?? 'not an event_received trigger'}`,
    );
  }
  const { provider, event_type: eventType } = parsed.data;
  return {
    on: 'event_received',
    ...(provider !== undefined && { provider }),
    event_type: eventType,
  };
}

/**
 * Checks a hook and puts it in canonical form: the path canonical, the
 * patterns ones the linear-time engine takes, the event type one the
 * transmitter can send, and the payload template small and valid for it, so
 * a bad hook fails when saved rather than when it fires.
 *
 * @internal
 */
export function toHookDefinition(
  input: HookInput,
  defaultSubjectFormat: SubjectFormat,
): HookDefinition {
  const eventType = input.event_type;
  if (!isSubscribableEventType(eventType)) {
    throw new InputError(
      `Invalid hook: event_type ${JSON.stringify(
        eventType,
      )} is not a CAEP or RISC event type this transmitter sends`,
    );
  }
  // Checked here as well as in the API's schema: config hooks come here
  // directly, and PATCH merges in the stored trigger and template.
  if (input.trigger.on === 'attribute_changed') {
    for (const key of ['from', 'to'] as const) {
      const value = input.trigger[key];
      const problem = value === undefined ? undefined : patternProblem(value);
      if (problem) {
        throw new InputError(`Invalid hook: trigger.${key}: ${problem}`);
      }
    }
  }
  const templateIssue = templateProblem(input.payload_template ?? {});
  if (templateIssue) {
    throw new InputError(`Invalid hook: payload_template ${templateIssue}`);
  }
  let trigger: HookTrigger;
  if (input.trigger.on === 'attribute_changed') {
    trigger = {
      on: 'attribute_changed',
      path: canonicalPath(input.trigger.path),
      ...(input.trigger.from !== undefined && { from: input.trigger.from }),
      ...(input.trigger.to !== undefined && { to: input.trigger.to }),
    };
  } else if (input.trigger.on === 'event_received') {
    trigger = receivedTrigger(input.trigger);
  } else {
    trigger = { on: input.trigger.on };
  }
  const received = trigger.on === 'event_received';
  const payloadTemplate = input.payload_template ?? {};
  assertKnownPlaceholders(payloadTemplate, received);
  const problems = validateEventPayload(
    eventType,
    renderTemplate(
      payloadTemplate,
      SAMPLE,
      received ? RECEIVED_SAMPLE : undefined,
    ),
  );
  if (problems.length) {
    throw new InputError(
      `Invalid hook: payload_template does not make a valid ${eventType} payload: ${problems.join(
        '; ',
      )}`,
    );
  }
  return {
    name: input.name,
    ...(input.description !== undefined && { description: input.description }),
    enabled: input.enabled ?? true,
    trigger,
    eventType,
    payloadTemplate,
    subjectFormat: input.subject_format ?? defaultSubjectFormat,
  };
}

/** Parses and checks an API hook body. @internal */
export function parseHookInput(
  body: unknown,
  defaultSubjectFormat: SubjectFormat,
): HookDefinition {
  return toHookDefinition(
    parseInput(hookInputSchema, body, 'hook'),
    defaultSubjectFormat,
  );
}
