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
  CAEP_EVENT_TYPES,
  DELIVERY_METHODS,
  OKTA_EVENT_TYPES,
  RISC_EVENT_TYPES,
  STANDARD_EVENT_TYPES,
  SUBSCRIBABLE_EVENT_TYPES,
  TransmitterMetadata,
} from '@shared-signals/plugin-ssf-common';
import {
  AdminStream,
  HookFiring,
  LifecycleHook,
  LifecycleStatus,
  ReceiverProfile,
  SsfApi,
  StreamSet,
} from '../api';
import {
  ReceivedSecurityEvent,
  SecurityEventsProvider,
} from '@shared-signals/plugin-ssf-common';
import { SsfRequestError } from '../api/errors';

export const BASE_URL = 'http://localhost:7007/api/ssf';

export const metadata: TransmitterMetadata = {
  spec_version: '1_0',
  issuer: BASE_URL,
  jwks_uri: `${BASE_URL}/jwks`,
  delivery_methods_supported: [DELIVERY_METHODS.push, DELIVERY_METHODS.poll],
  configuration_endpoint: `${BASE_URL}/streams`,
  status_endpoint: `${BASE_URL}/streams/status`,
  verification_endpoint: `${BASE_URL}/streams/verify`,
  add_subject_endpoint: `${BASE_URL}/subjects:add`,
  remove_subject_endpoint: `${BASE_URL}/subjects:remove`,
  authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
  default_subjects: 'ALL',
};

export function adminStream(overrides: Partial<AdminStream> = {}): AdminStream {
  return {
    stream_id: 'stream-1',
    client_id: 'receiver-a',
    iss: BASE_URL,
    aud: 'receiver-a',
    events_supported: [...SUBSCRIBABLE_EVENT_TYPES],
    events_requested: [CAEP_EVENT_TYPES.sessionRevoked],
    events_delivered: [CAEP_EVENT_TYPES.sessionRevoked],
    delivery: {
      method: DELIVERY_METHODS.push,
      endpoint_url: 'https://receiver-a.example.com/events',
    },
    description: 'Receiver A',
    min_verification_interval: 30,
    status: 'enabled',
    created_at: '2026-11-01T10:00:00.000Z',
    updated_at: '2026-11-02T10:00:00.000Z',
    stats: { pending: 2, held: 0, delivered: 40, dead: 1, dropped: 0 },
    ...overrides,
  };
}

/** The event types Okta's "SSF Security Event Tokens" API ingests. */
export const OKTA_INGESTED = [
  CAEP_EVENT_TYPES.sessionRevoked,
  CAEP_EVENT_TYPES.deviceComplianceChange,
  RISC_EVENT_TYPES.identifierChanged,
  OKTA_EVENT_TYPES.userRiskChange,
  OKTA_EVENT_TYPES.deviceRiskChange,
  OKTA_EVENT_TYPES.ipChange,
];

/**
 * What `GET /receiver-profiles` lists: the two built-in profiles, and one a
 * module added (with a vendor event type no family here knows).
 */
export const receiverProfiles: ReceiverProfile[] = [
  {
    id: 'ssf',
    title: 'SSF 1.0 receiver',
    description:
      'Any receiver that follows the Shared Signals Framework 1.0: it creates and manages its stream through the stream API.',
    events_supported: [...STANDARD_EVENT_TYPES],
    accepts_stream_events: true,
  },
  {
    id: 'okta',
    title: 'Okta Identity Threat Protection',
    description:
      'An Okta org that registered this portal as a Security Events Provider; SETs are pushed to the org and shaped as Okta reads them.',
    events_supported: OKTA_INGESTED,
    signing_algorithms: ['RS256'],
    accepts_stream_events: false,
  },
  {
    id: 'acme-xdr',
    title: 'Acme XDR',
    events_supported: [
      CAEP_EVENT_TYPES.sessionRevoked,
      'https://schemas.acme.example/secevent/host-isolated',
    ],
    accepts_stream_events: true,
  },
];

