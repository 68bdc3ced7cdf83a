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

import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { IssuerIdentity, PersonIdentifier } from './identifiers';

/** A received event about people, as the notifier is told of it. @internal */
export interface ReceivedAboutPeople {
  eventId: string;
  providerId?: string;
  eventType: string;
  reason?: string;
  identifiers: PersonIdentifier[];
}

/**
 * Tells the people a provider reports about (and, when configured, their
 * groups) through Backstage notifications: only for the configured event
 * types, only once the received SET is committed, and never failing the push
 * that brought it (a notification is best effort; the event is stored).
 * Users are found in the catalog by the same identities the Security signals
 * card matches by.
 *
 * @internal
 */
export class AffectedPeopleNotifier {
  readonly #catalog: CatalogService;
  readonly #auth: AuthService;
  readonly #notifications: NotificationService;
  readonly #logger: LoggerService;
  readonly #eventTypes: Set<string>;
  readonly #groups: boolean;
  readonly #subjectIssuer: string;
  readonly #issuers: IssuerIdentity[];
  readonly #inFlight = new Set<Promise<void>>();

  constructor(options: {
    catalog: CatalogService;
    auth: AuthService;
    notifications: NotificationService;
    logger: LoggerService;
    eventTypes: string[];
    groups: boolean;
    subjectIssuer: string;
    issuers: IssuerIdentity[];
  }) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#notifications = options.notifications;
    this.#logger = options.logger;
    this.#eventTypes = new Set(options.eventTypes);
    this.#groups = options.groups;
    this.#subjectIssuer = options.subjectIssuer;
    this.#issuers = options.issuers;
  }

  /** Whether events of this type are told. */
  tells(eventType: string): boolean {
    return this.#eventTypes.has(eventType);
  }

  /** Starts telling the people of each event; returns at once. */
  notify(events: ReceivedAboutPeople[]): void {
    for (const event of events) {
      if (!this.tells(event.eventType) || !event.identifiers.length) continue;
      const sending = this.#notifyOne(event)
        .catch(error =>
          this.#logger.warn(
            `SSF could not tell the people received event ${
              event.eventId
            } is about: ${(error as Error).message}`,
          ),
        )
        .finally(() => this.#inFlight.delete(sending));
      this.#inFlight.add(sending);
    }
  }

  /** Waits for the notifications being sent (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#inFlight.size) {
      await Promise.all([...this.#inFlight]);
    }
  }

  async #notifyOne(event: ReceivedAboutPeople) {
    const users = await this.#usersOf(event.identifiers);
    for (const user of users) {
      const userRef = stringifyEntityRef(user);
      const groups = this.#groups
        ? (user.relations ?? [])
            .filter(r => r.type === 'memberOf')
            .map(r => r.targetRef)
        : [];
      const name =
        (user.spec?.profile as { displayName?: string } | undefined)
          ?.displayName ?? user.metadata.name;
      const label = eventName(event.eventType);
      await this.#notifications.send({
        // The notifications backend resolves groups to their members and
        // tells each user once.
        recipients: { type: 'entity', entityRef: [userRef, ...groups] },
        payload: {
          title: `Security signal about ${name}: ${label}`,
          description: [
            `A security events provider${
              event.providerId ? ` (${event.providerId})` : ''
            } reported ${label} about ${userRef}.`,
            event.reason,
          ]
            .filter(Boolean)
            .join(' '),
          severity: 'high',
          topic: 'ssf-security-signal',
          // One notification per user and event: a redelivered SET is not
          // stored again, and so not told again.
          scope: `ssf:people:${event.eventId}:${userRef}`,
        },
      });
    }
  }

  /** The catalog users holding any of the identifiers, each once. */
  async #usersOf(identifiers: PersonIdentifier[]): Promise<Entity[]> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const found = new Map<string, Entity>();
    const add = (entities: Entity[]) => {
      for (const e of entities) found.set(stringifyEntityRef(e), e);
    };
    for (const id of identifiers) {
      if (id.format === 'email') {
        // The catalog compares filter values case-insensitively.
        add(
          (
            await this.#catalog.getEntities(
              { filter: { kind: 'User', 'spec.profile.email': id.email } },
              { credentials },
            )
          ).items,
        );
        continue;
      }
      if (id.iss === this.#subjectIssuer) {
        const ref = userRefOf(id.sub);
        const user = ref
          ? await this.#catalog.getEntityByRef(ref, { credentials })
          : undefined;
        if (user) add([user]);
      }
      for (const { issuer, annotation } of this.#issuers) {
        if (issuer !== id.iss) continue;
        add(
          (
            await this.#catalog.getEntities(
              {
                filter: {
                  kind: 'User',
                  [`metadata.annotations.${annotation}`]: id.sub,
                },
              },
              { credentials },
            )
          ).items,
        );
      }
    }
    return [...found.values()];
  }
}

/** A user entity ref from an iss_sub `sub`, or undefined when it is none. */
function userRefOf(sub: string): string | undefined {
  try {
    const ref = parseEntityRef(sub);
    return ref.kind.toLocaleLowerCase('en-US') === 'user'
      ? stringifyEntityRef(ref)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `https://…/event-type/session-revoked` → `session revoked`. */
function eventName(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1).replace(/-/g, ' ') || type;
}
