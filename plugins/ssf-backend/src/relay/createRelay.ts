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
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import express from 'express';
import { Knex } from 'knex';
import type { Receiver } from '../receiver';
import type { Transmitter } from '../transmitter';
import { createRelayRouter } from './createRelayRouter';
import { RelayConsumer } from './RelayConsumer';
import { RelayRuleStore } from './RelayRuleStore';

/** The relay as the plugin wires it. @internal */
export interface Relay {
  /** `GET`/`PUT /security-events-providers/{id}/relay`. */
  router: express.Router;
  /** Add to the receiver's consumers: relays SETs as they are stored. */
  consumer: RelayConsumer;
}

/**
 * Builds the relay: received SETs re-sent to the portal's own streams, per
 * provider rules stored in `ssf_relay_rules`.
 *
 * @internal
 */
export function createRelay(options: {
  knex: Knex;
  transmitter: Pick<Transmitter, 'config' | 'emitter'>;
  receiver: Pick<Receiver, 'providers'>;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  auditor: AuditorService;
  logger: LoggerService;
}): Relay {
  const { transmitter } = options;
  const rules = new RelayRuleStore(options.knex);
  return {
    router: createRelayRouter({
      rules,
      receiver: options.receiver,
      eventsSupported: transmitter.config.eventsSupported,
      httpAuth: options.httpAuth,
      permissions: options.permissions,
      auditor: options.auditor,
      logger: options.logger,
    }),
    consumer: new RelayConsumer({
      rules,
      emitter: transmitter.emitter,
      ownIssuer: transmitter.config.issuer,
      logger: options.logger,
    }),
  };
}
