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

import request from 'supertest';

/**
 * Asserts the provider API's error object: exactly errorCauses, errorCode,
 * errorId, errorLink and errorSummary, with `errorCode` as the code and
 * repeated as the link.
 */
export function expectProviderError(body: any, errorCode: string): void {
  expect(Object.keys(body).sort()).toEqual([
    'errorCauses',
    'errorCode',
    'errorId',
    'errorLink',
    'errorSummary',
  ]);
  expect(body.errorCode).toBe(errorCode);
  expect(body.errorLink).toBe(errorCode);
  expect(typeof body.errorSummary).toBe('string');
  expect(body.errorId).toMatch(/^\w+/);
  expect(Array.isArray(body.errorCauses)).toBe(true);
}

/** Asserts that the provider API refused a request as invalid: 400, E0000001. */
export function expectInvalid(res: request.Response): void {
  expect(res.status).toBe(400);
  expectProviderError(res.body, 'E0000001');
}

/**
 * Asserts that the provider API refused a request as invalid (400,
 * E0000001) and returns the summaries of the causes it gave.
 */
export function validationCauses(res: request.Response): string[] {
  expectInvalid(res);
  return res.body.errorCauses.map(
    (cause: { errorSummary: string }) => cause.errorSummary,
  );
}
