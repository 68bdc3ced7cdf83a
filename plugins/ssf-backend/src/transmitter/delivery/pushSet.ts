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

import { OutboundUrlPolicy } from '../../http/outboundUrlPolicy';
import { outboundRequest, OutboundRequestError } from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';

/** What became of one push. @internal */
export type PushOutcome =
  | { outcome: 'delivered' }
  | { outcome: 'retry'; error: string; retryAfterMs?: number }
  | { outcome: 'dead'; error: string };

const MAX_ERROR_TEXT = 500;

/**
 * Pushes one SET to a receiver (RFC 8935 §2) and classifies the answer:
 *
 * - 2xx (202 by the RFC; other 2xx are accepted too) → delivered.
 * - 400 with an RFC 8935 error body → dead-lettered, keeping `err` and
 *   `description`; other 4xx (but 408 and 429) and redirects → dead-lettered.
 * - 408, 429, 5xx, timeouts, connection and DNS failures → retried, honouring
 *   `Retry-After` when the receiver sends one.
 * - An endpoint that the outbound policy refuses (it now resolves to a private
 *   address, say) → dead-lettered: retrying cannot make it safe.
 *
 * @internal
 */
export async function pushSet(options: {
  endpointUrl: string;
  authorizationHeader?: string;
  setJws: string;
  timeoutMs: number;
  policy: OutboundUrlPolicy;
  resolve?: HostResolver;
}): Promise<PushOutcome> {
  let response;
  try {
    response = await outboundRequest({
      method: 'POST',
      url: options.endpointUrl,
      field: 'the push endpoint',
      headers: {
        'Content-Type': 'application/secevent+jwt',
        Accept: 'application/json',
        ...(options.authorizationHeader && {
          Authorization: options.authorizationHeader,
        }),
      },
      body: options.setJws,
      timeoutMs: options.timeoutMs,
      maxResponseBytes: 64 * 1024,
      policy: options.policy,
      resolve: options.resolve,
    });
  } catch (error) {
    if (error instanceof OutboundRequestError && error.kind === 'policy') {
      return {
        outcome: 'dead',
        error: `refused by the outbound URL policy: ${error.message}`,
      };
    }
    return { outcome: 'retry', error: (error as Error).message };
  }

  const { status } = response;
  if (status >= 200 && status < 300) {
    return { outcome: 'delivered' };
  }
  if (status === 400) {
    return { outcome: 'dead', error: describeRfc8935Error(response.body) };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return {
      outcome: 'retry',
      error: `HTTP ${status}`,
      retryAfterMs: parseRetryAfter(response.headers['retry-after']),
    };
  }
  if (status >= 300 && status < 400) {
    return {
      outcome: 'dead',
      error: `HTTP ${status}: redirects are not followed`,
    };
  }
  return { outcome: 'dead', error: `HTTP ${status}${snippet(response.body)}` };
}

function describeRfc8935Error(body: string): string {
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.err === 'string') {
      const description =
        typeof parsed.description === 'string' ? `: ${parsed.description}` : '';
      return `${parsed.err}${description}`.slice(0, MAX_ERROR_TEXT);
    }
  } catch {
    // not JSON; fall through
  }
  return `HTTP 400${snippet(body)}`;
}

function snippet(body: string): string {
  const text = body.trim().replace(/\s+/g, ' ');
  return text ? ` ${text.slice(0, 200)}` : '';
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds. @internal */
export function parseRetryAfter(
  value: string | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
