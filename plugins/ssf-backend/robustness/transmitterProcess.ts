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
// stop → stops the worker cleanly and exits.

import { buildTransmitter, DbTarget, emitMany, openKnex } from './setup';

async function main() {
  const { target, owner } = JSON.parse(process.argv[2]) as {
    target: DbTarget;
    owner: string;
  };
  const knex = openKnex(target);
  const t = await buildTransmitter(knex, { owner });
  t.worker.start();

  const handle = async (m: any): Promise<unknown> => {
    switch (m.cmd) {
      case 'emit':
        return emitMany(t.emitter, m.count, { prefix: m.prefix });
      case 'logs':
        return { warnings: t.logger.warnings, errors: t.logger.errors };
      case 'stop':
        await t.worker.stop();
        await knex.destroy();
        setImmediate(() => process.exit(0));
        return {};
      default:
        throw new Error(`unknown command ${m.cmd}`);
    }
  };
  // Commands carry a numeric id; the TypeScript loader's messages do not.
  process.on('message', (m: any) => {
    if (typeof m?.id !== 'number' || typeof m.cmd !== 'string') return;
    handle(m).then(
      result => process.send!({ id: m.id, result }),
      error =>
        process.send!({ id: m.id, error: String(error?.stack ?? error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ id: 0, result: { pid: process.pid } });
}

main().catch(error => {
  process.send?.({ id: 0, error: String(error?.stack ?? error) });
  process.exit(1);
});
