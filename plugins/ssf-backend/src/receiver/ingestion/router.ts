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
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import express, { ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { IngestionService } from './IngestionService';
import { SetError } from './SetError';
import { ReceiverMetrics } from '../metrics';

const SET_MEDIA_TYPE = 'application/secevent+jwt';

/**
 * RFC 8935 push ingestion, mounted at `/security-events`: one SET per POST as
 * `application/secevent+jwt`; 202 with an empty body, or 400
 * `{err, description}` (429 `rate_limited` with `Retry-After` when the
 * provider is over `ssf.receiver.rateLimit`). Unauthenticated at the Backstage layer: the SET's
 * signature (and the provider's optional bearer secret) authenticate it.
 *
 * @internal
 */
export function createIngestionRouter(options: {
  ingestion: IngestionService;
  maxSetBytes: number;
  logger: LoggerService;
  metrics?: ReceiverMetrics;
}): express.Router {
  const { ingestion, logger, metrics } = options;
  const router = Router();

  router.post(
    '/',
    express.text({ type: SET_MEDIA_TYPE, limit: options.maxSetBytes }),
    async (req, res) => {
      if (!req.is(SET_MEDIA_TYPE) || typeof req.body !== 'string') {
        throw new SetError(
          'invalid_request',
          `The request must carry one SET as ${SET_MEDIA_TYPE}`,
        );
      }
      const { providerId } = await ingestion.ingest(req.body.trim(), {
        deliveryMethod: DELIVERY_METHODS.push,
        authorization: req.headers.authorization,
      });
      res.status(202).end();
      metrics?.received(providerId, 'accepted', 'push');
    },
  );

  router.use(setErrorHandler(options.maxSetBytes, logger, metrics));
  return router;
}

/** Answers failures in RFC 8935's `{err, description}` form. @internal */
export function setErrorHandler(
  maxSetBytes: number,
  logger: LoggerService,
  metrics?: ReceiverMetrics,
): ErrorRequestHandler {
  return (error, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    let failure: SetError;
    if (error instanceof SetError) {
      failure = error;
    } else if (error?.type === 'entity.too.large') {
      failure = new SetError(
        'invalid_request',
        `The SET is larger than ${maxSetBytes} bytes`,
      );
    } else if (typeof error?.type === 'string' && error.status === 400) {
      // body-parser: bad encoding, aborted or malformed request
      failure = new SetError(
        'invalid_request',
        'The request body is unreadable',
      );
    } else if (typeof error?.type === 'string' && error.status === 415) {
      failure = new SetError(
        'invalid_request',
        'The request body must be UTF-8 text',
      );
    } else {
      logger.error('Receiving a SET failed', error);
      metrics?.received(undefined, 'temporarily_unavailable', 'push');
      res.status(500).json({
        err: 'temporarily_unavailable',
        description: 'The SET could not be stored; try again later',
      });
      return;
    }
    if (failure.status === 503 || failure.status === 429) {
      res.setHeader('Retry-After', String(failure.retryAfterSeconds ?? 30));
    }
    res.status(failure.status).json(failure.toJSON());
    metrics?.received(failure.providerId, failure.err, 'push');
  };
}
