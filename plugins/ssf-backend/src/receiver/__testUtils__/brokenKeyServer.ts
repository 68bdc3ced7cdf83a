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

import http from 'node:http';
import { PUSH } from '../../__testUtils__/specUris';
import { JWKS_PATH, METADATA_PATH, TenantServer } from './tenantServer';

/**
 * How a key endpoint fails. A transmitter serves its keys as a JWK Set, a
 * JSON object with a `keys` array (RFC 7517 §5), at the `jwks_uri` of its
 * metadata (SSF 1.0 §7.1; RFC 8414 §2), answering 200 (RFC 9110 §15.3.1).
 * Each mode breaks one of those rules:
 *
 * - `error`: HTTP 500, a server error (RFC 9110 §15.6.1);
 * - `hang`: takes the request and never answers (a dead upstream behind a
 *   proxy that keeps the connection open);
 * - `invalid-json`: 200 with a body that is not JSON (RFC 8259);
 * - `not-a-jwks`: 200 with JSON that is not a JWK Set (no `keys` array,
 *   RFC 7517 §5).
 */
export type KeyEndpointFailure =
  | 'error'
  | 'hang'
  | 'invalid-json'
  | 'not-a-jwks';

/**
 * A local HTTP server on 127.0.0.1 that serves broken key endpoints and
 * counts every request it receives by path, so that a test can assert how
 * many outbound fetches the receiver made. `metadata` serves SSF metadata
 * (SSF 1.0 §7.1: `issuer`, `jwks_uri`) at the SSF §7.2 well-known location,
 * pointing at the broken JWKS, or fails like the JWKS when `metadataFailure`
 * is set.
 */
export class BrokenKeyServer extends TenantServer {
  readonly #counts = new Map<string, number>();
  failure: KeyEndpointFailure;
  metadataFailure?: KeyEndpointFailure;

  private constructor(failure: KeyEndpointFailure) {
    super();
    this.failure = failure;
  }

  static async start(failure: KeyEndpointFailure): Promise<BrokenKeyServer> {
    const s = new BrokenKeyServer(failure);
    await s.listen();
    return s;
  }

  /** Requests received for the JWKS. */
  get jwksRequests(): number {
    return this.#counts.get(JWKS_PATH) ?? 0;
  }

  /** Requests received for the metadata. */
  get metadataRequests(): number {
    return this.#counts.get(METADATA_PATH) ?? 0;
  }

  /** Every request received, on any path. */
  get totalRequests(): number {
    return [...this.#counts.values()].reduce((a, b) => a + b, 0);
  }

  protected handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '').split('?')[0];
    this.#counts.set(path, (this.#counts.get(path) ?? 0) + 1);
    if (path === METADATA_PATH) {
      if (this.metadataFailure) {
        this.#fail(this.metadataFailure, res);
        return;
      }
      TenantServer.json(
        res,
        200,
        this.metadata({ delivery_methods_supported: [PUSH] }),
      );
      return;
    }
    if (path === JWKS_PATH) {
      this.#fail(this.failure, res);
      return;
    }
    res.writeHead(404).end();
  }

  #fail(failure: KeyEndpointFailure, res: http.ServerResponse) {
    switch (failure) {
      case 'error':
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Internal Server Error');
        return;
      case 'hang':
        // Never answered; close() cuts the connection.
        return;
      case 'invalid-json':
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"keys": [ not json');
        return;
      case 'not-a-jwks':
        TenantServer.json(res, 200, { keys: 'none here' });
        return;
      default:
        res.writeHead(500).end();
    }
  }
}
