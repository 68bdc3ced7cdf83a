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

import { describeOnEachDatabase } from '../../__testUtils__/databases';
import { POLL, PUSH, TOKEN_CLAIMS_CHANGE } from '../../__testUtils__/specUris';
import { TestServer } from '../../__testUtils__/testBackend';
import {
  asAdmin,
  PROVIDERS,
  push,
  startReceiverBackend,
} from '../__testUtils__/receiverBackend';
import {
  STRICT_EVENTS_SUPPORTED,
  StrictStream,
  StrictTransmitter,
} from '@shared-signals/ssf-conformance/src/strictTransmitter';
import {
  eventually,
  RECEIVER_AUDIENCE,
} from '../__testUtils__/testTransmitter';

jest.setTimeout(60_000);

// TOKEN_CLAIMS_CHANGE is subscribable here, but not among the stand-in's
// events_supported.
const [SESSION_REVOKED, CREDENTIAL_CHANGE] = STRICT_EVENTS_SUPPORTED;
const OTHER_AUDIENCE = 'https://someone-else.example.com';

/**
 * Runs `call` and gives its answer with the statuses the transmitter
 * answered meanwhile to the requests `requests` lists.
 */
async function answeredMeanwhile<T>(
  requests: () => Array<{ status: number }>,
  call: () => Promise<T>,
): Promise<[T, number[]]> {
  const before = requests().length;
  const answer = await call();
  return [
    answer,
    requests()
      .slice(before)
      .map(r => r.status),
  ];
}

