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
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { formatPath } from '../identities/attributes';
import { HookDefinition, SubjectFormat } from './types';

// Leaving these states re-activates a user.
const INACTIVE_STATES = 'suspended|terminated';

/**
 * The hooks every portal gets unless `ssf.lifecycle.defaultHooks` is false:
 * a user whose lifecycle annotation becomes suspended or terminated, or who
 * is removed, has its sessions revoked (CAEP) and its account disabled
 * (RISC); one that leaves those states is re-enabled; a changed email is
 * announced as a changed identifier (about the old email, as RISC wants).
 *
 * @internal
 */
export function defaultHooks(options: {
  lifecycleAnnotation: string;
  subjectFormat: SubjectFormat;
}): HookDefinition[] {
  const lifecyclePath = formatPath([
    'metadata',
    'annotations',
    options.lifecycleAnnotation,
  ]);
  const becameInactive = {
    on: 'attribute_changed' as const,
    path: lifecyclePath,
    to: INACTIVE_STATES,
  };
  const common = { enabled: true, subjectFormat: options.subjectFormat };
  return [
    {
      ...common,
      name: 'lifecycle-inactive-session-revoked',
      description: `Revoke the sessions of a user whose ${options.lifecycleAnnotation} annotation becomes suspended or terminated`,
      trigger: becameInactive,
      eventType: CAEP_EVENT_TYPES.sessionRevoked,
      payloadTemplate: {
        initiating_entity: 'policy',
        reason_admin: { en: 'The user became {{to}}' },
      },
    },
    {
      ...common,
      name: 'lifecycle-inactive-account-disabled',
      description: `Disable the account of a user whose ${options.lifecycleAnnotation} annotation becomes suspended or terminated`,
      trigger: becameInactive,
      eventType: RISC_EVENT_TYPES.accountDisabled,
      payloadTemplate: { reason_admin: { en: 'The user became {{to}}' } },
    },
    {
      ...common,
      name: 'user-removed-session-revoked',
      description: 'Revoke the sessions of a user removed from its source',
      trigger: { on: 'user_removed' },
      eventType: CAEP_EVENT_TYPES.sessionRevoked,
      payloadTemplate: {
        initiating_entity: 'policy',
        reason_admin: { en: 'The user was removed' },
      },
    },
    {
      ...common,
      name: 'user-removed-account-disabled',
      description: 'Disable the account of a user removed from its source',
      trigger: { on: 'user_removed' },
      eventType: RISC_EVENT_TYPES.accountDisabled,
      payloadTemplate: { reason_admin: { en: 'The user was removed' } },
    },
    {
      ...common,
      name: 'lifecycle-reactivated-account-enabled',
      description: `Re-enable the account of a user whose ${options.lifecycleAnnotation} annotation leaves suspended or terminated`,
      trigger: {
        on: 'attribute_changed',
        path: lifecyclePath,
        from: INACTIVE_STATES,
        // Anything else, including the annotation being removed ("").
        to: `(?!(?:${INACTIVE_STATES})$).*`,
      },
      eventType: RISC_EVENT_TYPES.accountEnabled,
      payloadTemplate: {
        reason_admin: { en: 'The user is no longer {{from}}' },
      },
    },
    {
      ...common,
      // The subject must be the old email, which only the email format names.
      subjectFormat: 'email',
      name: 'email-changed-identifier-changed',
      description:
        "Announce a user's new email to receivers that know the old one",
      trigger: {
        on: 'attribute_changed',
        path: 'spec.profile.email',
        from: '.+',
        to: '.+',
      },
      eventType: RISC_EVENT_TYPES.identifierChanged,
      payloadTemplate: { 'new-value': '{{to}}' },
    },
  ];
}
