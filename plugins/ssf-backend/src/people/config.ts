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
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { IssuerIdentity } from './identifiers';

/** `ssf.people` as read and checked at start. @internal */
export interface PeopleConfig {
  /** Issuers whose iss_sub subjects name users by an annotation. */
  identities: IssuerIdentity[];
  notifications: {
    /** Off by default: telling people is the organisation's choice. */
    enabled: boolean;
    /** The received event types that are told. */
    eventTypes: string[];
    /** Whether the user's groups (`memberOf`) are told as well. */
    groups: boolean;
  };
}

/**
 * What a person is told about by default: their sessions were revoked,
 * their credentials are known to be compromised, their account was
 * disabled.
 *
 * @internal
 */
export const DEFAULT_NOTIFIED_EVENT_TYPES: readonly string[] = [
  CAEP_EVENT_TYPES.sessionRevoked,
  RISC_EVENT_TYPES.credentialCompromise,
  RISC_EVENT_TYPES.accountDisabled,
];

// An annotation key as the catalog model allows it: an optional DNS-like
// prefix and a name (ADR of the catalog's metadata.annotations).
const ANNOTATION_KEY =
  /^([a-z0-9.-]{1,253}\/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/**
 * Reads `ssf.people`. A wrong value throws at start, naming the key: a
 * mistyped issuer would silently match nobody.
 *
 * @internal
 */
export function readPeopleConfig(root: Config): PeopleConfig {
  const c = root.getOptionalConfig('ssf.people');
  const identities = (c?.getOptionalConfigArray('identities') ?? []).map(
    (entry, index) => {
      const issuer = entry.getString('issuer');
      const annotation = entry.getString('annotation');
      if (!issuer.trim()) {
        throw new Error(`ssf.people.identities[${index}].issuer is empty`);
      }
      if (!ANNOTATION_KEY.test(annotation)) {
        throw new Error(
          `ssf.people.identities[${index}].annotation ${JSON.stringify(
            annotation,
          )} is not an annotation key`,
        );
      }
      return { issuer, annotation };
    },
  );
  const n = c?.getOptionalConfig('notifications');
  const eventTypes = n?.getOptionalStringArray('eventTypes') ?? [
    ...DEFAULT_NOTIFIED_EVENT_TYPES,
  ];
  for (const type of eventTypes) {
    if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(type)) {
      throw new Error(
        `ssf.people.notifications.eventTypes has ${JSON.stringify(
          type,
        )}, which is not an event type URI`,
      );
    }
  }
  return {
    identities,
    notifications: {
      enabled: n?.getOptionalBoolean('enabled') ?? false,
      eventTypes,
      groups: n?.getOptionalBoolean('groups') ?? true,
    },
  };
}
