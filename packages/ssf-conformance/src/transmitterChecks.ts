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

import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  Answer,
  call,
  claimsOf,
  eventually,
  expectThat,
  startPushReceiver,
} from './support';

/** What the transmitter checks need. */
export interface TransmitterTarget {
  /** The transmitter's base, e.g. http://localhost:7007/api/ssf. */
  baseUrl: string;
  /** Access tokens of two different receivers (OAuth clients). */
  tokenA: string;
  tokenB: string;
  /** The host the transmitter reaches this machine's receiver on. */
  receiverHost: string;
}

/** A named check. */
export interface Check {
  group: string;
  name: string;
  run: () => Promise<string | void>;
  /** When this fails, nothing after it can be meaningful. */
  critical?: boolean;
}

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const VERIFICATION =
  'https://schemas.openid.net/secevent/ssf/event-type/verification';
const PUSH = 'urn:ietf:rfc:8935';
const POLL = 'urn:ietf:rfc:8936';

function status(answer: Answer, expected: number, what: string) {
  expectThat(
    answer.status === expected,
    `${what}: expected HTTP ${expected}, got ${
      answer.status
    } ${answer.text.slice(0, 200)}`,
  );
}

/** The transmitter checks, modelled on the OpenID SSF conformance tests. */
export function transmitterChecks(t: TransmitterTarget): Check[] {
  let metadata: any;
  const url = (path: string) => `${t.baseUrl}${path}`;
  const endpoint = (key: string) => metadata[key] as string;

  async function clean(token: string) {
    const list = await call('GET', endpoint('configuration_endpoint'), {
      token,
    });
    for (const s of Array.isArray(list.json) ? list.json : []) {
      await call(
        'DELETE',
        `${endpoint('configuration_endpoint')}?stream_id=${encodeURIComponent(
          s.stream_id,
        )}`,
        { token },
      );
    }
  }

  async function createStream(token: string, body: object) {
    await clean(token);
    const created = await call('POST', endpoint('configuration_endpoint'), {
      token,
      json: body,
    });
    status(created, 201, 'create stream');
    return created.json;
  }

  /** Runs \`fn\` on a fresh push stream to a receiver on this machine. */
  async function withPushStream<T>(
    fn: (
      stream: any,
      receiver: Awaited<ReturnType<typeof startPushReceiver>>,
    ) => Promise<T>,
  ): Promise<T> {
    const receiver = await startPushReceiver(t.receiverHost);
    try {
      const stream = await createStream(t.tokenA, {
        delivery: { method: PUSH, endpoint_url: receiver.url },
      });
      return await fn(stream, receiver);
    } finally {
      await receiver.close();
    }
  }

  async function verifySet(
    jws: string,
    streamId: string,
    aud: unknown,
    state?: string,
  ) {
    const header = decodeProtectedHeader(jws);
    expectThat(header.typ === 'secevent+jwt', `typ is ${header.typ}`);
    expectThat(typeof header.kid === 'string', 'no kid');
    const { payload } = await jwtVerify(
      jws,
      createRemoteJWKSet(new URL(endpoint('jwks_uri'))),
      {
        issuer: metadata.issuer,
      },
    );
    expectThat(
      JSON.stringify(payload.aud) === JSON.stringify(aud),
      `aud ${JSON.stringify(payload.aud)}`,
    );
    expectThat(typeof payload.iat === 'number', 'no iat');
    expectThat(typeof payload.jti === 'string', 'no jti');
    expectThat(
      payload.sub === undefined && payload.exp === undefined,
      'sub or exp present',
    );
    const subId = payload.sub_id as any;
    expectThat(
      subId?.format === 'opaque' && subId?.id === streamId,
      `sub_id ${JSON.stringify(subId)}`,
    );
    const events = payload.events as any;
    expectThat(
      events && Object.keys(events).length === 1 && events[VERIFICATION],
      'not one verification event',
    );
    if (state !== undefined) {
      expectThat(
        events[VERIFICATION].state === state,
        `state ${events[VERIFICATION].state}`,
      );
    }
  }

  const checks: Check[] = [
    {
      group: 'metadata',
      name: 'transmitter metadata is served with spec_version 1_0 and absolute URLs',
      critical: true,
      run: async () => {
        const res = await call('GET', url('/.well-known/ssf-configuration'));
        status(res, 200, 'metadata');
        metadata = res.json;
        expectThat(
          metadata.spec_version === '1_0',
          `spec_version ${metadata.spec_version}`,
        );
        for (const key of [
          'issuer',
          'jwks_uri',
          'configuration_endpoint',
          'status_endpoint',
          'verification_endpoint',
          'add_subject_endpoint',
          'remove_subject_endpoint',
        ]) {
          expectThat(
            /^https?:\/\//.test(metadata[key] ?? ''),
            `${key} is not an absolute URL`,
          );
        }
        expectThat(
          metadata.delivery_methods_supported?.includes(PUSH) &&
            metadata.delivery_methods_supported?.includes(POLL),
          'push and poll not both supported',
        );
        expectThat(
          metadata.authorization_schemes?.some(
            (s: any) => s.spec_urn === 'urn:ietf:rfc:6749',
          ),
          'no OAuth 2.0 authorization scheme',
        );
      },
    },
    {
      group: 'metadata',
      name: 'JWKS holds public keys only',
      run: async () => {
        const res = await call('GET', endpoint('jwks_uri'));
        status(res, 200, 'jwks');
        expectThat(res.json.keys?.length > 0, 'no keys');
        for (const k of res.json.keys) {
          expectThat(
            !('d' in k) && !('p' in k) && !('k' in k),
            'a private key member is published',
          );
        }
        return `${res.json.keys.length} key(s)`;
      },
    },
    {
      group: 'stream control',
      name: 'create, read, PATCH, PUT, PUT without description, status, delete',
      run: async () => {
        const created = await createStream(t.tokenA, {
          delivery: {
            method: PUSH,
            endpoint_url: 'https://receiver.example.com/ssf',
          },
          events_requested: [SESSION_REVOKED],
          description: 'conformance',
        });
        const id = created.stream_id;
        const cfg = endpoint('configuration_endpoint');
        const read = await call('GET', `${cfg}?stream_id=${id}`, {
          token: t.tokenA,
        });
        status(read, 200, 'read');
        expectThat(read.json.stream_id === id, 'read returned another stream');
        const list = await call('GET', cfg, { token: t.tokenA });
        expectThat(
          Array.isArray(list.json) && list.json.length === 1,
          'list is not an array of one',
        );
        const patched = await call('PATCH', cfg, {
          token: t.tokenA,
          json: { stream_id: id, description: 'patched' },
        });
        status(patched, 200, 'PATCH');
        expectThat(
          patched.json.description === 'patched' &&
            patched.json.events_requested.includes(SESSION_REVOKED),
          'PATCH changed more than asked',
        );
        const put = await call('PUT', cfg, {
          token: t.tokenA,
          json: {
            stream_id: id,
            delivery: created.delivery,
            events_requested: [SESSION_REVOKED],
            description: 'put',
          },
        });
        status(put, 200, 'PUT');
        const put2 = await call('PUT', cfg, {
          token: t.tokenA,
          json: {
            stream_id: id,
            delivery: created.delivery,
            events_requested: [SESSION_REVOKED],
          },
        });
        status(put2, 200, 'second PUT');
        expectThat(
          put2.json.description === undefined,
          'PUT without description kept it',
        );
        for (const s of ['paused', 'disabled', 'enabled']) {
          const set = await call('POST', endpoint('status_endpoint'), {
            token: t.tokenA,
            json: { stream_id: id, status: s },
          });
          status(set, 200, `status ${s}`);
          const get = await call(
            'GET',
            `${endpoint('status_endpoint')}?stream_id=${id}`,
            { token: t.tokenA },
          );
          expectThat(
            get.json?.status === s,
            `status read back ${get.json?.status}, wanted ${s}`,
          );
        }
        const del = await call('DELETE', `${cfg}?stream_id=${id}`, {
          token: t.tokenA,
        });
        status(del, 204, 'delete');
      },
    },
    {
      group: 'errors',
      name: 'broken input answers 400',
      run: async () => {
        const cfg = endpoint('configuration_endpoint');
        status(
          await call('POST', cfg, {
            token: t.tokenA,
            body: '{"delivery":',
            contentType: 'application/json',
          }),
          400,
          'malformed JSON',
        );
        status(
          await call('POST', cfg, {
            token: t.tokenA,
            json: { events_requested: 'not-a-list' },
          }),
          400,
          'wrong type',
        );
        status(
          await call('DELETE', cfg, { token: t.tokenA }),
          400,
          'DELETE without stream_id',
        );
        status(
          await call('POST', endpoint('status_endpoint'), {
            token: t.tokenA,
            json: { stream_id: 'x', status: 'sleeping' },
          }),
          400,
          'unknown status',
        );
      },
    },
    {
      group: 'errors',
      name: 'missing or invalid token answers 401 with WWW-Authenticate',
      run: async () => {
        for (const token of [undefined, 'not-a-valid-token']) {
          const res = await call('GET', endpoint('configuration_endpoint'), {
            token,
          });
          status(res, 401, token ? 'invalid token' : 'no token');
          expectThat(
            /^Bearer/i.test(res.headers.get('www-authenticate') ?? ''),
            'no Bearer challenge',
          );
        }
      },
    },
    {
      group: 'errors',
      name: 'unknown and deleted streams answer 404 on every operation',
      run: async () => {
        const created = await createStream(t.tokenA, {});
        const id = created.stream_id;
        status(
          await call(
            'DELETE',
            `${endpoint('configuration_endpoint')}?stream_id=${id}`,
            { token: t.tokenA },
          ),
          204,
          'delete',
        );
        for (const streamId of ['no-such-stream', id]) {
          const q = `?stream_id=${encodeURIComponent(streamId)}`;
          const cfg = endpoint('configuration_endpoint');
          const attempts: Array<[string, string, object | undefined]> = [
            ['GET', cfg + q, undefined],
            ['PATCH', cfg, { stream_id: streamId, description: 'x' }],
            ['PUT', cfg, { stream_id: streamId, delivery: { method: POLL } }],
            ['DELETE', cfg + q, undefined],
            ['GET', endpoint('status_endpoint') + q, undefined],
            [
              'POST',
              endpoint('status_endpoint'),
              { stream_id: streamId, status: 'paused' },
            ],
            [
              'POST',
              endpoint('verification_endpoint'),
              { stream_id: streamId },
            ],
          ];
          for (const [method, target, json] of attempts) {
            status(
              await call(method, target, { token: t.tokenA, json }),
              404,
              `${method} ${new URL(target).pathname} for ${streamId}`,
            );
          }
        }
      },
    },
    {
      group: 'errors',
      name: 'a second stream for the same client answers 409',
      run: async () => {
        await createStream(t.tokenA, {});
        const again = await call('POST', endpoint('configuration_endpoint'), {
          token: t.tokenA,
          json: {},
        });
        status(again, 409, 'duplicate create');
      },
    },
    {
      group: 'stream control',
      name: 'event types the transmitter does not understand are ignored, not refused (SSF 1.0 §8.1.1)',
      run: async () => {
        // §8.1.1: "A Transmitter MUST ignore any array values that it does
        // not understand"; events_delivered is supported ∩ requested.
        const unknown = 'https://example.com/secevent/not-an-event-type';
        const created = await createStream(t.tokenA, {
          events_requested: [SESSION_REVOKED, unknown],
        });
        expectThat(
          created.events_delivered?.includes(SESSION_REVOKED) &&
            !created.events_delivered?.includes(unknown),
          `events_delivered ${JSON.stringify(created.events_delivered)}`,
        );
        const patched = await call(
          'PATCH',
          endpoint('configuration_endpoint'),
          {
            token: t.tokenA,
            json: { stream_id: created.stream_id, events_requested: [unknown] },
          },
        );
        status(patched, 200, 'PATCH with an unknown event type');
        expectThat(
          Array.isArray(patched.json?.events_delivered) &&
            patched.json.events_delivered.length === 0,
          `events_delivered ${JSON.stringify(patched.json?.events_delivered)}`,
        );
      },
    },
    {
      group: 'stream control',
      name: 'create without delivery gives poll with a transmitter-made endpoint',
      run: async () => {
        const created = await createStream(t.tokenA, {});
        expectThat(
          created.delivery?.method === POLL,
          `method ${created.delivery?.method}`,
        );
        expectThat(
          /^https?:\/\//.test(created.delivery?.endpoint_url ?? ''),
          'no absolute poll endpoint_url',
        );
      },
    },
    {
      group: 'subjects',
      name: 'add subject answers 200 (or 204), remove subject 204',
      run: async () => {
        const created = await createStream(t.tokenA, {});
        const subject = { format: 'email', email: 'conformance@example.com' };
        const add = await call('POST', endpoint('add_subject_endpoint'), {
          token: t.tokenA,
          json: { stream_id: created.stream_id, subject, verified: true },
        });
        expectThat(
          add.status === 200 || add.status === 204,
          `add subject answered ${add.status}`,
        );
        status(
          await call('POST', endpoint('remove_subject_endpoint'), {
            token: t.tokenA,
            json: { stream_id: created.stream_id, subject },
          }),
          204,
          'remove subject',
        );
        status(
          await call('POST', endpoint('add_subject_endpoint'), {
            token: t.tokenA,
            json: {
              stream_id: created.stream_id,
              subject: { format: 'email' },
            },
          }),
          400,
          'bad subject',
        );
      },
    },
    {
      group: 'verification',
      name: 'push: a verification SET with the state and every claim arrives',
      run: async () => {
        return withPushStream(async (created, receiver) => {
          status(
            await call('POST', endpoint('verification_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id, state: 'conformance-push' },
            }),
            204,
            'verify',
          );
          const set = await eventually(() =>
            receiver.received.find(r => claimsOf(r).events?.[VERIFICATION]),
          );
          expectThat(set, 'no verification SET arrived');
          await verifySet(
            set,
            created.stream_id,
            created.aud,
            'conformance-push',
          );
          status(
            await call('POST', endpoint('verification_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id },
            }),
            429,
            'second verification within min_verification_interval',
          );
        });
      },
    },
  ];

  for (const mode of [
    'poll only',
    'ack only',
    'combined',
    'setErrs',
    'long poll',
  ]) {
    checks.push({
      group: 'verification',
      name: `poll (${mode}): the verification SET is delivered and settled`,
      run: async () => {
        const created = await createStream(t.tokenA, {});
        const poll = (json: object, token = t.tokenA) =>
          call('POST', created.delivery.endpoint_url, { token, json });
        const waiting =
          mode === 'long poll'
            ? poll({ maxEvents: 10, returnImmediately: false })
            : undefined;
        status(
          await call('POST', endpoint('verification_endpoint'), {
            token: t.tokenA,
            json: { stream_id: created.stream_id, state: `poll-${mode}` },
          }),
          204,
          'verify',
        );
        const first = waiting
          ? await waiting
          : await eventually(async () => {
              const r = await poll({ maxEvents: 10, returnImmediately: true });
              return Object.keys(r.json?.sets ?? {}).length ? r : undefined;
            });
        expectThat(
          first && first.status === 200,
          `poll answered ${first?.status}`,
        );
        const [jti, jws] = Object.entries(first.json.sets)[0] as [
          string,
          string,
        ];
        await verifySet(jws, created.stream_id, created.aud, `poll-${mode}`);
        if (mode === 'ack only' || mode === 'long poll') {
          const acked = await poll({
            maxEvents: 0,
            returnImmediately: true,
            ack: [jti],
          });
          status(acked, 200, 'ack');
          expectThat(
            Object.keys(acked.json.sets).length === 0,
            'maxEvents 0 returned SETs',
          );
        } else if (mode === 'combined') {
          const next = await poll({ returnImmediately: true, ack: [jti] });
          status(next, 200, 'ack and poll');
          expectThat(!next.json.sets[jti], 'acknowledged SET returned again');
        } else if (mode === 'setErrs') {
          const reported = await poll({
            maxEvents: 0,
            returnImmediately: true,
            setErrs: {
              [jti]: { err: 'invalid_key', description: 'conformance' },
            },
          });
          status(reported, 200, 'setErrs');
        }
      },
    });
  }

  checks.push(
    {
      group: 'status',
      name: 'a paused stream holds SETs and delivers them on enable',
      run: async () => {
        return withPushStream(async (created, receiver) => {
          status(
            await call('POST', endpoint('status_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id, status: 'paused' },
            }),
            200,
            'pause',
          );
          status(
            await call('POST', endpoint('verification_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id, state: 'held' },
            }),
            204,
            'verify while paused',
          );
          await new Promise(r => setTimeout(r, 1500));
          expectThat(
            !receiver.received.some(r => claimsOf(r).events?.[VERIFICATION]),
            'delivered while paused',
          );
          status(
            await call('POST', endpoint('status_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id, status: 'enabled' },
            }),
            200,
            'enable',
          );
          expectThat(
            await eventually(() =>
              receiver.received.some(
                r => claimsOf(r).events?.[VERIFICATION]?.state === 'held',
              ),
            ),
            'held SET not delivered after enable',
          );
        });
      },
    },
    {
      group: 'status',
      name: 'a disabled stream delivers nothing',
      run: async () => {
        return withPushStream(async (created, receiver) => {
          status(
            await call('POST', endpoint('status_endpoint'), {
              token: t.tokenA,
              json: { stream_id: created.stream_id, status: 'disabled' },
            }),
            200,
            'disable',
          );
          const verify = await call('POST', endpoint('verification_endpoint'), {
            token: t.tokenA,
            json: { stream_id: created.stream_id, state: 'dropped' },
          });
          expectThat(
            [204, 409].includes(verify.status),
            `verify on a disabled stream answered ${verify.status}`,
          );
          await new Promise(r => setTimeout(r, 1500));
          expectThat(
            !receiver.received.some(r => claimsOf(r).events?.[VERIFICATION]),
            'delivered while disabled',
          );
          return `verify answered ${verify.status}`;
        });
      },
    },
    {
      group: 'isolation',
      name: 'poll endpoints are per stream and only the owner may poll or see a stream',
      run: async () => {
        const a = await createStream(t.tokenA, {});
        const b = await createStream(t.tokenB, {});
        expectThat(
          a.delivery.endpoint_url !== b.delivery.endpoint_url,
          'two streams share a poll endpoint',
        );
        const foreign = await call('POST', a.delivery.endpoint_url, {
          token: t.tokenB,
          json: { returnImmediately: true },
        });
        expectThat(
          [403, 404].includes(foreign.status),
          `another client's poll answered ${foreign.status}`,
        );
        const none = await call('POST', a.delivery.endpoint_url, {
          json: { returnImmediately: true },
        });
        status(none, 401, 'unauthenticated poll');
        expectThat(
          /^Bearer/i.test(none.headers.get('www-authenticate') ?? ''),
          'no Bearer challenge on poll',
        );
        status(
          await call(
            'GET',
            `${endpoint('configuration_endpoint')}?stream_id=${a.stream_id}`,
            { token: t.tokenB },
          ),
          404,
          "read another client's stream",
        );
        status(
          await call(
            'DELETE',
            `${endpoint('configuration_endpoint')}?stream_id=${a.stream_id}`,
            { token: t.tokenB },
          ),
          404,
          "delete another client's stream",
        );
        await clean(t.tokenA);
        await clean(t.tokenB);
      },
    },
  );
  return checks;
}
