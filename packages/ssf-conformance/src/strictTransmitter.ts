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

import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';

// A stand-in for a third-party SSF 1.0 transmitter that reads the
// specifications strictly. Every rule it enforces is written from the
// published text, cited beside it:
//   SSF 1.0  OpenID Shared Signals Framework Specification 1.0
//   RFC 6749 OAuth 2.0 (client credentials grant, §4.4)
//   RFC 6750 OAuth 2.0 Bearer Token Usage
//   RFC 8935 / RFC 8936 push and poll delivery of SETs
//   RFC 8417 Security Event Token
// Deliberate test-only deviation: it serves plain http on 127.0.0.1, where
// SSF 1.0 §7.1 asks for TLS on every endpoint.

const PUSH = 'urn:ietf:rfc:8935';
const POLL = 'urn:ietf:rfc:8936';
const VERIFICATION =
  'https://schemas.openid.net/secevent/ssf/event-type/verification';

/** The event types this transmitter supports (its `events_supported`). */
export const STRICT_EVENTS_SUPPORTED = [
  'https://schemas.openid.net/secevent/caep/event-type/session-revoked',
  'https://schemas.openid.net/secevent/caep/event-type/credential-change',
  'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
];

// SSF 1.0 §8.1.1: the members of a stream configuration the Receiver
// supplies; all others are Transmitter-Supplied.
const RECEIVER_SUPPLIED = ['events_requested', 'delivery', 'description'];
const TRANSMITTER_SUPPLIED = [
  'stream_id',
  'iss',
  'aud',
  'events_supported',
  'events_delivered',
  'min_verification_interval',
  'inactivity_timeout',
];

// RFC 6749 §4.4.3 / §5.1: the stand-in's access tokens live 60 seconds.
const TOKEN_LIFETIME_SECONDS = 60;

/** One stream at the stand-in, as SSF 1.0 §8.1.1 describes it. */
export interface StrictStream {
  stream_id: string;
  iss: string;
  aud: string | string[];
  delivery: { method: string; endpoint_url: string };
  events_supported: string[];
  events_requested: string[];
  events_delivered: string[];
  description?: string;
  min_verification_interval: number;
  /** SSF 1.0 §8.1.2. */
  status: 'enabled' | 'paused' | 'disabled';
  reason?: string;
  /** The OAuth client the stream belongs to (SSF 1.0 §8). */
  clientId: string;
  /** SETs waiting to be polled (RFC 8936), by jti. */
  pollQueue: Map<string, string>;
  /** SETs held while paused (SSF 1.0 §8.1.2.1). */
  held: string[];
}

/** A request the stand-in received (metadata, JWKS and token included). */
export interface StrictRequest {
  method: string;
  path: string;
  /** The query string as sent, with its `?`, or ''. */
  search: string;
  headers: http.IncomingHttpHeaders;
  body: any;
  /** The status the stand-in answered. */
  status: number;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
}

/**
 * A strict SSF 1.0 transmitter on 127.0.0.1: SSF metadata, JWKS, an OAuth
 * 2.0 token endpoint (client credentials, 60-second bearer tokens), the
 * stream management API, verification, and RFC 8936 poll endpoints whose
 * URLs carry a query string. Its clock can be moved forward and its tokens
 * revoked, so expired and stale tokens can be simulated without waiting.
 */
export class StrictTransmitter {
  readonly clientId = 'portal-receiver';
  readonly clientSecret: string = `s3cr3t ${randomBytes(12).toString(
    'base64url',
  )}`;
  readonly streams = new Map<string, StrictStream>();
  readonly requests: StrictRequest[] = [];
  /** Verification and other SETs it pushed (RFC 8935), with the answer. */
  readonly pushes: { url: string; status: number; body: string }[] = [];
  /** When true, every access token is refused, even a brand-new one. */
  refuseAllTokens = false;
  /** When true, aud is chosen as an array (RFC 7519 §4.1.3 allows both). */
  audAsArray = false;
  readonly #server: http.Server;
  readonly #tokens = new Map<string, IssuedToken>();
  #clockOffsetMs = 0;
  #key!: { kid: string; privateKey: KeyLike; publicJwk: JWK };

