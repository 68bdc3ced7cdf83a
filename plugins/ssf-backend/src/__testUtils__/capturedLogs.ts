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

import { mockServices } from '@backstage/backend-test-utils';

/**
 * A root logger for a test backend that keeps every line (message and
 * metadata, audit events included) so a test can scan them, e.g. for secrets;
 * `messages` holds the messages alone.
 */
export function captureLogs() {
  const lines: string[] = [];
  const messages: string[] = [];
  const logger = mockServices.rootLogger.mock();
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    logger[level].mockImplementation((message: string, meta?: unknown) => {
      lines.push(`${message} ${JSON.stringify(meta ?? {})}`);
      messages.push(message);
    });
  }
  logger.child.mockImplementation(() => logger);
  return { lines, messages, factory: logger.factory };
}
