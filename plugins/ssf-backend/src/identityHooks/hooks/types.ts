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

/** What change fires a hook. @internal */
export type HookTrigger =
  | {
      on: 'attribute_changed';
      /** Canonical attribute path, e.g. `metadata.annotations["ssf.io/lifecycle"]`. */
      path: string;
      /** Full-match pattern for the value before; an absent value is "". */
      from?: string;
      /** Full-match pattern for the value after; an absent value is "". */
      to?: string;
    }
  | { on: 'user_added' }
  | { on: 'user_removed' }
  | EventReceivedTrigger;

/**
 * Fires on a SET the receiver stored (not on a redelivery, nor on one of our
 * own). Snake case, as on the wire: the trigger is stored as the API takes it.
 *
 * @internal
 */
export interface EventReceivedTrigger {
  on: 'event_received';
  /** Only SETs from this Security Events Provider (its id); any when absent. */
  provider?: string;
  /** The received event type URI, e.g. RISC account-disabled. */
  event_type: string;
}

/**
 * Why a hook fired on a received SET, recorded like an identity change.
 *
 * @internal
 */
export interface ReceivedEventCause {
  kind: 'event_received';
  /** The provider the SET came from, when it is a registered one. */
  provider?: string;
  iss: string;
  jti: string;
  event_type: string;
}

/** How the subject of a hook's events names the user. @internal */
export type SubjectFormat = 'email' | 'iss_sub';

/** A hook as written in config or sent to the API. @internal */
export interface HookDefinition {
  name: string;
  description?: string;
  enabled: boolean;
  trigger: HookTrigger;
  eventType: string;
  payloadTemplate: Record<string, unknown>;
  subjectFormat: SubjectFormat;
}

/** A stored hook. @internal */
export interface LifecycleHook extends HookDefinition {
  id: string;
  /** `config` hooks come from app-config and are read-only through the API. */
  source: 'config' | 'api';
  createdAt: Date;
  updatedAt: Date;
}
