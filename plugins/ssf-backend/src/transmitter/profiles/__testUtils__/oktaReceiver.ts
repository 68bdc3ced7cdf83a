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

import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  JWTPayload,
} from 'jose';
import http from 'node:http';
import { AddressInfo } from 'node:net';

// A stand-in for Okta's SSF receiver, written from Okta's published rules,
// not from this plugin's code. Sources:
// [API]  Okta "SSF Security Event Tokens" API, operation "Publish a Security
//        Event Token": POST {yourOktaDomain}/security/api/v1/security-events,
//        request body application/secevent+jwt, 202 on success, 400 with a
//        SecurityEventTokenError {err, description} otherwise
//        (developer.okta.com/docs/api/openapi/okta-management/management/tag/SSFSecurityEventToken/).
// [HDR]  schema SecurityEventTokenRequestJwtHeader: alg, kid, typ required.
// [BODY] schema SecurityEventTokenRequestJwtBody: iss (string), aud (string),
//        jti (string), iat (integer), events (a non-empty collection) required.
// [EVT]  schema SecurityEventTokenRequestJwtEvents: the event types Okta ingests.
// [SUBJ] schema SecurityEventSubject: the event's subject, with user and/or device.
// [SCH]  the per-event schemas CaepSessionRevokedEvent,
//        CaepDeviceComplianceChangeEvent, RiscIdentifierChangedEvent,
//        OktaUserRiskChangeEvent, OktaDeviceRiskChangeEvent, OktaIpChangeEvent:
//        event_timestamp (integer) and subject required in every one; their
//        own required members and enums as quoted below.
// [SEP]  the provider API (Okta's Security Events Providers API): the provider is
//        registered with its issuer and JWKS URL, against which Okta verifies.
// [RS]   RS256: the CAEP interoperability profile 1.0, "Event Signatures"
//        ("All events MUST be signed using the RS256 algorithm"), which Okta's
//        receiver implements.

const CAEP = 'https://schemas.openid.net/secevent/caep/event-type/';
const RISC = 'https://schemas.openid.net/secevent/risc/event-type/';
const OKTA = 'https://schemas.okta.com/secevent/okta/event-type/';

const LEVELS = ['low', 'medium', 'high', 'secure', 'none']; // [SCH] risk level enum
const INITIATING = ['admin', 'user', 'policy', 'system']; // [SCH] initiating_entity enum
const COMPLIANCE = ['compliant', 'not-compliant']; // [SCH] device compliance status

type Check = (event: Record<string, unknown>) => string | undefined;

const required =
  (...members: string[]): Check =>
  event =>
    members
      .filter(m => typeof event[m] !== 'string' || event[m] === '')
      .map(m => `${m} is required`)[0];
const oneOf =
  (member: string, values: string[]): Check =>
  event =>
    event[member] !== undefined && !values.includes(String(event[member]))
      ? `${member} must be one of ${values.join(', ')}`
      : undefined;
// [SCH] OktaDeviceRiskChangeEvent: "Either reason_admin or reason_user is required."
const aReason: Check = event =>
  event.reason_admin === undefined && event.reason_user === undefined
    ? 'Either reason_admin or reason_user is required'
    : undefined;

// [EVT] the event types Okta ingests, each with its schema's own rules [SCH].
const EVENT_RULES: Record<string, Check[]> = {
  [`${CAEP}session-revoked`]: [],
  [`${CAEP}device-compliance-change`]: [
    required('current_status', 'previous_status'),
    oneOf('current_status', COMPLIANCE),
    oneOf('previous_status', COMPLIANCE),
  ],
  [`${RISC}identifier-changed`]: [
    e =>
      e.new_value !== undefined && typeof e.new_value !== 'string'
        ? 'new_value must be a string'
        : undefined,
  ],
  [`${OKTA}user-risk-change`]: [
    required('current_level', 'previous_level'),
    oneOf('current_level', LEVELS),
    oneOf('previous_level', LEVELS),
  ],
  [`${OKTA}device-risk-change`]: [
    required('current_level', 'previous_level'),
    oneOf('current_level', LEVELS),
    oneOf('previous_level', LEVELS),
    aReason,
  ],
  [`${OKTA}ip-change`]: [required('current_ip_address', 'previous_ip_address')],
};

/** One SET the stand-in was sent, and what it said. */
export interface OktaAnswer {
  status: number;
  err?: string;
  description?: string;
  payload?: JWTPayload;
}

/**
 * Starts an Okta-rules SSF receiver on 127.0.0.1 that trusts one provider
 * (issuer + JWKS URL, [SEP]). Its org URL is its own origin.
 */
