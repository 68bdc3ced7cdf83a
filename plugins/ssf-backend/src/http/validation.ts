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

import { InputError } from '@backstage/errors';
import { describeZodIssues } from '@shared-signals/plugin-ssf-common';
import { Request } from 'express';
import { z } from 'zod';

/**
 * Parses a value with a zod schema; on failure throws an InputError whose
 * message names every offending property, e.g.
 * `delivery.endpoint_url: expected string, received number`.
 *
 * @internal
 */
export function parseInput<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) {
    return result.data;
  }
  throw new InputError(
    `Invalid ${what}: ${describeZodIssues(result.error.issues).join('; ')}`,
  );
}

/**
 * The parsed JSON body of a request that must carry a JSON object. Requests
 * without a JSON content type are refused instead of being read as empty.
 *
 * @internal
 */
export function jsonBody(req: Request): unknown {
  if (!req.is('application/json')) {
    throw new InputError(
      'The request body must be JSON (Content-Type: application/json)',
    );
  }
  return req.body;
}

/**
 * The query parameters, each a single string. Repeated parameters, arrays and
 * objects (`a[b]=c`) are refused.
 *
 * @internal
 */
export function queryParams<T extends z.ZodType>(
  req: Request,
  schema: T,
): z.infer<T> {
  return parseInput(schema, req.query, 'query parameters');
}

/**
 * The `hours` query parameter of the hourly history charts: a whole number
 * of hours from 1 to 168 (a week), 24 when absent.
 *
 * @internal
 */
export const historyHoursParam = z.coerce
  .number({ error: 'hours must be a number' })
  .int({ error: 'hours must be a whole number' })
  .min(1, { error: 'hours must be between 1 and 168' })
  .max(168, { error: 'hours must be between 1 and 168' })
  .default(24);
