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
const INACTIVE = ['suspended', 'terminated'];
const INACTIVE_STATES = INACTIVE.join('|');

/**
 * A pattern that matches the whole of any value except the given words,
 * including the empty value. Hook patterns are RE2 syntax, which has no
 * lookahead (it is what keeps matching linear), so "not these" is spelled
 * out over the words' letters: end early, or differ at some letter, or go
 * on past a word's end. The words are plain lower-case constants.
 *
 * @internal
 */
export function anyValueBut(words: string[]): string {
  type Node = { end: boolean; next: Map<string, Node> };
  const root: Node = { end: false, next: new Map() };
  for (const word of words) {
    let node = root;
    for (const letter of word) {
      let child = node.next.get(letter);
      if (!child) {
        child = { end: false, next: new Map() };
        node.next.set(letter, child);
      }
      node = child;
    }
    node.end = true;
  }
  // What may follow having read a node's prefix, for the value not to be
  // one of the words. The tree is as deep as the longest word.
  const rest = (node: Node): string => {
    const letters = [...node.next.keys()].join('');
    if (!letters) return '.+'; // the end of a word: go on past it
    const branches = [
      `[^${letters}].*`,
      ...[...node.next].map(([letter, child]) => `${letter}${rest(child)}`),
    ];
    const group = `(?:${branches.join('|')})`;
    // A prefix that is not itself a word may also be the whole value.
    return node.end ? group : `${group}?`;
  };
  // (?s): any other value, even one with a line break.
  return `(?s)${rest(root)}`;
}

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
        to: anyValueBut(INACTIVE),
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
