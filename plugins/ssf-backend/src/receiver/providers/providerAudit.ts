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

import { JsonObject } from '@backstage/types';
import { AuditEvent, mutationSeverity } from '../../http/audited';
import { ProviderRecord } from './ProviderStore';

/**
 * `provider-mutate`: a provider created, changed, deleted or polled, by
 * `actor`. The routes and the agent actions record it alike, so an
 * auditor's query finds a change however it was made; `providerId` is null
 * for a provider not created yet. Identifiers only, never the secret.
 *
 * @internal
 */
export function providerMutationEvent(
  actionType: string,
  actor: string,
  providerId: string | null,
): AuditEvent {
  return {
    eventId: 'provider-mutate',
    severityLevel: mutationSeverity(actionType),
    meta: { actionType, actor, providerId },
  };
}

/** What the audit event of a provider change says of the provider. @internal */
export function providerMeta(provider: ProviderRecord): JsonObject {
  return {
    providerId: provider.id,
    name: provider.name,
    issuer: provider.issuer,
  };
}
