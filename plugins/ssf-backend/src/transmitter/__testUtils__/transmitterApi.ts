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
import { PUSH, SESSION_REVOKED } from '../../__testUtils__/specUris';
import { clientAuth, TestServer } from '../../__testUtils__/testBackend';

/** The credentials of a backend plugin of the portal, which may emit events. */
const PLUGIN = clientAuth('plugin:hr-feed');

const BASE = '/api/ssf';
const STREAMS = `${BASE}/streams`;
const STATUS = `${BASE}/streams/status`;

type Query = Record<string, string>;

/**
 * The transmitter's HTTP API, one method per operation, as a receiver, a
 * portal admin or a backend plugin calls it. Each method takes the caller's
 * Authorization header first and returns the supertest request, so a test
 * awaits it for the response or chains `.expect(…)`.
 */
export function transmitterApi(server: TestServer) {
  const http = request(server);
  const post = (path: string, auth: string, body: object) =>
    http.post(path).set('Authorization', auth).send(body);
  const get = (path: string, auth: string, query: Query = {}) =>
    http.get(path).query(query).set('Authorization', auth);

  return {
    /** SSF 1.0 §7.2 transmitter metadata, at the plugin's well-known path. */
    metadata: () => http.get(`${BASE}/.well-known/ssf-configuration`),
    jwks: () => http.get(`${BASE}/jwks`),

    createStream: (auth: string, body: object = {}) =>
      post(STREAMS, auth, body),
    listStreams: (auth: string, query?: Query) => get(STREAMS, auth, query),
    getStream: (auth: string, streamId: string) =>
      get(STREAMS, auth, { stream_id: streamId }),
    replaceStream: (auth: string, body: object) =>
      http.put(STREAMS).set('Authorization', auth).send(body),
    updateStream: (auth: string, body: object) =>
      http.patch(STREAMS).set('Authorization', auth).send(body),
    deleteStream: (auth: string, streamId: string) =>
      http
        .delete(STREAMS)
        .query({ stream_id: streamId })
        .set('Authorization', auth),
    getStatus: (auth: string, streamId: string) =>
      get(STATUS, auth, { stream_id: streamId }),
    setStatus: (auth: string, body: object) => post(STATUS, auth, body),
    verify: (auth: string, body: object) =>
      post(`${STREAMS}/verify`, auth, body),
    addSubject: (auth: string, body: object) =>
      post(`${BASE}/subjects:add`, auth, body),
    removeSubject: (auth: string, body: object) =>
      post(`${BASE}/subjects:remove`, auth, body),
    receiverProfiles: (auth: string) => get(`${BASE}/receiver-profiles`, auth),

    /** An RFC 8936 poll at `endpoint`, a stream's poll URL or its path. */
    poll: (auth: string, endpoint: string, body: object) =>
      post(new URL(endpoint, 'http://localhost').pathname, auth, body),

    /** An event a backend plugin emits, by default as `PLUGIN`. */
    emit: (event: object, auth = PLUGIN) => post(`${BASE}/emit`, auth, event),

    adminStreams: (auth: string) => get(`${BASE}/admin/streams`, auth),
    adminSets: (auth: string, query: Query) =>
      get(`${BASE}/admin/streams/sets`, auth, query),
    adminHistory: (auth: string, query: Query) =>
      get(`${BASE}/admin/streams/history`, auth, query),
    redeliver: (auth: string, body: object) =>
      post(`${BASE}/admin/streams/redeliver`, auth, body),
  };
}

/** The transmitter's HTTP API bound to one test server. */
export type TransmitterApi = ReturnType<typeof transmitterApi>;

/**
 * A stream-creation body for RFC 8935 push delivery of session-revoked SETs
 * to `endpointUrl`, with the Authorization header the receiver wants, if any.
 */
export function pushStream(endpointUrl: string, authorizationHeader?: string) {
  return {
    delivery: {
      method: PUSH,
      endpoint_url: endpointUrl,
      ...(authorizationHeader && { authorization_header: authorizationHeader }),
    },
    events_requested: [SESSION_REVOKED],
  };
}
