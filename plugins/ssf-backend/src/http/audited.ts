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
  AuditorServiceEvent,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';

/**
 * What an audit event records: its ID and severity (`medium` unless given),
 * the meta known before the mutation, and the meta describing its result.
 *
 * @internal
 */
export interface AuditedOptions<T> {
  auditor: AuditorService;
  /** The HTTP request being answered; absent for agent actions. */
  request?: Request;
  eventId: string;
  severityLevel?: Parameters<AuditorService['createEvent']>[0]['severityLevel'];
  meta: JsonObject;
  successMeta?: (result: T) => JsonObject;
}

/**
 * What an audit event records before its mutation runs: its ID, severity
 * and meta. Events that several callers record are built once as one.
 *
 * @internal
 */
export type AuditEvent = Pick<
  AuditedOptions<unknown>,
  'eventId' | 'severityLevel' | 'meta'
>;

/**
 * Runs a mutation inside an audit event: `initiated` before, then
 * `succeeded` (with meta describing the result) or `failed` (with the
 * error). Callers put identifiers in meta, never secrets.
 *
 * @internal
 */
export async function audited<T>(
  options: AuditedOptions<T>,
  fn: () => Promise<T>,
): Promise<T> {
  const event: AuditorServiceEvent = await options.auditor.createEvent({
    eventId: options.eventId,
    severityLevel: options.severityLevel ?? 'medium',
    ...(options.request && { request: options.request }),
    meta: options.meta,
  });
  try {
    const result = await fn();
    await event.success(
      options.successMeta ? { meta: options.successMeta(result) } : undefined,
    );
    return result;
  } catch (error) {
    await event.fail({ error: error as Error });
    throw error;
  }
}

/**
 * The severity of a change to a stream or a provider: deleting one is high,
 * anything else medium.
 *
 * @internal
 */
export function mutationSeverity(actionType: string): 'high' | 'medium' {
  return actionType === 'delete' ? 'high' : 'medium';
}
