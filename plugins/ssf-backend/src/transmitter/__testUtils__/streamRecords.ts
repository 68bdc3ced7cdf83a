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

import { Knex } from 'knex';
import { PUSH, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { StreamRecord, StreamStore } from '../streams/StreamStore';

/** When every stream record of the store tests was created and last changed. */
export const RECORD_TIME = new Date('2026-11-01T10:00:00.000Z');

/**
 * A stored push stream with every field set, as the store tests keep it:
 * owned by `client-<streamId>`, which is also its audience.
 */
export function testStream(
  streamId: string,
  overrides: Partial<StreamRecord> = {},
): StreamRecord {
  return {
    streamId,
    clientId: `client-${streamId}`,
    iss: 'https://portal.example.com/api/ssf',
    aud: `client-${streamId}`,
    eventsRequested: [SESSION_REVOKED],
    delivery: {
      method: PUSH,
      endpointUrl: 'https://receiver.example.com/events',
      authorizationHeader: 'Bearer secret',
    },
    description: 'A stream',
    receiverProfile: 'ssf',
    status: 'enabled',
    minVerificationInterval: 30,
    createdAt: RECORD_TIME,
    updatedAt: RECORD_TIME,
    ...overrides,
  };
}

/** Stores the given streams, for tests of the tables that refer to them. */
export async function insertStreams(
  knex: Knex,
  streams: StreamRecord[],
): Promise<void> {
  const store = new StreamStore(knex);
  for (const stream of streams) await store.insert(stream);
}