  private constructor(clientSecret?: string) {
    if (clientSecret !== undefined) this.clientSecret = clientSecret;
    this.#server = http.createServer((req, res) => this.#handle(req, res));
  }

  /**
   * Starts it on 127.0.0.1, on `port` (default: any free one). A fixed port
   * and client secret let a receiver be configured for it before it starts.
   */
  static async start(
    options: { port?: number; clientSecret?: string } = {},
  ): Promise<StrictTransmitter> {
    const t = new StrictTransmitter(options.clientSecret);
    // SSF 1.0 §4 and the CAEP interoperability profile: RS256 SETs.
    const { privateKey, publicKey } = await generateKeyPair('RS256', {
      modulusLength: 2048,
      extractable: true,
    });
    const kid = randomUUID();
    t.#key = {
      kid,
      privateKey,
      publicJwk: {
        ...(await exportJWK(publicKey)),
        kid,
        alg: 'RS256',
        use: 'sig',
      },
    };
    await new Promise<void>(resolve =>
      t.#server.listen(options.port ?? 0, '127.0.0.1', resolve),
    );
    return t;
  }

  get origin(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The issuer has a path, so the metadata URL uses SSF 1.0 §7.2 path insertion. */
  get issuer(): string {
    return `${this.origin}/ssf`;
  }

  get wellKnownUrl(): string {
    return `${this.origin}/.well-known/ssf-configuration/ssf`;
  }

  get tokenUrl(): string {
    return `${this.origin}/oauth2/token`;
  }

  /** Token requests answered with an access token. */
  get tokensIssued(): number {
    return this.#tokens.size;
  }

  /** The requests to one path (without query). */
  requestsTo(path: string, method?: string): StrictRequest[] {
    return this.requests.filter(
      r => r.path === path && (method === undefined || r.method === method),
    );
  }

  /** Moves the stand-in's clock forward (its tokens expire on its clock). */
  advanceClock(seconds: number): void {
    this.#clockOffsetMs += seconds * 1000;
  }

  /** Revokes every access token issued so far; new ones are valid. */
  revokeAllTokens(): void {
    for (const token of this.#tokens.values()) token.revoked = true;
  }

  /** Signs a SET for a stream: RS256, `typ: secevent+jwt` (SSF 1.0 §4.1.1). */
  async sign(
    stream: Pick<StrictStream, 'aud'>,
    claims: Record<string, unknown> = {},
  ): Promise<string> {
    return new SignJWT({
      iss: this.issuer,
      // SSF 1.0 §4.1.8 / §8.1.1: the stream's aud, which the transmitter chose.
      aud: stream.aud,
      jti: randomUUID(),
      // Real time, not the token clock: moving that clock only expires tokens.
      iat: Math.floor(Date.now() / 1000),
      sub_id: { format: 'email', email: 'alice@example.com' },
      events: {
        [STRICT_EVENTS_SUPPORTED[0]]: {
          event_timestamp: Math.floor(Date.now() / 1000),
        },
      },
      ...claims,
    })
      .setProtectedHeader({
        alg: 'RS256',
        kid: this.#key.kid,
        typ: 'secevent+jwt',
      })
      .sign(this.#key.privateKey);
  }

  /** Sends a SET over a stream by its delivery method. */
  async transmit(stream: StrictStream, set: string): Promise<void> {
    // SSF 1.0 §8.1.2.1: enabled transmits; paused holds; disabled drops.
    if (stream.status === 'disabled') return;
    if (stream.status === 'paused') {
      stream.held.push(set);
      return;
    }
    if (stream.delivery.method === POLL) {
      const jti = JSON.parse(
        Buffer.from(set.split('.')[1], 'base64url').toString(),
      ).jti;
      stream.pollQueue.set(jti, set);
      return;
    }
    // RFC 8935 §2: one SET per POST, Content-Type application/secevent+jwt.
    const response = await fetch(stream.delivery.endpoint_url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/secevent+jwt',
        Accept: 'application/json',
      },
      body: set,
    });
    this.pushes.push({
      url: stream.delivery.endpoint_url,
      status: response.status,
      body: await response.text(),
    });
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise(resolve => this.#server.close(resolve));
  }

  #now(): number {
    return Date.now() + this.#clockOffsetMs;
  }

  #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', this.origin);
      const raw = Buffer.concat(chunks).toString('utf8');
      const record: StrictRequest = {
        method: req.method ?? '',
        path: url.pathname,
        search: url.search,
        headers: req.headers,
        body: raw,
        status: 0,
      };
      this.requests.push(record);
      const answer = (
        status: number,
        body?: unknown,
        headers: Record<string, string> = {},
      ) => {
        record.status = status;
        res.writeHead(status, {
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          // SSF 1.0 §8.1.1.2 examples, RFC 6749 §5.1: no caching.
          'Cache-Control': 'no-store',
          ...headers,
        });
        res.end(body === undefined ? undefined : JSON.stringify(body));
      };
      this.#route(req, url, raw, record, answer).catch(error => {
        answer(500, { error: 'server_error', error_description: `${error}` });
      });
    });
  }

  async #route(
    req: http.IncomingMessage,
    url: URL,
    raw: string,
    record: StrictRequest,
    answer: (
      status: number,
      body?: unknown,
      headers?: Record<string, string>,
    ) => void,
  ): Promise<void> {
    const route = `${req.method} ${url.pathname}`;

    // SSF 1.0 §7.2: the metadata lives at the issuer's path with
    // /.well-known/ssf-configuration inserted after the host; §7.2.2 answers
    // 200 application/json.
    if (route === 'GET /.well-known/ssf-configuration/ssf') {
      answer(200, {
        spec_version: '1_0',
        issuer: this.issuer,
        jwks_uri: `${this.issuer}/jwks.json`,
        delivery_methods_supported: [PUSH, POLL],
        configuration_endpoint: `${this.issuer}/mgmt/stream`,
        status_endpoint: `${this.issuer}/mgmt/status`,
        verification_endpoint: `${this.issuer}/mgmt/verification`,
        // SSF 1.0 §7.1.1: the stream API (and the poll endpoint) take OAuth.
        authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
      });
      return;
    }
    if (route === 'GET /ssf/jwks.json') {
      // RFC 7517 §5: a JWK Set.
      answer(200, { keys: [this.#key.publicJwk] });
      return;
    }
    if (url.pathname === '/oauth2/token') {
      this.#token(req, raw, answer);
      return;
    }

    // Everything else needs a valid access token: SSF 1.0 §8 (the stream
    // API MUST use HTTP authorization) and §7.1.1 (the poll endpoint SHOULD
    // use the same schemes).
    const clientId = this.#authenticate(req, answer);
    if (!clientId) return;

    let body: any = undefined;
    if (raw.length) {
      try {
        body = JSON.parse(raw);
      } catch {
        // SSF 1.0 §8.1.1.1 ff.: 400 if the request cannot be parsed.
        answer(400, {
          error: 'invalid_request',
          error_description: 'The body is not JSON',
        });
        return;
      }
    }
    record.body = body;

    if (url.pathname === '/poll') {
      this.#poll(clientId, url, body, answer);
      return;
    }
    switch (route) {
      case 'POST /ssf/mgmt/stream':
        this.#create(clientId, body, answer);
        return;
      case 'GET /ssf/mgmt/stream':
        this.#read(clientId, url, answer);
        return;
      case 'PATCH /ssf/mgmt/stream':
        this.#update(clientId, body, answer);
        return;
      case 'DELETE /ssf/mgmt/stream':
        this.#delete(clientId, url, answer);
        return;
      case 'GET /ssf/mgmt/status':
        this.#readStatus(clientId, url, answer);
        return;
      case 'POST /ssf/mgmt/status':
        await this.#updateStatus(clientId, body, answer);
        return;
      case 'POST /ssf/mgmt/verification':
        this.#verify(clientId, body, answer);
        return;
      default:
        answer(404, { error: 'not_found' });
    }
  }

  #token(
    req: http.IncomingMessage,
    raw: string,
    answer: (s: number, b?: unknown, h?: Record<string, string>) => void,
  ) {
    // RFC 6749 §3.2: the token endpoint takes POST only.
    if (req.method !== 'POST') {
      answer(405, undefined, { Allow: 'POST' });
      return;
    }
    // RFC 6749 §4.4.2: parameters in application/x-www-form-urlencoded.
    if (
      !(req.headers['content-type'] ?? '').startsWith(
        'application/x-www-form-urlencoded',
      )
    ) {
      answer(400, { error: 'invalid_request' });
      return;
    }
    const form = new URLSearchParams(raw);
    // RFC 6749 §2.3.1: client_id and client_secret, each form-encoded, in
    // HTTP Basic; §5.2: a failed client authentication is 401
    // invalid_client with a WWW-Authenticate challenge for the scheme used.
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const [id, secret] = basic
      ? Buffer.from(basic[1], 'base64')
          .toString('utf8')
          .split(':')
          .map(part => decodeURIComponent(part.replace(/\+/g, ' ')))
      : [];
    if (id !== this.clientId || secret !== this.clientSecret) {
      answer(401, { error: 'invalid_client' }, { 'WWW-Authenticate': 'Basic' });
      return;
    }
    // RFC 6749 §4.4.2: grant_type MUST be client_credentials; §5.2
    // unsupported_grant_type otherwise.
    if (form.get('grant_type') !== 'client_credentials') {
      answer(400, { error: 'unsupported_grant_type' });
      return;
    }
    const accessToken = randomBytes(24).toString('base64url');
    this.#tokens.set(accessToken, {
      clientId: id,
      expiresAt: this.#now() + TOKEN_LIFETIME_SECONDS * 1000,
      revoked: false,
    });
    // RFC 6749 §4.4.3 and §5.1: access_token, token_type, expires_in; no
    // refresh token for this grant.
    answer(200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
    });
  }

  /** The client behind a valid bearer token, or undefined after a 401. */
  #authenticate(
    req: http.IncomingMessage,
    answer: (s: number, b?: unknown, h?: Record<string, string>) => void,
  ): string | undefined {
    // RFC 6750 §2.1: Authorization: Bearer <token>.
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) {
      // RFC 6750 §3.1: no error code when the request has no credentials.
      answer(401, undefined, {
        'WWW-Authenticate': 'Bearer realm="strict-transmitter"',
      });
      return undefined;
    }
    const token = this.#tokens.get(match[1]);
    if (
      !token ||
      token.revoked ||
      this.refuseAllTokens ||
      token.expiresAt <= this.#now()
    ) {
      // RFC 6750 §3 and §3.1: 401 with error="invalid_token" for an
      // expired, revoked or otherwise invalid access token.
      answer(401, undefined, {
        'WWW-Authenticate':
          'Bearer realm="strict-transmitter", error="invalid_token", error_description="The access token expired or was revoked"',
      });
      return undefined;
    }
    return token.clientId;
  }

  #create(
    clientId: string,
    body: any,
    answer: (s: number, b?: unknown) => void,
  ) {
    if (!isObject(body)) {
      answer(400, bad('The request must be a JSON object'));
      return;
    }
    // SSF 1.0 §8.1.1.1: "The HTTP POST request MAY contain the
    // Receiver-Supplied values" (events_requested, delivery, description):
    // this transmitter refuses anything else, Transmitter-Supplied members
    // (§8.1.1: stream_id, iss, aud, events_supported, events_delivered,
    // min_verification_interval, inactivity_timeout) above all.
    const foreign = Object.keys(body).filter(
      k => !RECEIVER_SUPPLIED.includes(k),
    );
    if (foreign.length) {
      answer(
        400,
        bad(
          `Not Receiver-Supplied (SSF 1.0 §8.1.1): ${foreign.join(', ')}${
            foreign.some(k => TRANSMITTER_SUPPLIED.includes(k))
              ? ' (Transmitter-Supplied)'
              : ''
          }`,
        ),
      );
      return;
    }
    // SSF 1.0 §8.1.1.1: one stream per Receiver here, so a second is 409.
    if ([...this.streams.values()].some(s => s.clientId === clientId)) {
      answer(409, bad('This receiver already has a stream'));
      return;
    }
    const requested = checkEvents(body.events_requested);
    if (typeof requested === 'string') {
      answer(400, bad(requested));
      return;
    }
    if (
      body.description !== undefined &&
      typeof body.description !== 'string'
    ) {
      answer(400, bad('description must be a string'));
      return;
    }
    const streamId = randomBytes(16).toString('hex');
    // SSF 1.0 §8.1.1.1: no delivery means poll.
    const delivery = body.delivery ?? { method: POLL };
    let endpointUrl: string;
    if (!isObject(delivery) || typeof delivery.method !== 'string') {
      answer(400, bad('delivery must be an object with a method'));
      return;
    }
    if (delivery.method === POLL) {
      // SSF 1.0 §6.1.2 and §8.1.1.1: for poll the endpoint_url is the
      // Transmitter's ("specified by the Transmitter"), unique per stream.
      if (delivery.endpoint_url !== undefined) {
        answer(
          400,
          bad('delivery.endpoint_url is supplied by the Transmitter for poll'),
        );
        return;
      }
      // The stream is named in the query string, which a receiver must keep.
      endpointUrl = `${this.origin}/poll?stream=${streamId}&tenant=1`;
    } else if (delivery.method === PUSH) {
      // SSF 1.0 §6.1.1: for push the Receiver sets endpoint_url.
      if (
        typeof delivery.endpoint_url !== 'string' ||
        !isHttpUrl(delivery.endpoint_url)
      ) {
        answer(400, bad('delivery.endpoint_url is required for push'));
        return;
      }
      endpointUrl = delivery.endpoint_url;
    } else {
      // SSF 1.0 §8.1.1.1: an unsupported delivery method MAY be 400.
      answer(400, bad(`Unsupported delivery method ${delivery.method}`));
      return;
    }
    const stream: StrictStream = {
      stream_id: streamId,
      iss: this.issuer,
      // SSF 1.0 §8.1.1: aud is Transmitter-Supplied; this one names the
      // receiver by its client, not by anything the receiver proposed.
      aud: this.audAsArray
        ? [`urn:strict-transmitter:receiver:${clientId}`, `${clientId}.web`]
        : `urn:strict-transmitter:receiver:${clientId}`,
      delivery: { method: delivery.method, endpoint_url: endpointUrl },
      events_supported: STRICT_EVENTS_SUPPORTED,
      events_requested: requested ?? [],
      events_delivered: [],
      ...(body.description !== undefined && {
        description: body.description,
      }),
      min_verification_interval: 0,
      status: 'enabled',
      clientId,
      pollQueue: new Map(),
      held: [],
    };
    stream.events_delivered = delivered(stream);
    this.streams.set(streamId, stream);
    // SSF 1.0 §8.1.1.1: 201 with the stream's configuration.
    answer(201, configurationOf(stream));
  }

  #owned(clientId: string, streamId: unknown): StrictStream | undefined {
    const stream =
      typeof streamId === 'string' ? this.streams.get(streamId) : undefined;
    // SSF 1.0 §8: a receiver reaches only its own streams.
    return stream?.clientId === clientId ? stream : undefined;
  }

  #read(clientId: string, url: URL, answer: (s: number, b?: unknown) => void) {
    const streamId = url.searchParams.get('stream_id');
    // SSF 1.0 §8.1.1.2: without stream_id, the list (possibly empty).
    if (streamId === null) {
      answer(
        200,
        [...this.streams.values()]
          .filter(s => s.clientId === clientId)
          .map(configurationOf),
      );
      return;
    }
    const stream = this.#owned(clientId, streamId);
    // SSF 1.0 §8.1.1.2: 404 for a stream this receiver does not have.
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    answer(200, configurationOf(stream));
  }

  #update(
    clientId: string,
    body: any,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §8.1.1.3: stream_id MUST be present.
    if (!isObject(body) || typeof body.stream_id !== 'string') {
      answer(400, bad('stream_id is required'));
      return;
    }
    const stream = this.#owned(clientId, body.stream_id);
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    const current = configurationOf(stream);
    for (const key of Object.keys(body)) {
      if (key === 'stream_id' || RECEIVER_SUPPLIED.includes(key)) continue;
      // SSF 1.0 §8.1.1.3: Transmitter-Supplied members MAY be present but
      // MUST match; anything else makes the request invalid (400).
      if (
        !TRANSMITTER_SUPPLIED.includes(key) ||
        JSON.stringify(body[key]) !==
          JSON.stringify((current as Record<string, unknown>)[key])
      ) {
        answer(400, bad(`${key} cannot be changed`));
        return;
      }
    }
    const requested = checkEvents(body.events_requested);
    if (typeof requested === 'string') {
      answer(400, bad(requested));
      return;
    }
    if (
      body.description !== undefined &&
      typeof body.description !== 'string'
    ) {
      answer(400, bad('description must be a string'));
      return;
    }
    if (
      body.delivery !== undefined &&
      (!isObject(body.delivery) ||
        body.delivery.method !== stream.delivery.method)
    ) {
      answer(400, bad('The delivery method cannot be changed'));
      return;
    }
    // SSF 1.0 §8.1.1.3: present Receiver-Supplied members are updated,
    // absent ones left alone; events_delivered follows.
    if (requested !== undefined) stream.events_requested = requested;
    if (body.description !== undefined) stream.description = body.description;
    if (
      body.delivery?.endpoint_url !== undefined &&
      stream.delivery.method === PUSH
    ) {
      stream.delivery.endpoint_url = body.delivery.endpoint_url;
    }
    stream.events_delivered = delivered(stream);
    answer(200, configurationOf(stream));
  }

  #delete(
    clientId: string,
    url: URL,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §8.1.1.5: stream_id MUST be given as a query parameter.
    const streamId = url.searchParams.get('stream_id');
    if (streamId === null) {
      answer(400, bad('stream_id is required'));
      return;
    }
    const stream = this.#owned(clientId, streamId);
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    this.streams.delete(streamId);
    // SSF 1.0 §8.1.1.5: 204 No Content.
    answer(204);
  }

  #readStatus(
    clientId: string,
    url: URL,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §8.1.2.1: stream_id is REQUIRED.
    const streamId = url.searchParams.get('stream_id');
    if (streamId === null) {
      answer(400, bad('stream_id is required'));
      return;
    }
    const stream = this.#owned(clientId, streamId);
    // SSF 1.0 §8.1.2.1: 404 for a stream that does not exist.
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    answer(200, statusOf(stream));
  }

  async #updateStatus(
    clientId: string,
    body: any,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §8.1.2.2: stream_id and status REQUIRED, reason OPTIONAL;
    // status is enabled, paused or disabled (§8.1.2.1).
    if (
      !isObject(body) ||
      typeof body.stream_id !== 'string' ||
      !['enabled', 'paused', 'disabled'].includes(body.status) ||
      (body.reason !== undefined && typeof body.reason !== 'string')
    ) {
      answer(400, bad('stream_id and a valid status are required'));
      return;
    }
    const stream = this.#owned(clientId, body.stream_id);
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    stream.status = body.status;
    stream.reason = body.reason;
    // SSF 1.0 §8.1.2.2: 200 with the updated status.
    answer(200, statusOf(stream));
    if (stream.status === 'enabled') {
      // SSF 1.0 §8.1.2.1: held events go out once enabled again.
      for (const set of stream.held.splice(0)) await this.transmit(stream, set);
    } else if (stream.status === 'disabled') {
      stream.held = [];
    }
  }

  #verify(
    clientId: string,
    body: any,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §8.1.4.2: stream_id REQUIRED, state OPTIONAL.
    if (
      !isObject(body) ||
      typeof body.stream_id !== 'string' ||
      (body.state !== undefined && typeof body.state !== 'string')
    ) {
      answer(400, bad('stream_id is required'));
      return;
    }
    const stream = this.#owned(clientId, body.stream_id);
    if (!stream) {
      answer(404, bad('No such stream'));
      return;
    }
    // SSF 1.0 §8.1.4.2: 204, the event may follow asynchronously.
    answer(204);
    setImmediate(async () => {
      // SSF 1.0 §8.1.4.1: sub_id is opaque with the stream id; the state is
      // echoed back.
      const set = await this.sign(stream, {
        sub_id: { format: 'opaque', id: stream.stream_id },
        events: {
          [VERIFICATION]: body.state !== undefined ? { state: body.state } : {},
        },
      });
      await this.transmit(stream, set).catch(() => {});
    });
  }

  #poll(
    clientId: string,
    url: URL,
    body: any,
    answer: (s: number, b?: unknown) => void,
  ) {
    // SSF 1.0 §6.1.2: the poll URL is the stream's own; the stream is named
    // by its query, so a URL without it (or with another) is not found.
    const stream = this.#owned(clientId, url.searchParams.get('stream'));
    if (!stream || url.searchParams.get('tenant') !== '1') {
      answer(404, bad('No such poll endpoint'));
      return;
    }
    const request = body ?? {};
    // RFC 8936 §2.4: maxEvents (non-negative integer), returnImmediately
    // (boolean), ack (array of jti), setErrs (jti → {err, description}).
    if (
      !isObject(request) ||
      (request.maxEvents !== undefined &&
        !(Number.isInteger(request.maxEvents) && request.maxEvents >= 0)) ||
      (request.returnImmediately !== undefined &&
        typeof request.returnImmediately !== 'boolean') ||
      (request.ack !== undefined &&
        !(
          Array.isArray(request.ack) &&
          request.ack.every((j: unknown) => typeof j === 'string')
        )) ||
      (request.setErrs !== undefined &&
        !(
          isObject(request.setErrs) &&
          Object.values(request.setErrs).every(
            e => isObject(e) && typeof e.err === 'string',
          )
        ))
    ) {
      answer(400, { err: 'invalid_request', description: 'Bad poll request' });
      return;
    }
    for (const jti of request.ack ?? []) stream.pollQueue.delete(jti);
    for (const jti of Object.keys(request.setErrs ?? {})) {
      stream.pollQueue.delete(jti);
    }
    const max = request.maxEvents ?? 100;
    const sets = Object.fromEntries([...stream.pollQueue].slice(0, max));
    // RFC 8936 §2.5: {sets, moreAvailable}; sets always present.
    answer(200, {
      sets,
      moreAvailable: stream.pollQueue.size > Object.keys(sets).length,
    });
  }
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isHttpUrl(v: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

function bad(description: string) {
  return { error: 'invalid_request', error_description: description };
}

/** An events_requested value: undefined, the array, or why it is wrong. */
function checkEvents(value: unknown): string[] | undefined | string {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    return 'events_requested must be an array of strings';
  }
  return value;
}

/** SSF 1.0 §8.1.1: a subset of events_supported ∩ events_requested. */
function delivered(stream: StrictStream): string[] {
  return stream.events_requested.filter(e =>
    stream.events_supported.includes(e),
  );
}

/** The stream configuration as SSF 1.0 §8.1.1 shows it. */
function configurationOf(stream: StrictStream) {
  return {
    stream_id: stream.stream_id,
    iss: stream.iss,
    aud: stream.aud,
    delivery: stream.delivery,
    events_supported: stream.events_supported,
    events_requested: stream.events_requested,
    events_delivered: stream.events_delivered,
    ...(stream.description !== undefined && {
      description: stream.description,
    }),
    min_verification_interval: stream.min_verification_interval,
  };
}

/** SSF 1.0 §8.1.2.1: stream_id, status, reason. */
function statusOf(stream: StrictStream) {
  return {
    stream_id: stream.stream_id,
    status: stream.status,
    ...(stream.reason !== undefined && { reason: stream.reason }),
  };
}
