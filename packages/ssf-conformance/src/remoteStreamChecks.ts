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

import { call, expectThat } from './support';
import { StrictStream, StrictTransmitter } from './strictTransmitter';
import { Check } from './transmitterChecks';

/** The receiver under test, configured to manage streams at the stand-in. */
export interface RemoteStreamTarget {
  /** The receiver's base, e.g. http://localhost:7007/api/ssf. */
  baseUrl: string;
  /** A portal user token allowed to manage Security Events Providers. */
  adminToken: string;
  /**
   * The port the strict transmitter listens on, and the client secret of
   * its client `portal-receiver`: the receiver must hold a client-credentials
   * entry for issuer http://127.0.0.1:<port>/ssf with this secret.
   */
  port: number;
  clientSecret: string;
}

const SESSION_REVOKED =
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked';
const CREDENTIAL_CHANGE =
  'https://schemas.openid.net/secevent/caep/event-type/credential-change';
const POLL = 'urn:ietf:rfc:8936';

/**
 * Checks of the receiver as a client of a third-party transmitter that reads
 * SSF 1.0 strictly (strictTransmitter.ts cites each of its rules): stream
 * creation with Receiver-Supplied members only (SSF 1.0 §8.1.1.1), SETs
 * with the transmitter's chosen aud, status read (CAEP interoperability
 * profile: "A Receiver MUST be able to obtain the current Stream status"),
 * events update, a fresh token after a 401 (RFC 6750 §3.1), polling at the
 * endpoint_url the transmitter returned (RFC 8936 §2), deletion.
 */
export function remoteStreamChecks(r: RemoteStreamTarget): {
  checks: Check[];
  close: () => Promise<void>;
} {
  let t: StrictTransmitter | undefined;
  let providerId: string | undefined;
  const admin = (method: string, path: string, json?: unknown) =>
    call(method, `${r.baseUrl}${path}`, { token: r.adminToken, json });
  const providers = '/security-events-providers';
  const remote = () => `${providers}/${providerId}/remote-stream`;
  const onlyStream = (): StrictStream => {
    const streams = [...t!.streams.values()];
    expectThat(
      streams.length === 1,
      `the transmitter holds ${streams.length} streams`,
    );
    return streams[0];
  };

  async function addProvider(delivery?: object) {
    const res = await admin('POST', providers, {
      name: 'SSF conformance: strict SSF 1.0 transmitter',
      type: 'SSF',
      settings: { well_known_url: t!.wellKnownUrl },
      ...(delivery && { delivery }),
    });
    expectThat(
      res.status < 300 && res.json?.id,
      `create provider answered ${res.status} ${res.text.slice(0, 300)}`,
    );
    providerId = res.json.id;
  }

  async function removeProvider() {
    if (!providerId) return;
    await admin('DELETE', remote());
    await admin('DELETE', `${providers}/${providerId}`);
    providerId = undefined;
  }

  const group = 'receiver: remote stream';
  const checks: Check[] = [
    {
      group,
      name: 'create proposes only Receiver-Supplied members (SSF 1.0 §8.1.1.1)',
      critical: true,
      run: async () => {
        t = await StrictTransmitter.start({
          port: r.port,
          clientSecret: r.clientSecret,
        });
        await addProvider();
        const res = await admin('POST', remote(), {
          events_requested: [SESSION_REVOKED],
          description: 'SSF conformance',
        });
        expectThat(
          res.status === 201,
          `create answered ${res.status} ${res.text.slice(0, 300)}`,
        );
        const [create] = t.requestsTo('/ssf/mgmt/stream', 'POST');
        const sent = Object.keys(create?.body ?? {}).sort();
        expectThat(
          create?.status === 201 &&
            sent.join() === 'delivery,description,events_requested',
          `the transmitter was sent ${sent.join(', ')} and answered ${
            create?.status
          }`,
        );
        expectThat(
          JSON.stringify(res.json.aud) === JSON.stringify(onlyStream().aud),
          `the receiver recorded aud ${JSON.stringify(res.json.aud)}`,
        );
      },
    },
    {
      group,
      name: "a SET with the transmitter's chosen aud is accepted",
      run: async () => {
        const res = await call('POST', `${r.baseUrl}/security-events`, {
          body: await t!.sign(onlyStream()),
          contentType: 'application/secevent+jwt',
        });
        expectThat(
          res.status === 202,
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
      },
    },
    {
      group,
      name: "the stream's status is read from the transmitter",
      run: async () => {
        const stream = onlyStream();
        stream.status = 'paused';
        stream.reason = 'paused by the transmitter';
        const res = await admin('GET', `${remote()}/status`);
        expectThat(
          res.status === 200 &&
            res.json?.status === 'paused' &&
            res.json?.reason === 'paused by the transmitter',
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
        stream.status = 'enabled';
        delete stream.reason;
      },
    },
    {
      group,
      name: 'events are changed with PATCH at the configuration endpoint',
      run: async () => {
        const res = await admin('PATCH', remote(), {
          events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        });
        expectThat(
          res.status === 200 &&
            t!.requestsTo('/ssf/mgmt/stream', 'PATCH').length === 1,
          `answered ${res.status} ${res.text.slice(0, 200)}`,
        );
        expectThat(
          onlyStream().events_requested.includes(CREDENTIAL_CHANGE),
          'the transmitter did not get the new events',
        );
      },
    },
    {
      group,
      name: 'after a 401 a new token is fetched and the call retried once',
      run: async () => {
        t!.revokeAllTokens();
        const issued = t!.tokensIssued;
        const before = t!.requestsTo('/ssf/mgmt/status', 'GET').length;
        const res = await admin('GET', `${remote()}/status`);
        const answers = t!
          .requestsTo('/ssf/mgmt/status', 'GET')
          .slice(before)
          .map(q => q.status);
        expectThat(
          res.status === 200 &&
            answers.join() === '401,200' &&
            t!.tokensIssued === issued + 1,
          `answered ${res.status}; the transmitter answered ${answers.join(
            ', ',
          )}`,
        );
      },
    },
    {
      group,
      name: 'delete removes the stream at the transmitter',
      run: async () => {
        const res = await admin('DELETE', remote());
        expectThat(
          res.status === 204 && t!.streams.size === 0,
          `answered ${res.status}; the transmitter holds ${t!.streams.size}`,
        );
        await removeProvider();
      },
    },
    {
      group,
      name: 'a poll stream is polled at the endpoint_url the transmitter returned (RFC 8936 §2)',
      run: async () => {
        await addProvider({
          method: POLL,
          endpoint_url: `${t!.origin}/configured-poll`,
        });
        const created = await admin('POST', remote(), {
          events_requested: [SESSION_REVOKED],
        });
        expectThat(
          created.status === 201,
          `create answered ${created.status} ${created.text.slice(0, 200)}`,
        );
        const stream = onlyStream();
        const returned = new URL(stream.delivery.endpoint_url);
        await t!.transmit(stream, await t!.sign(stream));
        const polled = await admin('POST', `${providers}/${providerId}/poll`);
        const polls = t!.requests.filter(q => q.path === returned.pathname);
        expectThat(
          polled.status === 200 &&
            polled.json?.stored === 1 &&
            polls.length > 0 &&
            polls.every(q => q.search === returned.search) &&
            t!.requests.every(q => q.path !== '/configured-poll'),
          `poll answered ${polled.status} ${polled.text.slice(
            0,
            200,
          )}; polls at the returned URL: ${polls.length}`,
        );
        await removeProvider();
      },
    },
  ];
  return {
    checks,
    close: async () => {
      await removeProvider().catch(() => undefined);
      await t?.close();
    },
  };
}
