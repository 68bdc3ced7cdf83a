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

import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { TransmitterConfig } from '../config';
import { SigningKeyStore } from '../database/SigningKeyStore';
import { StreamStore } from '../database/StreamStore';
import { SubjectStore } from '../database/SubjectStore';
import { SigningKeyManager } from '../keys/SigningKeyManager';
import { ReceiverProfiles } from '../transmitter/profiles/ReceiverProfiles';
import { DeliveryWorker } from './DeliveryWorker';
import { OutboxStore } from './OutboxStore';
import { PollService } from './PollService';
import { SetSigner } from './SetSigner';
import { TransmitterEmitter } from './TransmitterEmitter';

/** The wired parts of delivery. @internal */
export interface Delivery {
  keys: SigningKeyManager;
  streams: StreamStore;
  subjects: SubjectStore;
  outbox: OutboxStore;
  signer: SetSigner;
  worker: DeliveryWorker;
  poll: PollService;
  emitter: TransmitterEmitter;
}

/**
 * Wires signing, the outbox, the push worker and poll delivery together the
 * one way they must be: the emitter hands SETs to this instance's worker
 * and wakes it and the long polls after each commit. The worker is not
 * started here. Used by the plugin, and by the benchmarks and robustness
 * runs so that they measure the same assembly.
 *
 * @internal
 */
export async function createDelivery(options: {
  config: TransmitterConfig;
  knex: Knex;
  logger: LoggerService;
  /** Identifies this instance in outbox leases. */
  owner: string;
  /** The receiver profiles streams may have; the built-in ones by default. */
  profiles?: ReceiverProfiles;
}): Promise<Delivery> {
  const { config, knex, logger } = options;
  const keys = new SigningKeyManager({
    store: new SigningKeyStore(knex),
    config: config.signing,
    logger,
  });
  // Have a published key before anything can sign with it.
  await keys.refresh();
  const streams = new StreamStore(knex);
  const subjects = new SubjectStore(knex);
  const outbox = new OutboxStore(knex);
  const signer = new SetSigner(keys);
  const worker = new DeliveryWorker({
    outbox,
    streams,
    config: config.delivery,
    policy: config.urlPolicy,
    logger,
    owner: options.owner,
  });
  const poll = new PollService({ outbox, config: config.delivery });
  const emitter = new TransmitterEmitter({
    knex,
    streams,
    subjects,
    outbox,
    signer,
    config,
    profiles: options.profiles ?? new ReceiverProfiles(),
    localDelivery: worker,
    onCommitted: streamIds => {
      worker.wake();
      poll.notify(streamIds);
    },
  });
  return { keys, streams, subjects, outbox, signer, worker, poll, emitter };
}
