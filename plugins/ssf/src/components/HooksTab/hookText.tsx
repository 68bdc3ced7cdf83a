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

import { Fragment, ReactNode } from 'react';
import {
  HookFiring,
  HookSubjectFormat,
  IdentityChange,
  LifecycleHookTrigger,
} from '../../api';

/** The trigger of a hook in words, with the path and patterns as code. */
export function TriggerText(props: { trigger: LifecycleHookTrigger }) {
  const { trigger } = props;
  if (trigger.on === 'user_added') {
    return <>User added to the catalog</>;
  }
  if (trigger.on === 'user_removed') {
    return <>User removed from the catalog</>;
  }
  if (trigger.on === 'event_received') {
    return (
      <>
        <code>{trigger.event_type}</code> received
        {trigger.provider && (
          <>
            {' '}
            from provider <code>{trigger.provider}</code>
          </>
        )}
      </>
    );
  }
  const parts: ReactNode[] = [<code key="path">{trigger.path}</code>];
  parts.push(' changes');
  if (trigger.from) {
    parts.push(' from ', <code key="from">{trigger.from}</code>);
  }
  if (trigger.to) {
    parts.push(' to ', <code key="to">{trigger.to}</code>);
  }
  return <Fragment>{parts}</Fragment>;
}

const SUBJECT_FORMATS: Record<HookSubjectFormat, string> = {
  email: 'Email',
  iss_sub: 'Issuer and subject',
};

/** The name of a subject format, such as "Email". */
export function subjectFormatLabel(format: string): string {
  return SUBJECT_FORMATS[format as HookSubjectFormat] ?? format;
}

/** A subject identifier in one line: the email, `sub` at `iss`, … */
export function subjectLabel(subject: Record<string, unknown>): string {
  const { format, ...rest } = subject;
  if (format === 'email' && typeof rest.email === 'string') {
    return rest.email;
  }
  if (format === 'iss_sub' && typeof rest.sub === 'string') {
    return `${rest.sub} at ${String(rest.iss)}`;
  }
  // Other formats have a single identifying member (opaque id, uri, …);
  // anything more complex is shown as it is.
  const values = Object.values(rest);
  if (values.length === 1 && typeof values[0] === 'string') {
    return values[0];
  }
  return JSON.stringify(subject);
}

/** An absent attribute value is matched as empty; say so rather than show "". */
function valueLabel(value: string | undefined): string {
  return value ? value : '(no value)';
}

/**
 * A change in two parts for a table cell: what changed (the path, or the
 * user as a whole) and how.
 */
export function describeChange(change: IdentityChange | HookFiring['change']): {
  title: string;
  description?: string;
} {
  if (change.kind === 'user_added') {
    return { title: 'User added' };
  }
  if (change.kind === 'user_removed') {
    return { title: 'User removed' };
  }
  if (change.kind === 'event_received') {
    return {
      title: change.event_type,
      description: `Received from ${change.iss}`,
    };
  }
  return {
    title: change.path ?? '—',
    description: `${valueLabel(change.from)} → ${valueLabel(change.to)}`,
  };
}