export async function startOktaReceiver(provider: {
  issuer: string;
  jwksUrl: string;
}) {
  const jwks = createRemoteJWKSet(new URL(provider.jwksUrl));
  const answers: OktaAnswer[] = [];
  let orgUrl = '';

  async function judge(
    contentType: string | undefined,
    body: string,
  ): Promise<OktaAnswer> {
    const refuse = (err: string, description: string): OktaAnswer => ({
      status: 400,
      err,
      description,
    });
    // [API] request body application/secevent+jwt
    if (contentType?.split(';')[0].trim() !== 'application/secevent+jwt') {
      return refuse(
        'invalid_request',
        'Content-Type must be application/secevent+jwt',
      );
    }
    let header: Record<string, unknown>;
    try {
      header = decodeProtectedHeader(body) as Record<string, unknown>;
    } catch {
      return refuse(
        'invalid_request',
        'Invalid payload in security event token, cannot convert to json',
      );
    }
    // [HDR] alg, kid and typ are required
    for (const member of ['alg', 'kid', 'typ']) {
      if (typeof header[member] !== 'string') {
        return refuse('invalid_request', `The SET header needs ${member}`);
      }
    }
    if (header.typ !== 'secevent+jwt') {
      return refuse('invalid_request', 'typ must be secevent+jwt');
    }
    // [RS]
    if (header.alg !== 'RS256') {
      return refuse('invalid_key', 'Only RS256 signed SETs are accepted');
    }
    let payload: JWTPayload;
    try {
      // [SEP] verified with the provider's keys, as issued by its issuer.
      ({ payload } = await jwtVerify(body, jwks, {
        algorithms: ['RS256'],
        issuer: provider.issuer,
      }));
    } catch (error) {
      return refuse(
        'authentication_failed',
        `Signature or issuer check failed: ${error}`,
      );
    }
    // [BODY] aud is a string: this org.
    if (typeof payload.aud !== 'string') {
      return refuse(
        'invalid_audience',
        'aud must be a string, the Okta org URL',
      );
    }
    if (payload.aud.replace(/\/+$/, '') !== orgUrl) {
      return refuse('invalid_audience', `aud must be ${orgUrl}`);
    }
    // [BODY] jti string, iat integer, events non-empty
    if (typeof payload.jti !== 'string' || !payload.jti) {
      return refuse('invalid_request', 'jti is required');
    }
    if (!Number.isInteger(payload.iat)) {
      return refuse('invalid_request', 'iat must be an integer');
    }
    const events = payload.events as Record<string, Record<string, unknown>>;
    if (!events || typeof events !== 'object' || !Object.keys(events).length) {
      return refuse('invalid_request', 'events must be a non-empty collection');
    }
    for (const [type, event] of Object.entries(events)) {
      const rules = EVENT_RULES[type];
      // [EVT]
      if (!rules) {
        return refuse('invalid_request', `Event type ${type} is not supported`);
      }
      // [SCH] event_timestamp is required in every event schema
      if (!Number.isInteger(event?.event_timestamp)) {
        return refuse('invalid_request', `${type}: eventTimestamp is required`);
      }
      // [SUBJ] subject with user and/or device
      const subject = event.subject as Record<string, unknown> | undefined;
      if (
        !subject ||
        typeof subject !== 'object' ||
        (typeof subject.user !== 'object' && typeof subject.device !== 'object')
      ) {
        return refuse('invalid_request', `${type}: subject is required`);
      }
      // [SCH] initiating_entity enum, where present
      const problems = [oneOf('initiating_entity', INITIATING), ...rules]
        .map(check => check(event))
        .filter(Boolean);
      if (problems.length) {
        return refuse('invalid_request', `${type}: ${problems.join('; ')}`);
      }
    }
    return { status: 202, payload };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', async () => {
      if (
        req.method !== 'POST' ||
        req.url !== '/security/api/v1/security-events'
      ) {
        res.writeHead(404).end();
        return;
      }
      const answer = await judge(
        req.headers['content-type'],
        Buffer.concat(chunks).toString('utf8'),
      );
      answers.push(answer);
      if (answer.status === 202) {
        res.writeHead(202).end();
        return;
      }
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({ err: answer.err, description: answer.description }),
      );
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  orgUrl = `http://127.0.0.1:${port}`;
  return {
    orgUrl,
    endpointUrl: `${orgUrl}/security/api/v1/security-events`,
    answers,
    /** Judges a SET as Okta would, without it being pushed. */
    judge: (jws: string) => judge('application/secevent+jwt', jws),
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
