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
import { SecurityEventsProviderError } from '@shared-signals/plugin-ssf-common';
import { ErrorRequestHandler } from 'express';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/**
 * Bad input with one entry per problem, rendered as the seed's `errorCauses`.
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
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  throw new ProviderInputError(
    result.error.issues.map(issue => {
      const path = issue.path.map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    }),
  );
}

// The seed API's error codes (its errorLink repeats the code).
const CODES: Record<number, { code: string; summary: string }> = {
  400: { code: 'E0000001', summary: 'Api validation failed' },
  401: { code: 'E0000011', summary: 'Invalid token provided' },
  403: {
    code: 'E0000006',
    summary: 'You do not have permission to perform the requested action',
  },
  404: { code: 'E0000007', summary: 'Not found' },
  409: { code: 'E0000001', summary: 'Conflict' },
  413: { code: 'E0000001', summary: 'Api validation failed' },
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

/** A seed-shaped error body. @internal */
export function seedErrorBody(
  status: number,
  summary?: string,
  causes: string[] = [],
): SecurityEventsProviderError {
  const known = CODES[status] ?? CODES[500];
  return {
    errorCode: known.code,
    errorSummary: summary ?? known.summary,
    errorLink: known.code,
    errorId: `oae${randomBytes(16).toString('base64url').slice(0, 22)}`,
    errorCauses: causes.map(errorSummary => ({ errorSummary })),
  };
}

/**
 * Renders errors of the provider routes in the seed API's error body
 * (`errorCode`, `errorSummary`, `errorLink`, `errorId`, `errorCauses`)
 * instead of Backstage's. Unexpected errors are logged and answered 500
 * without their message, which could carry internals.
 *
 * @internal
 */
export function seedErrorHandler(logger: LoggerService): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const status = STATUS_BY_NAME[error?.name] ?? 500;
    let body: SecurityEventsProviderError;
    if (status === 400) {
      const causes =
        error instanceof ProviderInputError ? error.causes : [error.message];
      body = seedErrorBody(400, `Api validation failed: ${causes[0]}`, causes);
    } else if (status === 404) {
      body = seedErrorBody(404, `Not found: ${error.message}`);
    } else if (status === 409 || status === 502) {
      body = seedErrorBody(status, undefined, [error.message]);
    } else if (status === 413) {
      body = seedErrorBody(413, undefined, [error.message]);
    } else if (status === 500) {
      logger.error('Security Events Provider request failed', error);
      body = seedErrorBody(500);
    } else {
      body = seedErrorBody(status);
    }
    if (status === 401) {
      res.setHeader('WWW-Authenticate', 'Bearer');
    }
    res.status(status).json(body);
  };
}
