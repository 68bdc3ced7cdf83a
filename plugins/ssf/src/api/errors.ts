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

import { ResponseError } from '@backstage/errors';

/**
 * A failed call to the Shared Signals backend, with a message meant for
 * people: the backend's own explanation when it gave one, otherwise a
 * description of the HTTP status.
 *
 * @public
 */
export class SsfRequestError extends Error {
  readonly statusCode: number;

  constructor(message: string, statusCode: number) {
    super(message);
    this.name = 'SsfRequestError';
    this.statusCode = statusCode;
  }
}

const STATUS_HINTS: Record<number, string> = {
  400: 'The request was refused as invalid',
  401: 'You are not signed in, or your session has expired',
  403: 'You do not have permission to do this',
  404: 'Not found; the backend may not offer this yet',
  409: 'This conflicts with the current state; reload and try again',
  413: 'The request is too large',
  429: 'Too many requests; wait a moment and try again',
};

function statusHint(status: number): string {
  return (
    STATUS_HINTS[status] ??
    (status >= 500
      ? `The Shared Signals backend failed (HTTP ${status})`
      : `The request failed (HTTP ${status})`)
  );
}

// Messages the framework produces when a route does not exist at all; they
// say nothing a person can act on.
const GENERIC_MESSAGES = new Set(['not found', 'notfound', '']);

/** Builds the readable error for a response that is not ok. */
export async function toRequestError(
  response: Response,
): Promise<SsfRequestError> {
  const status = response.status;
  // The receiver routes use the seed API's error body instead of Backstage's.
  const seedMessage = await readSeedError(response.clone());
  if (seedMessage) {
    return new SsfRequestError(seedMessage, status);
  }
  const error = await ResponseError.fromResponse(response);
  const body = error.body as { error?: { message?: unknown } } | undefined;
  const detail =
    typeof body?.error?.message === 'string' &&
    !body.error.message.startsWith('Request failed with status')
      ? body.error.message.trim()
      : '';
  if (GENERIC_MESSAGES.has(detail.toLocaleLowerCase('en-US'))) {
    return new SsfRequestError(statusHint(status), status);
  }
  return new SsfRequestError(detail, status);
}

async function readSeedError(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.json()) as {
      errorSummary?: unknown;
      errorCauses?: Array<{ errorSummary?: unknown; summary?: unknown }>;
    };
    if (typeof body?.errorSummary !== 'string') {
      return undefined;
    }
    const causes = (body.errorCauses ?? [])
      .map(c => c?.errorSummary ?? c?.summary)
      .filter((s): s is string => typeof s === 'string' && s.length > 0);
    return causes.length > 0
      ? `${body.errorSummary}: ${causes.join('; ')}`
      : body.errorSummary;
  } catch {
    return undefined;
  }
}

/** Turns a network failure (no response at all) into a readable error. */
export function toNetworkError(error: unknown): Error {
  // Duck-typed: errors from another realm (a test DOM) fail `instanceof`.
  const message = (error as { message?: unknown } | undefined)?.message;
  const reason = typeof message === 'string' ? message : String(error);
  return new Error(`Could not reach the Shared Signals backend: ${reason}`);
}