// This receiver managing its stream at a third-party transmitter that reads
// SSF 1.0 strictly (see strictTransmitter.ts for the rules and their
// sources), end to end through the plugin's HTTP routes.
describeOnEachDatabase(
  'remote stream at a strict SSF 1.0 transmitter',
  (databases, id) => {
    let t: StrictTransmitter;

    beforeEach(async () => {
      t = await StrictTransmitter.start();
    });
    afterEach(async () => {
      await t.close();
    });

    async function start(clientSecret = t.clientSecret) {
      return startReceiverBackend({
        databases,
        id,
        receiver: {
          poll: { enabled: false },
          credentials: [
            {
              issuer: t.issuer,
              tokenUrl: t.tokenUrl,
              clientId: t.clientId,
              clientSecret,
            },
          ],
        },
      });
    }

    /** Registers the strict transmitter; gives the paths of the provider. */
    async function addProvider(server: TestServer, delivery?: object) {
      const res = await asAdmin(server).post(PROVIDERS, {
        name: 'Strict transmitter',
        type: 'SSF',
        settings: { well_known_url: t.wellKnownUrl },
        ...(delivery && { delivery }),
      });
      expect(res.status).toBe(200);
      const provider = `${PROVIDERS}/${res.body.id}`;
      return {
        provider,
        remote: `${provider}/remote-stream`,
        poll: `${provider}/poll`,
      };
    }

    const onlyStream = (): StrictStream => {
      const streams = [...t.streams.values()];
      expect(streams).toHaveLength(1);
      return streams[0];
    };

    it('push: creates with Receiver-Supplied members only, records the answer, accepts the chosen aud, reads and changes status and events, verifies, deletes', async () => {
      const { server } = await start();
      const api = asAdmin(server);
      const { provider, remote } = await addProvider(server);

      // Before the stream exists, the transmitter's aud is not ours. (This
      // also leaves the provider in the lookup cache, which creating the
      // stream must refresh.)
      const early = await push(
        server,
        await t.sign({ aud: `urn:strict-transmitter:receiver:${t.clientId}` }),
      );
      expect(early.status).toBe(400);
      expect(early.body.err).toBe('invalid_audience');

      const created = await api.post(remote, {
        events_requested: [SESSION_REVOKED, TOKEN_CLAIMS_CHANGE],
        description: 'Backstage portal',
      });
      expect(created.status).toBe(201);

      // SSF 1.0 §8.1.1.1: only Receiver-Supplied members were sent.
      const [createCall] = t.requestsTo('/ssf/mgmt/stream', 'POST');
      expect(createCall.status).toBe(201);
      expect(createCall.body).toEqual({
        delivery: {
          method: PUSH,
          endpoint_url: expect.stringMatching(/\/api\/ssf\/security-events$/),
        },
        events_requested: [SESSION_REVOKED, TOKEN_CLAIMS_CHANGE],
        description: 'Backstage portal',
      });

      // What the transmitter answered is what the view shows.
      const stream = onlyStream();
      expect(stream.aud).toBe(`urn:strict-transmitter:receiver:${t.clientId}`);
      const view = {
        stream_id: stream.stream_id,
        status: 'enabled',
        status_updated_at: expect.any(String),
        aud: stream.aud,
        events_requested: [SESSION_REVOKED, TOKEN_CLAIMS_CHANGE],
        events_delivered: [SESSION_REVOKED],
        description: 'Backstage portal',
        delivery: { method: PUSH, endpoint_url: stream.delivery.endpoint_url },
      };
      expect(created.body).toEqual(view);
      const got = await api.get(provider);
      expect(got.body.remote_stream).toEqual(view);

      // SETs naming the transmitter's aud are accepted from this provider,
      // as are those naming ssf.receiver.audience; others are not.
      expect((await push(server, await t.sign(stream))).status).toBe(202);
      expect(
        (await push(server, await t.sign(stream, { aud: RECEIVER_AUDIENCE })))
          .status,
      ).toBe(202);
      const other = await push(
        server,
        await t.sign(stream, { aud: OTHER_AUDIENCE }),
      );
      expect(other.status).toBe(400);
      expect(other.body.err).toBe('invalid_audience');

      // A second stream is refused here, before asking the transmitter.
      const again = await api.post(remote, {
        events_requested: [SESSION_REVOKED],
      });
      expect(again.status).toBe(409);
      expect(t.requestsTo('/ssf/mgmt/stream', 'POST')).toHaveLength(1);

      // Status read (SSF 1.0 §8.1.2.1), update (§8.1.2.2), read again.
      const status = await api.get(`${remote}/status`);
      expect(status.status).toBe(200);
      expect(status.body).toEqual({
        stream_id: stream.stream_id,
        status: 'enabled',
      });
      expect(t.requestsTo('/ssf/mgmt/status', 'GET').pop()!.search).toBe(
        `?stream_id=${stream.stream_id}`,
      );
      const paused = await api.post(`${remote}/status`, {
        status: 'paused',
        reason: 'maintenance',
      });
      expect(paused.status).toBe(200);
      expect(stream.status).toBe('paused');
      stream.reason = 'maintenance window';
      const reread = await api.get(`${remote}/status`);
      expect(reread.body).toEqual({
        stream_id: stream.stream_id,
        status: 'paused',
        reason: 'maintenance window',
      });
      expect((await api.get(provider)).body.remote_stream).toMatchObject({
        status: 'paused',
        reason: 'maintenance window',
      });
      await api.post(`${remote}/status`, { status: 'enabled' });

      // Events and description through PATCH (SSF 1.0 §8.1.1.3).
      const patched = await api.patch(remote, {
        events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        description: 'Changed',
      });
      expect(patched.status).toBe(200);
      expect(t.requestsTo('/ssf/mgmt/stream', 'PATCH').pop()!.body).toEqual({
        stream_id: stream.stream_id,
        events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        description: 'Changed',
      });
      expect(patched.body).toMatchObject({
        events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        events_delivered: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        description: 'Changed',
        aud: stream.aud,
      });
      const onlyDescription = await api.patch(remote, { description: 'Only' });
      expect(onlyDescription.body).toMatchObject({
        events_requested: [SESSION_REVOKED, CREDENTIAL_CHANGE],
        description: 'Only',
      });
      for (const bad of [{}, { aud: 'mine' }, { events_requested: [] }]) {
        const res = await api.patch(remote, bad);
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('E0000001');
      }

      // Read the configuration back from the transmitter.
      stream.events_delivered = [SESSION_REVOKED];
      const read = await api.get(remote);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        stream_id: stream.stream_id,
        events_delivered: [SESSION_REVOKED],
        aud: stream.aud,
      });

      // Verification (SSF 1.0 §8.1.4.2): the RS256 verification SET with
      // our state arrives by push and is recorded.
      const verify = await api.post(`${remote}/verify`);
      expect(verify.status).toBe(202);
      expect(
        t.requestsTo('/ssf/mgmt/verification', 'POST').pop()!.body,
      ).toEqual({ stream_id: stream.stream_id, state: verify.body.state });
      await eventually(async () => {
        expect(t.pushes.at(-1)?.status).toBe(202);
        const p = await api.get(provider);
        expect(p.body.remote_stream.last_verified_at).toEqual(
          expect.any(String),
        );
      });

      // Delete (SSF 1.0 §8.1.1.5): gone there, forgotten here, and its aud
      // no longer accepted.
      const deleted = await api.delete(remote);
      expect(deleted.status).toBe(204);
      expect(t.streams.size).toBe(0);
      expect(t.requestsTo('/ssf/mgmt/stream', 'DELETE').pop()!.search).toBe(
        `?stream_id=${stream.stream_id}`,
      );
      const after = await api.get(provider);
      expect(after.body.remote_stream).not.toHaveProperty('stream_id');
      expect(after.body.remote_stream).not.toHaveProperty('aud');
      const stale = await push(server, await t.sign(stream));
      expect(stale.body.err).toBe('invalid_audience');
      expect((await api.get(`${remote}/status`)).status).toBe(400);
    });

    it("poll: polls the transmitter's endpoint_url with its query string and accepts an aud array member", async () => {
      t.audAsArray = true;
      const { server, knex } = await start();
      const api = asAdmin(server);
      const configured = `${t.origin}/configured-poll`;
      const { provider, remote, poll } = await addProvider(server, {
        method: POLL,
        endpoint_url: configured,
      });

      const created = await api.post(remote, {
        events_requested: [SESSION_REVOKED],
      });
      expect(created.status).toBe(201);
      // SSF 1.0 §6.1.2: for poll the receiver sends no endpoint_url.
      expect(t.requestsTo('/ssf/mgmt/stream', 'POST')[0].body).toEqual({
        delivery: { method: POLL },
        events_requested: [SESSION_REVOKED],
      });
      const stream = onlyStream();
      expect(stream.delivery.endpoint_url).toBe(
        `${t.origin}/poll?stream=${stream.stream_id}&tenant=1`,
      );
      expect(created.body.delivery).toEqual({
        method: POLL,
        endpoint_url: stream.delivery.endpoint_url,
      });
      expect(created.body.aud).toEqual(stream.aud);

      // SETs naming one member of the aud array are ours; others are not.
      const ours = await t.sign(stream, { aud: (stream.aud as string[])[1] });
      const theirs = await t.sign(stream, { aud: OTHER_AUDIENCE });
      await t.transmit(stream, ours);
      await t.transmit(stream, theirs);
      const polled = await api.post(poll);
      expect(polled.body).toEqual({ received: 2, stored: 1, rejected: 1 });
      expect(stream.pollQueue.size).toBe(0);
      const polls = t.requests.filter(r => r.path === '/poll');
      expect(polls.length).toBeGreaterThan(0);
      expect(
        polls.every(p => p.search === `?stream=${stream.stream_id}&tenant=1`),
      ).toBe(true);
      expect(polls.pop()!.body).toMatchObject({
        setErrs: {
          [JSON.parse(Buffer.from(theirs.split('.')[1], 'base64url').toString())
            .jti]: { err: 'invalid_audience' },
        },
      });
      expect(t.requestsTo('/configured-poll')).toEqual([]);
      expect(await knex('ssf_received_events')).toHaveLength(1);

      // The verification SET waits at the poll endpoint.
      const verify = await api.post(`${remote}/verify`);
      expect(verify.status).toBe(202);
      await eventually(() => expect(stream.pollQueue.size).toBe(1));
      const second = await api.post(poll);
      expect(second.body).toEqual({ received: 1, stored: 1, rejected: 0 });
      const p = await api.get(provider);
      expect(p.body.remote_stream.last_verified_at).toEqual(expect.any(String));
      // The provider's own setting is unchanged: it is for streams made elsewhere.
      expect(p.body.delivery).toEqual({
        method: POLL,
        endpoint_url: configured,
      });

      // Once the stream is deleted, the configured URL is polled again.
      expect((await api.delete(remote)).status).toBe(204);
      await api.post(poll);
      expect(t.requestsTo('/configured-poll')).toHaveLength(1);
    });

    it('renews a refused access token once, for management calls and polls, and reports a second 401 with its challenge', async () => {
      const { server } = await start();
      const api = asAdmin(server);
      const {
        provider,
        remote,
        poll: pollNow,
      } = await addProvider(server, {
        method: POLL,
        endpoint_url: `${t.origin}/configured-poll`,
      });
      expect(
        (await api.post(remote, { events_requested: [SESSION_REVOKED] }))
          .status,
      ).toBe(201);
      // One token served the create and the status read after it.
      expect(t.tokensIssued).toBe(1);

      // A 60-second token still cached here but revoked there: one 401,
      // one new token, one retry.
      t.revokeAllTokens();
      const statuses = () => t.requestsTo('/ssf/mgmt/status', 'GET');
      const [renewed, renewing] = await answeredMeanwhile(statuses, () =>
        api.get(`${remote}/status`),
      );
      expect(renewed.status).toBe(200);
      expect(renewing).toEqual([401, 200]);
      expect(t.tokensIssued).toBe(2);
      // The new token is kept: the next call needs no other.
      expect((await api.get(`${remote}/status`)).status).toBe(200);
      expect(t.tokensIssued).toBe(2);

      // Expired on the transmitter's clock (RFC 6750 §3.1 invalid_token).
      t.advanceClock(61);
      const polls = () => t.requests.filter(r => r.path === '/poll');
      const [polled, pollsRenewing] = await answeredMeanwhile(polls, () =>
        api.post(pollNow),
      );
      expect(polled.body).toEqual({ received: 0, stored: 0, rejected: 0 });
      expect(pollsRenewing).toEqual([401, 200]);
      expect(t.tokensIssued).toBe(3);

      // Refused again after renewing: reported with the challenge, after
      // exactly one retry.
      t.refuseAllTokens = true;
      const challenge =
        'HTTP 401 (WWW-Authenticate: Bearer realm="strict-transmitter", error="invalid_token"';
      const [failed, retried] = await answeredMeanwhile(statuses, () =>
        api.get(`${remote}/status`),
      );
      expect(failed.status).toBe(502);
      expect(failed.body.errorCauses[0].errorSummary).toContain(challenge);
      expect(retried).toEqual([401, 401]);
      expect(t.tokensIssued).toBe(4);

      const [failedPoll, pollRetried] = await answeredMeanwhile(polls, () =>
        api.post(pollNow),
      );
      expect(failedPoll.body.error).toContain(challenge);
      expect(pollRetried).toEqual([401, 401]);
      expect(t.tokensIssued).toBe(5);
      const p = await api.get(provider);
      expect(p.body.remote_stream.last_poll_error).toContain('invalid_token');
      // Neither the client secret nor a token ever reaches an answer.
      const answers = JSON.stringify([failed.body, failedPoll.body, p.body]);
      expect(answers).not.toContain(t.clientSecret);
      expect(answers).not.toMatch(/Bearer [A-Za-z0-9_-]{20,}/);
    });

    it('reports a token endpoint that refuses the client, without the secret', async () => {
      const wrong = `${t.clientSecret}-wrong`;
      const { server } = await start(wrong);
      const { remote } = await addProvider(server);
      const res = await asAdmin(server).post(remote, {
        events_requested: [SESSION_REVOKED],
      });
      expect(res.status).toBe(502);
      // RFC 6749 §5.2: the token endpoint's error code is repeated.
      expect(res.body.errorCauses[0].errorSummary).toBe(
        `The token endpoint for ${t.issuer} answered HTTP 401 (invalid_client) without an access token`,
      );
      expect(JSON.stringify(res.body)).not.toContain(wrong);
      expect(t.requestsTo('/ssf/mgmt/stream')).toEqual([]);
    });

    it('refuses bad input and reports what a strict transmitter refuses', async () => {
      const { server } = await start();
      const api = asAdmin(server);
      const { provider, remote } = await addProvider(server);

      for (const body of [
        {},
        { events_requested: [] },
        { events_requested: ['urn:not-an-event'] },
        { events_requested: [SESSION_REVOKED], aud: 'mine' },
      ]) {
        const res = await api.post(remote, body);
        expect(res.status).toBe(400);
        expect(res.body.errorCode).toBe('E0000001');
      }
      // Nothing to read, change or delete before a stream exists.
      for (const res of [
        await api.get(`${remote}/status`),
        await api.patch(remote, { description: 'x' }),
        await api.delete(remote),
      ]) {
        expect(res.status).toBe(400);
        expect(res.body.errorCauses[0].errorSummary).toMatch(
          /no stream at its transmitter/,
        );
      }
      expect(t.requestsTo('/ssf/mgmt/stream')).toEqual([]);

      // A stream deleted at the transmitter meanwhile: reads are 502 with
      // its 404, and deleting clears the record.
      expect(
        (await api.post(remote, { events_requested: [SESSION_REVOKED] }))
          .status,
      ).toBe(201);
      t.streams.clear();
      const gone = await api.get(`${remote}/status`);
      expect(gone.status).toBe(502);
      expect(gone.body.errorCauses[0].errorSummary).toMatch(/HTTP 404/);
      expect((await api.delete(remote)).status).toBe(204);
      expect(
        (await api.get(provider)).body.remote_stream?.stream_id,
      ).toBeUndefined();
    });
  },
);