function base64url(value: unknown): string {
  return btoa(JSON.stringify(value))
    .replace(/=+$/, '')
    .replace(/\+/g, '-')
    .replace(/\//g, '_');
}

/** A SET in compact form; the signature is a placeholder. */
export function compactSet(claims: Record<string, unknown>): string {
  return `${base64url({
    alg: 'RS256',
    kid: 'key-1',
    typ: 'secevent+jwt',
  })}.${base64url(claims)}.c2ln`;
}

export function streamSet(overrides: Partial<StreamSet> = {}): StreamSet {
  return {
    jti: 'set-1',
    event_type: CAEP_EVENT_TYPES.sessionRevoked,
    txn: 'txn-1',
    state: 'dead',
    attempts: 5,
    created_at: '2026-11-02T11:00:00.000Z',
    last_error: 'receiver answered 400 invalid_request',
    set: compactSet({
      iss: BASE_URL,
      jti: 'set-1',
      aud: 'receiver-a',
      events: { [CAEP_EVENT_TYPES.sessionRevoked]: {} },
    }),
    ...overrides,
  };
}

/** An SsfApi whose every method is a jest mock that rejects until set up. */
export function mockSsfApi(
  overrides: Partial<SsfApi> = {},
): jest.Mocked<SsfApi> {
  const notSetUp = (name: string) =>
    jest.fn(async () => {
      throw new Error(`${name} was not expected in this test`);
    });
  const api = {
    getTransmitterMetadata: notSetUp('getTransmitterMetadata'),
    getJwks: notSetUp('getJwks'),
    getSecurityPosture: jest.fn(async () => ({
      permissions_enabled: true,
      admin_groups: ['group:default/ssf-admins'],
      caller: { in_admin_groups: true, may_manage: true },
      warnings: [],
    })),
    listStreams: notSetUp('listStreams'),
    listReceiverProfiles: notSetUp('listReceiverProfiles'),
    createStream: notSetUp('createStream'),
    updateStream: notSetUp('updateStream'),
    deleteStream: notSetUp('deleteStream'),
    setStreamStatus: notSetUp('setStreamStatus'),
    verifyStream: notSetUp('verifyStream'),
    listStreamSets: notSetUp('listStreamSets'),
    redeliverStreamSets: notSetUp('redeliverStreamSets'),
    getStreamHistory: notSetUp('getStreamHistory'),
    listProviders: notSetUp('listProviders'),
    createProvider: notSetUp('createProvider'),
    replaceProvider: notSetUp('replaceProvider'),
    deleteProvider: notSetUp('deleteProvider'),
    setProviderActive: notSetUp('setProviderActive'),
    listReceivedEvents: notSetUp('listReceivedEvents'),
    getReceivedEvent: notSetUp('getReceivedEvent'),
    getProviderHistory: notSetUp('getProviderHistory'),
    listHooks: notSetUp('listHooks'),
    getHook: notSetUp('getHook'),
    createHook: notSetUp('createHook'),
    replaceHook: notSetUp('replaceHook'),
    setHookEnabled: notSetUp('setHookEnabled'),
    deleteHook: notSetUp('deleteHook'),
    dryRunHooks: notSetUp('dryRunHooks'),
    listHookFirings: notSetUp('listHookFirings'),
    getLifecycleStatus: notSetUp('getLifecycleStatus'),
    reconcileLifecycle: notSetUp('reconcileLifecycle'),
    // A provider's detail page always reads its relay rule: by default it
    // relays nothing, so tests about other sections need not set it up.
    getProviderRelay: jest.fn(async () => ({
      event_types: [],
      relayable_event_types: [],
    })),
    setProviderRelay: notSetUp('setProviderRelay'),
    getPersonSignals: notSetUp('getPersonSignals'),
  } as unknown as jest.Mocked<SsfApi>;
  for (const [key, fn] of Object.entries(overrides)) {
    (api as any)[key] = jest.fn(fn as any);
  }
  return api;
}

/**
 * An SsfApi method that rejects as the client does when the backend
 * refuses: with the backend's `message` and the response's `status`.
 */
export function failsWith(message: string, status: number) {
  return async (): Promise<never> => {
    throw new SsfRequestError(message, status);
  };
}

export function provider(
  overrides: Partial<SecurityEventsProvider> = {},
): SecurityEventsProvider {
  return {
    id: 'sse1abc',
    name: 'Okta',
    type: 'SSF',
    status: 'ACTIVE',
    settings: {
      issuer: 'https://okta.example.com',
      jwks_url: 'https://okta.example.com/oauth2/v1/keys',
      well_known_url: 'https://okta.example.com/.well-known/ssf-configuration',
    },
    _links: {
      self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      deactivate: { hints: { allow: ['POST'] } },
    },
    remote_stream: { last_verified_at: '2026-11-02T09:00:00.000Z' },
    ...overrides,
  };
}

export function receivedEvent(
  overrides: Partial<ReceivedSecurityEvent> = {},
): ReceivedSecurityEvent {
  return {
    id: '41',
    provider_id: 'sse1abc',
    iss: 'https://okta.example.com',
    jti: 'jti-41',
    event_type: CAEP_EVENT_TYPES.sessionRevoked,
    event_types: [CAEP_EVENT_TYPES.sessionRevoked],
    subject: { format: 'email', value: 'alice@example.com' },
    iat: '2026-11-02T08:59:00.000Z',
    received_at: '2026-11-02T09:00:00.000Z',
    delivery_method: DELIVERY_METHODS.push,
    events: { [CAEP_EVENT_TYPES.sessionRevoked]: {} },
    ...overrides,
  };
}

export const LIFECYCLE_PATH = 'metadata.annotations["ssf.io/lifecycle"]';

export function hook(overrides: Partial<LifecycleHook> = {}): LifecycleHook {
  return {
    id: 'hook_1',
    name: 'lifecycle-suspended-session-revoked',
    description: 'Revoke sessions of suspended users',
    enabled: true,
    trigger: {
      on: 'attribute_changed',
      path: LIFECYCLE_PATH,
      to: 'suspended|terminated',
    },
    event_type: CAEP_EVENT_TYPES.sessionRevoked,
    payload_template: {
      initiating_entity: 'policy',
      reason_admin: { en: 'Lifecycle changed to {{to}}' },
    },
    subject_format: 'email',
    source: 'api',
    created_at: '2026-11-01T10:00:00.000Z',
    updated_at: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function hookFiring(overrides: Partial<HookFiring> = {}): HookFiring {
  return {
    id: 'firing-1',
    hook_id: 'hook_1',
    hook_name: 'lifecycle-suspended-session-revoked',
    identity: 'user:default/jdoe',
    subject: { format: 'email', email: 'jdoe@example.com' },
    change: {
      kind: 'attribute_changed',
      path: LIFECYCLE_PATH,
      from: 'active',
      to: 'suspended',
    },
    event_type: CAEP_EVENT_TYPES.sessionRevoked,
    txn: 'txn-1',
    sets: [
      { stream_id: 'stream-1', jti: 'set-1' },
      { stream_id: 'stream-2', jti: 'set-2' },
    ],
    source: 'catalog',
    observed_at: '2026-11-02T09:59:00.000Z',
    fired_at: '2026-11-02T10:00:00.000Z',
    ...overrides,
  };
}

export function lifecycleStatus(
  catalog: Partial<LifecycleStatus['catalog']> = {},
): LifecycleStatus {
  return {
    catalog: {
      enabled: true,
      lifecycle_annotation: 'ssf.io/lifecycle',
      snapshots: 42,
      last_run: {
        started_at: '2026-11-02T10:00:00.000Z',
        finished_at: '2026-11-02T10:00:02.000Z',
        users: 42,
        added: 1,
        removed: 0,
        changed: 2,
        events: 3,
        first_run: false,
      },
      ...catalog,
    },
  };
}

/**
 * The api of the whole-page tests: streams `stream-1` (receiver-a) and
 * `stream-2` (receiver-b) without SETs, no receiver profiles, and the
 * provider Okta.
 */
export function pageApi(): jest.Mocked<SsfApi> {
  return mockSsfApi({
    listStreams: async () => [
      adminStream(),
      adminStream({ stream_id: 'stream-2', client_id: 'receiver-b' }),
    ],
    listReceiverProfiles: async () => [],
    listStreamSets: async () => ({ items: [], total: 0 }),
    listProviders: async () => [provider()],
  });
}
