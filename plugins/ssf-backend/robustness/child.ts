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

// Forks a TypeScript file of this folder as a child process and talks to it
// with numbered commands over IPC. The receiver, the transmitter instances
// and the whole-plugin backend run this way: the receiver so its event loop
// is not the transmitter's, the transmitters so that one can be SIGKILLed.
// The child's side is `runChild`.

import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

export interface Child {
  process: ChildProcess;
  /** The child's first message (id 0), sent once it is ready. */
  ready: Promise<any>;
  ask<T = any>(
    cmd: string,
    extra?: Record<string, unknown>,
    timeoutMs?: number,
  ): Promise<T>;
  /** Resolves when the child has exited, whatever the reason. */
  exited: Promise<void>;
}

export function forkChild(file: string, args: string[] = []): Child {
  const child = fork(path.join(__dirname, file), args, {
    execArgv: [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<
    number,
    { resolve: (v: any) => void; reject: (e: Error) => void }
  >();
  let nextId = 1;
  let exitedResolve!: () => void;
  const exited = new Promise<void>(r => (exitedResolve = r));
  let readyResolve!: (v: any) => void;
  let readyReject!: (e: Error) => void;
  const ready = new Promise<any>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  // Avoid an unhandled rejection when nobody awaits `ready` any more.
  ready.catch(() => {});

  // The TypeScript loader also uses the channel ({type: 'watch'}); only
  // messages carrying an id are answers.
  child.on('message', (m: any) => {
    if (typeof m?.id !== 'number') return;
    if (m.id === 0) {
      if (m.error) readyReject(new Error(m.error));
      else readyResolve(m.result);
      return;
    }
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  child.on('exit', (code, signal) => {
    const error = new Error(`${file} exited (code ${code}, signal ${signal})`);
    readyReject(error);
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
    exitedResolve();
  });

  return {
    process: child,
    ready,
    exited,
    ask(cmd, extra = {}, timeoutMs = 60_000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        // Every wait is bounded: a wedged child fails the scenario.
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(
            new Error(`${file}: no answer to '${cmd}' in ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiting.set(id, {
          resolve: v => {
            clearTimeout(timer);
            resolve(v);
          },
          reject: e => {
            clearTimeout(timer);
            reject(e);
          },
        });
        child.send({ id, cmd, ...extra });
      });
    },
  };
}

/** A command from the parent: its id, its name and its arguments. */
export type Command = { id: number; cmd: string } & Record<string, any>;

/**
 * The child's side of forkChild: runs `start`, tells the parent it is ready
 * (id 0, with what `start` returned) or why it is not, then answers every
 * command with `handle`. The child exits when the parent goes away.
 */
export function runChild(
  start: () => Promise<unknown>,
  handle: (command: Command) => Promise<unknown>,
) {
  // The parent going away must not leave the child behind.
  process.on('disconnect', () => process.exit(0));
  start().then(
    ready => {
      // The TypeScript loader sends its own {type: 'watch'} messages;
      // commands always carry a numeric id, and answers echo it.
      process.on('message', (m: any) => {
        if (typeof m?.id !== 'number' || typeof m.cmd !== 'string') return;
        handle(m).then(
          result => process.send!({ id: m.id, result }),
          error =>
            process.send!({ id: m.id, error: String(error?.stack ?? error) }),
        );
      });
      process.send!({ id: 0, result: ready });
    },
    (error: any) => {
      process.send?.({ id: 0, error: String(error?.stack ?? error) });
      process.exit(1);
    },
  );
}
