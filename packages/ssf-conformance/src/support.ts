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

/** An HTTP answer, with the body parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** One HTTP call to the implementation under test. */
export async function call(
  method: string,
  url: string,
  options: {
    token?: string;
    json?: unknown;
    body?: string;
    contentType?: string;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body = options.body;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['Content-Type'] = 'application/json';
  }
  if (options.contentType) headers['Content-Type'] = options.contentType;
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A push receiver (RFC 8935) on 127.0.0.1 that records what it is sent. */
export async function startPushReceiver(host: string) {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(202);
      res.end();
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/events`,
    received,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves a JSON document (a JWKS) on 127.0.0.1. */
export async function serveJson(host: string, document: () => unknown) {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(document()));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/jwks`,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until `check` is truthy, up to `ms`; returns the last value. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 8000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await check();
  while (!value && Date.now() < deadline) {
    await new Promise(r => setTimeout(r, 50));
    value = await check();
  }
  return value;
}

/** Fails a check with a message. */
export function expectThat(
  condition: unknown,
  message: string,
): asserts condition {
  if (!condition) throw new Error(message);
}

/** The claims of a compact JWS, unverified. */
export function claimsOf(jws: string): any {
  return JSON.parse(
    Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString(),
  );
}
