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
  AuthService,
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import express from 'express';
import { Knex } from 'knex';
import type { Transmitter } from '../transmitter';
import { AffectedPeopleNotifier } from './AffectedPeopleNotifier';
import { readPeopleConfig } from './config';
import { PeopleIndexer } from './PeopleIndexer';
import { PersonSignals } from './PersonSignals';
import { createPeopleRouter } from './router';
import { SubjectIndexStore } from './SubjectIndexStore';

/** Signals about the organisation's people, as the plugin wires them. @internal */
export interface People {
  /** `GET /people/signals`. */
  router: express.Router;
  /** Add to the receiver's consumers: indexes received SETs. */
  consumer: PeopleIndexer;
  /** Sends what is told after a push; for tests and shutdown. */
  notifier?: AffectedPeopleNotifier;
}

/**
 * Builds the people concern: the index of which SETs name whom (written as
 * received and sent SETs are stored), the Security signals route, and the
 * optional notification of the people a provider reports about
 * (`ssf.people.notifications`, off by default; also off without the
 * notifications backend).
 *
 * @internal
 */
export function createPeople(options: {
  config: Config;
  knex: Knex;
  transmitter: Pick<Transmitter, 'emitter'>;
  /** The `iss` of the iss_sub subjects the lifecycle hooks send. */
  subjectIssuer: string;
  catalog: CatalogService;
  auth: AuthService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  notifications?: NotificationService;
  logger: LoggerService;
}): People {
  const config = readPeopleConfig(options.config);
  const store = new SubjectIndexStore(options.knex);
  let notifier: AffectedPeopleNotifier | undefined;
  if (config.notifications.enabled) {
    if (options.notifications) {
      notifier = new AffectedPeopleNotifier({
        catalog: options.catalog,
        auth: options.auth,
        notifications: options.notifications,
        logger: options.logger,
        eventTypes: config.notifications.eventTypes,
        groups: config.notifications.groups,
        subjectIssuer: options.subjectIssuer,
        issuers: config.identities,
      });
    } else {
      options.logger.warn(
        'ssf.people.notifications.enabled is true but the notifications backend is not installed: nobody is told',
      );
    }
  }
  const consumer = new PeopleIndexer({ store, notifier });
  options.transmitter.emitter.onStored(consumer.onSetsStored);
  return {
    router: createPeopleRouter({
      signals: new PersonSignals({
        store,
        catalog: options.catalog,
        permissions: options.permissions,
        subjectIssuer: options.subjectIssuer,
        issuers: config.identities,
      }),
      httpAuth: options.httpAuth,
    }),
    consumer,
    notifier,
  };
}
