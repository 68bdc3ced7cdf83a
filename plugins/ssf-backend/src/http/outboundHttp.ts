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

import http, { IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { LookupFunction } from 'node:net';
import {
  checkOutboundUrl,
  HostResolver,
  OutboundUrlPolicy,
  UnresolvableHostError,
} from './outboundUrlPolicy';

/** A request the plugin makes to a URL a receiver or an admin supplied. @internal */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Names the URL in error messages, e.g. `delivery.endpoint_url`. */
  field: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Larger responses are cut off and fail the request. Default 256 KiB. */
  maxResponseBytes?: number;
  policy: OutboundUrlPolicy;
  resolve?: HostResolver;
}

/** What came back. @internal */
export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Why an outbound request failed before a response arrived: `policy` (the URL
 * or what it resolved to is not allowed), `timeout`, `network` (refused,
 * reset, DNS), or `too-large` (the response exceeded its limit).
 *
 * @internal
 */
export class OutboundRequestError extends Error {
  readonly kind: 'policy' | 'timeout' | 'network' | 'too-large';

  constructor(kind: OutboundRequestError['kind'], message: string) {
    super(message);
    this.name = 'OutboundRequestError';
    this.kind = kind;
  }
}

const DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;

// Keep-alive pools: a busy receiver gets its SETs over a few reused
// connections instead of a TLS handshake per SET.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * Makes one HTTP request to a URL under the outbound policy (SSRF defence):
 * the URL is checked, its host resolved and every address checked, and the
 * connection is then pinned to those checked addresses, so a DNS answer that
 * changes between the check and the connect (rebinding) cannot redirect it.
 * Redirects are never followed; time and response size are bounded.
 *
 * @internal
 */
export async function outboundRequest(
  request: OutboundRequest,
): Promise<OutboundResponse> {
  let checked;
  try {
    checked = await checkOutboundUrl(request.url, request.policy, {
      field: request.field,
      resolve: request.resolve,
      unresolvable: 'deny',
    });
  } catch (error) {
    throw new OutboundRequestError(
      error instanceof UnresolvableHostError ? 'network' : 'policy',
      (error as Error).message,
    );
  }
  const { url, addresses } = checked;
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const family = (a: string) => (a.includes(':') ? 6 : 4);
    if ((options as { all?: boolean }).all) {
      (callback as any)(
        null,
        addresses.map(address => ({ address, family: family(address) })),
      );
    } else {
      callback(null, addresses[0], family(addresses[0]));
    }
  };

  const client = url.protocol === 'https:' ? https : http;
  const maxBytes = request.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  return new Promise<OutboundResponse>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined = undefined;
    const req = client.request(
      url,
      {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body !== undefined && {
            'Content-Length': Buffer.byteLength(request.body).toString(),
          }),
        },
        agent: agents[url.protocol as 'http:' | 'https:'],
        lookup: pinned,
      },
      res => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(
              new OutboundRequestError(
                'too-large',
                `The response from ${request.field} exceeded ${maxBytes} bytes`,
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
        res.on('error', error => {
          clearTimeout(timer);
          reject(asOutboundError(error));
        });
      },
    );
    timer = setTimeout(() => {
      req.destroy(
        new OutboundRequestError(
          'timeout',
          `No answer from ${request.field} within ${request.timeoutMs} ms`,
        ),
      );
    }, request.timeoutMs);
    req.on('error', error => {
      clearTimeout(timer);
      reject(asOutboundError(error));
    });
    req.end(request.body);
  });
}

function asOutboundError(error: Error): OutboundRequestError {
  return error instanceof OutboundRequestError
    ? error
    : new OutboundRequestError('network', error.message);
}
