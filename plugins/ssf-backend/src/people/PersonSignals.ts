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
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  SsfPeopleComponents,
  ssfProviderReadPermission,
  ssfStreamReadPermission,
} from '@shared-signals/plugin-ssf-common';
import { decodeJwt } from 'jose';
import {
  IssuerIdentity,
  PersonIdentifier,
  personKey,
  userIdentities,
} from './identifiers';
import { reasonOf } from './reasons';
import { SubjectIndexStore } from './SubjectIndexStore';

type Schemas = SsfPeopleComponents['schemas'];
/** `GET /people/signals` as the OpenAPI document (people.yaml) gives it. @internal */
export type PersonSignalsView = Schemas['PersonSignals'];

/**
 * The security events about one catalog user: the received ones for
 * holders of `ssf.provider.read`, the sent ones for holders of
 * `ssf.stream.read`, found through the people index by the user's
 * identities (see `userIdentities`). The user is read from the catalog with
 * the caller's own credentials, so someone who cannot see the user in the
 * catalog learns nothing about them here either.
 *
 * @internal
 */
export class PersonSignals {
  readonly #store: SubjectIndexStore;
  readonly #catalog: CatalogService;
  readonly #permissions: PermissionsService;
  readonly #subjectIssuer: string;
  readonly #issuers: IssuerIdentity[];

  constructor(options: {
    store: SubjectIndexStore;
    catalog: CatalogService;
    permissions: PermissionsService;
    subjectIssuer: string;
    issuers: IssuerIdentity[];
  }) {
    this.#store = options.store;
    this.#catalog = options.catalog;
    this.#permissions = options.permissions;
    this.#subjectIssuer = options.subjectIssuer;
    this.#issuers = options.issuers;
  }

  async forUser(
    entityRef: string,
    limit: number,
    credentials: BackstageCredentials,
  ): Promise<PersonSignalsView> {
    const ref = userRef(entityRef);
    const [received, sent] = await this.#permissions.authorize(
      [
        { permission: ssfProviderReadPermission },
        { permission: ssfStreamReadPermission },
      ],
      { credentials },
    );
    const mayReadReceived = received.result === AuthorizeResult.ALLOW;
    const mayReadSent = sent.result === AuthorizeResult.ALLOW;
    if (!mayReadReceived && !mayReadSent) {
      throw new NotAllowedError(
        `You are not allowed to do this: it requires the ${ssfProviderReadPermission.name} or ${ssfStreamReadPermission.name} permission`,
      );
    }
    const user = await this.#catalog.getEntityByRef(ref, { credentials });
    if (!user) {
      throw new NotFoundError(`No user ${ref} in the catalog`);
    }
    const identities = userIdentities(user, {
      subjectIssuer: this.#subjectIssuer,
      issuers: this.#issuers,
    });
    const byKey = new Map(identities.map(i => [personKey(i), i]));
    const keys = [...byKey.keys()];
    const matchedBy = (found: string[]): PersonIdentifier =>
      byKey.get(found[0])!;

    const view: PersonSignalsView = {
      entity_ref: stringifyEntityRef(user),
      identities,
    };
    if (mayReadReceived) {
      view.received = (await this.#store.received(keys, limit)).map(e => ({
        id: e.id,
        ...(e.providerId !== undefined && { provider_id: e.providerId }),
        ...(e.providerName !== undefined && { provider_name: e.providerName }),
        iss: e.iss,
        event_type: e.eventType,
        ...optionalReason(reasonOf(e.claims.events, e.eventType)),
        received_at: e.receivedAt.toISOString(),
        matched_by: matchedBy(e.keys),
      }));
    }
    if (mayReadSent) {
      view.sent = (await this.#store.sent(keys, limit)).map(e => ({
        jti: e.jti,
        stream_id: e.streamId,
        ...(e.streamDescription !== undefined && {
          stream_description: e.streamDescription,
        }),
        event_type: e.eventType,
        ...optionalReason(reasonOf(eventsOf(e.set), e.eventType)),
        created_at: e.createdAt.toISOString(),
        state: e.state,
        matched_by: matchedBy(e.keys),
      }));
    }
    return view;
  }
}

/** The canonical ref of a User entity, or a 400 that says what is wrong. */
function userRef(entityRef: string): string {
  let ref;
  try {
    ref = parseEntityRef(entityRef, { defaultKind: 'user' });
  } catch (error) {
    throw new InputError(
      `entity_ref ${JSON.stringify(entityRef)} is not an entity ref: ${
        (error as Error).message
      }`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'user') {
    throw new InputError(
      `entity_ref must name a User entity, not a ${ref.kind}`,
    );
  }
  return stringifyEntityRef(ref);
}

// Our own SETs, read for display only: the signature was ours when we
// signed them.
function eventsOf(set: string): unknown {
  try {
    return decodeJwt(set).events;
  } catch {
    return undefined;
  }
}

function optionalReason(reason: string | undefined) {
  return reason === undefined ? {} : { reason };
}
