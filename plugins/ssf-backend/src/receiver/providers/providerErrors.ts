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

import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  describeZodIssues,
  SecurityEventsProviderError,
} from '@shared-signals/plugin-ssf-common';
import { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';

/**
 * Bad input with one entry per problem, rendered as the provider API's `errorCauses`.
 *
 * @internal
 */
export class ProviderInputError extends InputError {
  readonly causes: string[];

  constructor(causes: string[]) {
    super(`Api validation failed: ${causes.join('; ')}`);
    this.causes = causes;
  }
}

/**
 * Parses a request body with a zod schema, reporting every problem as a cause.
 *
 * @internal
 */
export function parseProviderInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  /** Further checks of the raw value, reported with the schema's problems. */
  check: (value: unknown) => string[] = () => [],
): z.infer<T> {
  const result = schema.safeParse(value);
  const causes = result.success ? [] : describeZodIssues(result.error.issues);
  causes.push(...check(value));
  if (result.success && causes.length === 0) {
    return result.data;
  }
  throw new ProviderInputError(causes);
}

/**
 * The provider types this API documents, compared without regard to case:
 * `okta`, the provider API's (its every example), and `ssf`, any other SSF 1.0
 * transmitter (the portal's form and the scaffolder action send `SSF`).
 *
 * @internal
 */
export const PROVIDER_TYPES = ['ssf', 'okta'] as const;

/**
 * The problem with a create or replace body's `type`, if any: a string that
 * is not one of {@link PROVIDER_TYPES}. Anything else that is wrong with it
 * (absent, not a string, too long) the schema reports.
 *
 * @internal
 */
export function providerTypeCauses(body: unknown): string[] {
  const type =
    typeof body === 'object' && body !== null
      ? (body as { type?: unknown }).type
      : undefined;
  if (typeof type !== 'string' || !type.trim()) {
    return [];
  }
  if (
    (PROVIDER_TYPES as readonly string[]).includes(type.trim().toLowerCase())
  ) {
    return [];
  }
  const shown = type.length > 64 ? `${type.slice(0, 64)}…` : type;
  return [
    `type: '${shown}' is not a provider type; use one of ${PROVIDER_TYPES.map(
      t => `'${t}'`,
    ).join(', ')} (any case)`,
  ];
}

// The provider API's error codes (its errorLink repeats the code).
const CODES: Record<number, { code: string; summary: string }> = {
  400: { code: 'E0000001', summary: 'Api validation failed' },
  401: { code: 'E0000011', summary: 'Invalid token provided' },
  403: {
    code: 'E0000006',
    summary: 'You do not have permission to perform the requested action',
  },
  404: { code: 'E0000007', summary: 'Not found' },
  405: {
    code: 'E0000022',
    summary: 'The endpoint does not support the provided HTTP method',
  },
  409: { code: 'E0000001', summary: 'Conflict' },
  413: { code: 'E0000001', summary: 'Api validation failed' },
  429: {
    code: 'E0000047',
    summary: 'API call exceeded rate limit due to too many requests',
  },
  500: { code: 'E0000009', summary: 'Internal Server Error' },
  502: { code: 'E0000009', summary: "The provider's transmitter failed" },
};

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  PayloadTooLargeError: 413,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  RemoteTransmitterError: 502,
};

// Longest message of a foreign client error echoed back as a cause: such a
// message may quote the request (Express quotes the undecodable path
// segment), which should not come back unbounded.
const MAX_FOREIGN_MESSAGE = 200;

/**
 * The HTTP status an error stands for. Backstage's errors by name; then any
 * error that carries a client-error status of its own, as Express, body-parser
 * and http-errors set it (`status`/`statusCode`, with `expose` true for
 * 4xx): e.g. the `URIError` Express throws, with status 400, for a path
 * parameter that is not valid percent-encoded UTF-8 (`/%ff`). Such an error
 * is the caller's fault, so it must never become a 500.
 */
function statusOf(error: unknown): number {
  const e = (error ?? {}) as {
    name?: unknown;
    status?: unknown;
    statusCode?: unknown;
    expose?: unknown;
  };
  const named = typeof e.name === 'string' ? STATUS_BY_NAME[e.name] : undefined;
  if (named) {
    return named;
  }
  for (const candidate of [e.status, e.statusCode]) {
    if (
      typeof candidate === 'number' &&
      Number.isInteger(candidate) &&
      candidate >= 400 &&
      candidate < 500
    ) {
      return candidate;
    }
  }
  // http-errors marks client errors safe to show; one without a usable
  // status is still a bad request.
  return e.expose === true ? 400 : 500;
}

function foreignMessage(error: unknown): string {
  let message =
    typeof (error as Error)?.message === 'string' && (error as Error).message
      ? (error as Error).message
      : 'The request is not valid';
  if ((error as Error)?.name === 'URIError') {
    message = `The request path is not valid percent-encoded UTF-8 (${message})`;
  }
  return message.length > MAX_FOREIGN_MESSAGE
    ? `${message.slice(0, MAX_FOREIGN_MESSAGE)}…`
    : message;
}

function codeFor(status: number): { code: string; summary: string } {
  if (CODES[status]) {
    return CODES[status];
  }
  // A client error the provider API names no code for: its validation code, with
  // the HTTP reason phrase.
  if (status >= 400 && status < 500) {
    return {
      code: 'E0000001',
      summary: STATUS_CODES[status] ?? 'Bad Request',
    };
  }
  return CODES[500];
}

/** An error body in the provider API's shape. @internal */
export function providerErrorBody(
  status: number,
  summary?: string,
  causes: string[] = [],
): SecurityEventsProviderError {
  const known = codeFor(status);
  return {
    errorCode: known.code,
    errorSummary: summary ?? known.summary,
    errorLink: known.code,
    errorId: `oae${randomBytes(16).toString('base64url').slice(0, 22)}`,
    errorCauses: causes.map(errorSummary => ({ errorSummary })),
  };
}

/**
 * Renders errors of the provider routes in the provider API's error body
 * (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`)
 * instead of Backstage's. A client error from below the routes (a path
 * segment that does not decode, a body the parser refuses) keeps its 4xx
 * status. Unexpected errors are logged and answered 500 without their
 * message, which could carry internals.
 *
 * @internal
 */
export function providerErrorHandler(
  logger: LoggerService,
): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = statusOf(error);
    let body: SecurityEventsProviderError;
    if (status === 400) {
      const causes =
        error instanceof ProviderInputError
          ? error.causes
          : [
              error instanceof InputError
                ? error.message
                : foreignMessage(error),
            ];
      body = providerErrorBody(
        400,
        `Api validation failed: ${causes[0]}`,
        causes,
      );
    } else if (status === 404) {
      body = providerErrorBody(404, `Not found: ${error.message}`);
    } else if (status === 409 || status === 502) {
      body = providerErrorBody(status, undefined, [error.message]);
    } else if (status === 413) {
      body = providerErrorBody(413, undefined, [error.message]);
    } else if (status === 500) {
      logger.error('Security Events Provider request failed', error);
      body = providerErrorBody(500);
    } else if (status >= 400 && status < 500 && !STATUS_BY_NAME[error?.name]) {
      body = providerErrorBody(status, undefined, [foreignMessage(error)]);
    } else {
      body = providerErrorBody(status);
    }
    if (status === 401) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res.status(status).json(body);
  };
}
