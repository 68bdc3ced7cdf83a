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

import { Config } from '@backstage/config';
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { readDurationMs } from '../config/readDurationMs';
import { defaultHooks } from './hooks/defaultHooks';
import { toHookDefinition } from './hooks/hookDefinition';
import { HookDefinition, SubjectFormat } from './hooks/types';

/** The lifecycle hooks' settings, read once from `ssf.lifecycle`. @internal */
export interface IdentityHooksConfig {
  enabled: boolean;
  lifecycleAnnotation: string;
  subject: { format: SubjectFormat; issuer: string };
  /** Default hooks (unless turned off) and the configured ones. */
  hooks: HookDefinition[];
  catalog: {
    enabled: boolean;
    schedule: SchedulerServiceTaskScheduleDefinition;
    pageSize: number;
    maxRemovedFraction: number;
  };
  /** Service principals (external access subjects) that may POST identity changes. */
  allowedServices: string[];
  historyRetentionMs: number;
}

function configHook(c: Config, subjectFormat: SubjectFormat, key: string) {
  const trigger = c.getConfig('trigger');
  try {
    return toHookDefinition(
      {
        name: c.getString('name'),
        description: c.getOptionalString('description'),
        enabled: c.getOptionalBoolean('enabled'),
        // Only the members given: the trigger's schema refuses others.
        trigger: Object.fromEntries(
          Object.entries({
            on: trigger.getString('on'),
            path: trigger.getOptionalString('path'),
            from: trigger.getOptionalString('from'),
            to: trigger.getOptionalString('to'),
            provider: trigger.getOptionalString('provider'),
            event_type: trigger.getOptionalString('eventType'),
          }).filter(([, value]) => value !== undefined),
        ) as never,
        event_type: c.getString('eventType'),
        payload_template: c.getOptional('payloadTemplate'),
        subject_format: c.getOptionalString('subjectFormat') as
          | SubjectFormat
          | undefined,
      },
      subjectFormat,
    );
  } catch (error) {
    const name = c.getOptional('name');
    throw new Error(
      `${key}${typeof name === 'string' ? ` (${name})` : ''}: ${
        (error as Error).message
      }`,
    );
  }
}

/**
 * Reads and checks `ssf.lifecycle`; a wrong hook stops the backend at start
 * with a message naming it.
 *
 * @internal
 */
export function readIdentityHooksConfig(
  root: Config,
  transmitterIssuer: string,
): IdentityHooksConfig {
  const c = root.getOptionalConfig('ssf.lifecycle');
  const lifecycleAnnotation =
    c?.getOptionalString('lifecycleAnnotation') ?? 'ssf.io/lifecycle';
  const format = (c?.getOptionalString('subject.format') ??
    'email') as SubjectFormat;
  if (format !== 'email' && format !== 'iss_sub') {
    throw new Error('ssf.lifecycle.subject.format must be email or iss_sub');
  }
  const configured = (c?.getOptionalConfigArray('hooks') ?? []).map((h, i) =>
    configHook(h, format, `ssf.lifecycle.hooks[${i}]`),
  );
  const defaults =
    c?.getOptionalBoolean('defaultHooks') === false
      ? []
      : defaultHooks({ lifecycleAnnotation, subjectFormat: format });
  // A configured hook with a default's name replaces it.
  const names = new Set(configured.map(h => h.name));
  const hooks = [...defaults.filter(h => !names.has(h.name)), ...configured];
  if (names.size !== configured.length) {
    throw new Error('ssf.lifecycle.hooks: two hooks have the same name');
  }

  const catalog = c?.getOptionalConfig('catalog');
  const pageSize = catalog?.getOptionalNumber('pageSize') ?? 500;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
    throw new Error(
      'ssf.lifecycle.catalog.pageSize must be an integer from 1 to 10000',
    );
  }
  const maxRemovedFraction =
    catalog?.getOptionalNumber('maxRemovedFraction') ?? 0.25;
  if (!(maxRemovedFraction > 0 && maxRemovedFraction <= 1)) {
    throw new Error(
      'ssf.lifecycle.catalog.maxRemovedFraction must be above 0 and at most 1',
    );
  }
  return {
    enabled: c?.getOptionalBoolean('enabled') ?? true,
    lifecycleAnnotation,
    subject: {
      format,
      issuer: c?.getOptionalString('subject.issuer') ?? transmitterIssuer,
    },
    hooks,
    catalog: {
      enabled: catalog?.getOptionalBoolean('enabled') ?? true,
      schedule: catalog?.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            catalog.getConfig('schedule'),
          )
        : {
            frequency: { minutes: 5 },
            timeout: { minutes: 10 },
            initialDelay: { seconds: 15 },
          },
      pageSize,
      maxRemovedFraction,
    },
    allowedServices:
      c?.getOptionalStringArray('identityChanges.allowedServices') ?? [],
    historyRetentionMs: readDurationMs(c, 'historyRetention', { days: 90 }),
  };
}
