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

import { KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { SigningKey } from './SigningKeyManager';

// The worker signs with jose, like the main thread would; it is given a
// key once per kid (KeyObjects can be posted between threads) and then
// signs payloads the main thread has already serialised.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { CompactSign } = require(workerData.jose);
const keys = new Map();
const encoder = new TextEncoder();
parentPort.on('message', async ({ id, kid, key, header, payload }) => {
  try {
    if (key) keys.set(kid, key);
    const jws = await new CompactSign(encoder.encode(payload))
      .setProtectedHeader(header)
      .sign(keys.get(kid));
    parentPort.postMessage({ id, jws });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

interface PoolWorker {
  worker: Worker;
  kids: Set<string>;
  busy: number;
}

/**
 * Signs SETs on worker threads. RSA signing is the costliest step of
 * emitting (about a millisecond per SET on one core), so spreading it over
 * the machine's cores raises the emit rate and keeps the event loop free for
 * requests and deliveries. Private keys stay inside the process.
 *
 * @internal
 */
export class SigningPool {
  readonly #workers: PoolWorker[];
  readonly #pending = new Map<
    number,
    { resolve: (jws: string) => void; reject: (e: Error) => void }
  >();
  #nextId = 0;

  constructor(size: number) {
    const jose = require.resolve('jose');
    this.#workers = Array.from({ length: size }, () => {
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { jose },
      });
      worker.unref();
      worker.on('message', ({ id, jws, error }) => {
        const pending = this.#pending.get(id);
        if (!pending) return;
        this.#pending.delete(id);
        if (error) pending.reject(new Error(`SET signing failed: ${error}`));
        else pending.resolve(jws);
      });
      return { worker, kids: new Set<string>(), busy: 0 };
    });
  }

  /** Signs a serialised payload with the key, on the least busy worker. */
  sign(
    key: SigningKey,
    header: Record<string, unknown>,
    payload: string,
  ): Promise<string> {
    const target = this.#workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.#nextId++;
    const first = !target.kids.has(key.kid);
    if (first) target.kids.add(key.kid);
    target.busy += 1;
    return new Promise<string>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      target.worker.postMessage({
        id,
        kid: key.kid,
        key: first ? (key.privateKey as KeyObject) : undefined,
        header,
        payload,
      });
    }).finally(() => {
      target.busy -= 1;
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map(w => w.worker.terminate()));
    for (const pending of this.#pending.values()) {
      pending.reject(new Error('The signing pool was closed'));
    }
    this.#pending.clear();
  }
}
