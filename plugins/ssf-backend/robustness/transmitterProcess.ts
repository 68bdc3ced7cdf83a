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

// One transmitter instance (emitter and push worker) in a process of its own,
// as a backend replica would run it, so that `yarn test:robustness` can run
// several on one database or SIGKILL one in the middle of delivery. The
// database must already be migrated and hold the streams.
//
// argv[2]: JSON { target: DbTarget, owner: string }
// Commands: emit {count, prefix} → {jtis}, logs → {warnings, errors},
// stop → stops the worker cleanly and exits. Each notification the
// instance's alerts send is reported at once, as {notification: options},
// so that the count survives a SIGKILL.

import { runChild } from './child';
import { alertsSendingTo } from './notifications';
import {
  buildTransmitter,
  DbTarget,
  emitMany,
  openKnex,
  TransmitterParts,
} from './setup';

const { target, owner } = JSON.parse(process.argv[2]) as {
  target: DbTarget;
  owner: string;
};
const knex = openKnex(target);
const alerts = alertsSendingTo({
  async send(options) {
    process.send?.({ notification: options });
  },
});
let t: TransmitterParts;

runChild(
  async () => {
    t = await buildTransmitter(knex, { owner, alerts });
    t.worker.start();
    return { pid: process.pid };
  },
  async m => {
    switch (m.cmd) {
      case 'emit':
        return emitMany(t.emitter, m.count, { prefix: m.prefix });
      case 'logs':
        return { warnings: t.logger.warnings, errors: t.logger.errors };
      case 'stop':
        await t.worker.stop();
        await alerts.flush();
        await knex.destroy();
        setImmediate(() => process.exit(0));
        return {};
      default:
        throw new Error(`unknown command ${m.cmd}`);
    }
  },
);
