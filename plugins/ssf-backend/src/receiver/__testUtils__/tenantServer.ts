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
import { AddressInfo } from 'node:net';

/** Where a tenant server serves its SSF metadata (SSF 1.0 §7.2). */
export const METADATA_PATH = '/.well-known/ssf-configuration/tenant';
/** Where a tenant server serves its JWK Set. */
export const JWKS_PATH = '/tenant/jwks';

/**
 * The layout the stand-in transmitters share: an HTTP server on 127.0.0.1,
 * on a random port, whose issuer is `<origin>/tenant`. Its SSF metadata is
 * at the well-known location SSF 1.0 §7.2 derives from that issuer
 * (`<origin>/.well-known/ssf-configuration/tenant`) and its keys at
 * `<issuer>/jwks`. Subclasses answer the requests.
 */
export abstract class TenantServer {
  readonly #server: http.Server;

  protected constructor() {
    this.#server = http.createServer((req, res) => this.handle(req, res));
  }

  /** Answers one request. */
  protected abstract handle(
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void;

  /** Starts listening; the URLs are known once this resolves. */
  protected async listen(): Promise<void> {
    await new Promise<void>(resolve =>
      this.#server.listen(0, '127.0.0.1', resolve),
    );
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The issuer whose metadata this server publishes. */
  get issuer(): string {
    return `${this.origin}/tenant`;
  }

  get wellKnownUrl(): string {
    return `${this.origin}${METADATA_PATH}`;
  }

  get jwksUrl(): string {
    return `${this.origin}${JWKS_PATH}`;
  }

  /**
   * SSF 1.0 §7.1 metadata naming `issuer` (by default the one the
   * well-known URL implies, §7.2) and this server's keys, plus `more`.
   */
  protected metadata(
    more: Record<string, unknown>,
    issuer = this.issuer,
  ): Record<string, unknown> {
    return {
      spec_version: '1_0',
      issuer,
      jwks_uri: this.jwksUrl,
      ...more,
    };
  }

  /** Answers with a JSON body (none when `body` is undefined). */
  protected static json(
    res: http.ServerResponse,
    status: number,
    body?: unknown,
  ): void {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  }

  /** Stops the server, cutting the connections it still holds open. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }
}
