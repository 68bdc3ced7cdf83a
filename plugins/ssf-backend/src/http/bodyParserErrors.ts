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

import { CustomErrorBase, InputError } from '@backstage/errors';
import { ErrorRequestHandler } from 'express';

/**
 * A request body larger than the limit. Rendered as 413 by Backstage's error
 * handler, which reads `statusCode`.
 *
 * @internal
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/**
 * Turns body-parser's errors into Backstage errors with a plain message. Its
 * own errors carry the raw body back to the caller, which is neither needed
 * nor wise when a body may hold a secret.
 *
 * @internal
 */
export function bodyParserErrors(limit: string): ErrorRequestHandler {
  return (error, _req, _res, next) => {
    switch (error?.type) {
      case 'entity.parse.failed':
        next(
          new InputError(
            `The request body is not valid JSON: ${error.message}`,
          ),
        );
        return;
      case 'entity.too.large':
        next(
          new PayloadTooLargeError(`The request body is larger than ${limit}`),
        );
        return;
      case 'encoding.unsupported':
      case 'charset.unsupported':
        next(new InputError('The request body must be UTF-8 encoded JSON'));
        return;
      case 'request.aborted':
      case 'request.size.invalid':
        next(new InputError('The request body was incomplete'));
        return;
      default:
        next(error);
    }
  };
}
