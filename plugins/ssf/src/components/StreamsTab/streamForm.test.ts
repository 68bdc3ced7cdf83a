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
} from '@shared-signals/plugin-ssf-common';
import {
  OKTA_INGESTED,
  adminStream,
  receiverProfiles,
} from '../../__testUtils__/fixtures';
import {
  StreamFormValues,
  initialProfileEvents,
  initialStreamFormValues,
  placeStreamFormErrors,
  schemaErrors,
  streamFormFields,
  toCreateStreamRequest,
  toUpdateStreamRequest,
  validateStreamForm,
} from './streamForm';

const valid: StreamFormValues = {
  profile: 'ssf',
  orgUrl: '',
  clientId: 'receiver-a',
  description: 'Receiver A',
  method: 'push',
  endpointUrl: 'https://receiver.example.com/events',
  authorizationHeader: 'Bearer s3cret',
  events: [CAEP_EVENT_TYPES.sessionRevoked],
  owner: '',
  consumer: '',
};
const create = { mode: 'create', allowInsecureUrls: false } as const;

describe('validateStreamForm', () => {
  it('accepts a valid push stream and a poll stream without URL', () => {
    expect(validateStreamForm(valid, create)).toEqual({});
    expect(
      validateStreamForm({ ...valid, method: 'poll', endpointUrl: '' }, create),
    ).toEqual({});
  });

  it.each([
    ['empty', '', 'Enter the URL'],
    ['relative', 'receiver.example.com/events', 'absolute URL'],
    ['ftp', 'ftp://receiver.example.com/events', 'must start with https://'],
    ['http', 'http://receiver.example.com/events', 'must use https'],
    ['with user info', 'https://u:p@receiver.example.com/', 'user name'],
    ['with fragment', 'https://receiver.example.com/#frag', 'fragment'],
    ['too long', `https://r.example.com/${'a'.repeat(2048)}`, 'at most 2048'],
  ])('refuses an endpoint URL: %s', (_label, endpointUrl, message) => {
    expect(
      validateStreamForm({ ...valid, endpointUrl }, create).endpointUrl,
    ).toContain(message);
  });

  it('accepts http URLs only where insecure URLs are allowed', () => {
    const values = { ...valid, endpointUrl: 'http://localhost:8080/events' };
    expect(
      validateStreamForm(values, { ...create, allowInsecureUrls: true }),
    ).toEqual({});
  });

  it('refuses a multi-line or oversized authorization header', () => {
    expect(
      validateStreamForm(
        { ...valid, authorizationHeader: 'Bearer a\r\nX-Evil: 1' },
        create,
      ).authorizationHeader,
    ).toBe('The authorization header must be a single-line header value');
    expect(
      validateStreamForm(
        { ...valid, authorizationHeader: 'a'.repeat(4097) },
        create,
      ).authorizationHeader,
    ).toContain('at most 4096');
    expect(
      validateStreamForm(
        { ...valid, authorizationHeader: 'Bearer \u0001' },
        create,
      ).authorizationHeader,
    ).toContain('cannot contain the character "\\u0001"');
  });

  it('refuses a description over 1024 characters and unknown events', () => {
    const errors = validateStreamForm(
      {
        ...valid,
        description: 'x'.repeat(1025),
        events: ['https://example.com/not-an-event'],
      },
      create,
    );
    expect(errors.description).toContain('at most 1024');
    expect(errors.events).toContain('https://example.com/not-an-event');
  });

  it('refuses a client ID over 256 characters', () => {
    expect(
      validateStreamForm({ ...valid, clientId: 'c'.repeat(257) }, create)
        .clientId,
    ).toContain('at most 256');
  });
});

describe('requests', () => {
  it('builds the create request the backend schema accepts', () => {
    const request = toCreateStreamRequest({ ...valid, description: '' });
    expect(request).toEqual({
      client_id: 'receiver-a',
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://receiver.example.com/events',
        authorization_header: 'Bearer s3cret',
      },
      events_requested: [CAEP_EVENT_TYPES.sessionRevoked],
    });
    expect(schemaErrors(request, 'create')).toEqual({});
    expect(
      toCreateStreamRequest({ ...valid, clientId: ' ', method: 'poll' }),
    ).toEqual({
      description: 'Receiver A',
      delivery: { method: DELIVERY_METHODS.poll },
      events_requested: [CAEP_EVENT_TYPES.sessionRevoked],
    });
  });

  it('sends only what changed on edit, and never the header unless typed', () => {
    const stream = adminStream();
    const values = initialStreamFormValues(stream);
    expect(values.authorizationHeader).toBe('');
    expect(toUpdateStreamRequest(stream, values)).toEqual({
      stream_id: 'stream-1',
    });
    expect(
      toUpdateStreamRequest(stream, {
        ...values,
        description: 'New',
        events: [CAEP_EVENT_TYPES.credentialChange],
      }),
    ).toEqual({
      stream_id: 'stream-1',
      description: 'New',
      events_requested: [CAEP_EVENT_TYPES.credentialChange],
    });
    expect(
      toUpdateStreamRequest(stream, { ...values, authorizationHeader: 'B x' }),
    ).toEqual({
      stream_id: 'stream-1',
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://receiver-a.example.com/events',
        authorization_header: 'B x',
      },
    });
  });

  it('sends the owner and consumer given, and checks them as catalog refs', () => {
    const values = {
      ...valid,
      owner: ' team-a ',
      consumer: 'component:default/siem',
    };
    expect(validateStreamForm(values, create)).toEqual({});
    expect(toCreateStreamRequest(values)).toMatchObject({
      owner: 'team-a',
      consumer: 'component:default/siem',
    });
    expect(toCreateStreamRequest(valid)).not.toHaveProperty('owner');
    expect(toCreateStreamRequest(valid)).not.toHaveProperty('consumer');
    const errors = validateStreamForm(
      { ...valid, owner: 'group:default/', consumer: 'a b' },
      create,
    );
    expect(errors.owner).toContain('Enter a catalog entity ref');
    expect(errors.owner).toContain('group:default/example');
    expect(errors.consumer).toContain('component:default/example');
    expect(
      validateStreamForm({ ...valid, owner: 'x'.repeat(513) }, create).owner,
    ).toBe('The entity ref must be at most 512 characters');
    // The shared schema's refusal lands on the field too.
    expect(
      schemaErrors({ ...toCreateStreamRequest(valid), owner: 'a b' }, 'create')
        .owner,
    ).toContain('owner');
  });

  it('on edit, keeps an unchanged owner, sets a new one and clears an emptied one', () => {
    const stream = adminStream({
      owner: 'group:default/team-a',
      consumer: 'component:default/siem',
    });
    const values = initialStreamFormValues(stream);
    expect(values.owner).toBe('group:default/team-a');
    expect(values.consumer).toBe('component:default/siem');
    expect(toUpdateStreamRequest(stream, values)).toEqual({
      stream_id: 'stream-1',
    });
    // Another spelling of the same entity is no change.
    expect(
      toUpdateStreamRequest(stream, { ...values, owner: 'team-a' }),
    ).toEqual({ stream_id: 'stream-1' });
    expect(
      toUpdateStreamRequest(stream, {
        ...values,
        owner: 'group:default/team-b',
        consumer: '',
      }),
    ).toEqual({
      stream_id: 'stream-1',
      owner: 'group:default/team-b',
      consumer: null,
    });
    // Nothing held, nothing given: nothing sent.
    expect(
      toUpdateStreamRequest(
        adminStream(),
        initialStreamFormValues(adminStream()),
      ),
    ).toEqual({ stream_id: 'stream-1' });
  });

  it('maps schema issues to fields', () => {
    expect(
      schemaErrors(
        { delivery: { method: DELIVERY_METHODS.push, endpoint_url: '' } },
        'create',
      ).endpointUrl,
    ).toBeDefined();
  });
});

describe('receiver profiles', () => {
  const [, okta, acme] = receiverProfiles;
  const oktaValues: StreamFormValues = {
    ...initialStreamFormValues(),
    profile: 'okta',
    orgUrl: 'https://acme.okta.com',
    events: initialProfileEvents(okta),
  };
  const oktaCreate = { ...create, profile: okta };

  it('starts an Okta stream with every event type Okta ingests', () => {
    expect(initialStreamFormValues().profile).toBe('ssf');
    expect(initialProfileEvents(okta)).toEqual(OKTA_INGESTED);
    expect(initialProfileEvents(acme)).toEqual([]);
    expect(initialProfileEvents({ id: 'ssf' })).toEqual([]);
  });

  it('builds an Okta stream from the org URL alone', () => {
    expect(validateStreamForm(oktaValues, oktaCreate)).toEqual({});
    const request = toCreateStreamRequest({
      ...oktaValues,
      orgUrl: ' https://acme.okta.com/ ',
    });
    // Okta "SSF Security Event Tokens" API: SETs are POSTed to
    // /security/api/v1/security-events on the org's domain.
    expect(request).toEqual({
      receiver_profile: 'okta',
      client_id: 'okta:acme.okta.com',
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://acme.okta.com/security/api/v1/security-events',
      },
      events_requested: OKTA_INGESTED,
    });
    expect(schemaErrors(request, 'create', 'okta')).toEqual({});
    expect(
      toCreateStreamRequest({
        ...oktaValues,
        clientId: 'okta-prod',
        description: 'Prod org',
        events: [OKTA_EVENT_TYPES.userRiskChange],
      }),
    ).toMatchObject({
      client_id: 'okta-prod',
      description: 'Prod org',
      events_requested: [OKTA_EVENT_TYPES.userRiskChange],
    });
  });

  it.each([
    ['empty', '', 'Enter the URL of the Okta org'],
    ['relative', 'acme.okta.com', 'Enter an absolute URL'],
    ['ftp', 'ftp://acme.okta.com', 'must start with https://'],
    ['http', 'http://acme.okta.com', 'must use https'],
    ['with user info', 'https://u:p@acme.okta.com', 'user name'],
    ['with a path', 'https://acme.okta.com/admin', 'without a path'],
    ['with a query', 'https://acme.okta.com/?x=1', 'without a path'],
    [
      'the admin console',
      'https://acme-admin.okta.com',
      'https://acme.okta.com',
    ],
  ])('refuses an Okta org URL: %s', (_label, orgUrl, message) => {
    const errors = validateStreamForm({ ...oktaValues, orgUrl }, oktaCreate);
    expect(errors.orgUrl).toContain(message);
    expect(errors.endpointUrl).toBeUndefined();
  });

  it('accepts http only for a local org on a development portal', () => {
    const local = { ...oktaValues, orgUrl: 'http://localhost:9000' };
    expect(validateStreamForm(local, oktaCreate).orgUrl).toContain(
      'must use https',
    );
    expect(
      validateStreamForm(local, { ...oktaCreate, allowInsecureUrls: true }),
    ).toEqual({});
    expect(
      validateStreamForm(
        { ...local, orgUrl: 'http://acme.okta.com' },
        { ...oktaCreate, allowInsecureUrls: true },
      ).orgUrl,
    ).toContain('must use https');
  });

  it('wants at least one event type for Okta, and only those it ingests', () => {
    expect(
      validateStreamForm({ ...oktaValues, events: [] }, oktaCreate).events,
    ).toBe('Choose at least one event type for the Okta org');
    expect(
      validateStreamForm(
        { ...oktaValues, events: [CAEP_EVENT_TYPES.credentialChange] },
        oktaCreate,
      ).events,
    ).toContain(CAEP_EVENT_TYPES.credentialChange);
  });

  it('shows the Okta fields only, and puts errors of others below them', () => {
    expect(streamFormFields(oktaValues, 'create')).toEqual([
      'profile',
      'orgUrl',
      'clientId',
      'description',
      'events',
      'owner',
      'consumer',
    ]);
    expect(
      placeStreamFormErrors(
        { endpointUrl: 'bad', orgUrl: 'worse' },
        streamFormFields(oktaValues, 'create'),
      ),
    ).toEqual({ form: 'bad', orgUrl: 'worse' });
    // A schema issue with the derived delivery lands on the org URL.
    expect(
      schemaErrors(
        toCreateStreamRequest({ ...oktaValues, orgUrl: '' }),
        'create',
        'okta',
      ).orgUrl,
    ).toBeDefined();
  });

  it("sends another profile's ID with the plain form, its events or its default", () => {
    const values = { ...valid, profile: 'acme-xdr', events: [] };
    const options = { ...create, profile: acme };
    expect(validateStreamForm(values, options)).toEqual({});
    expect(toCreateStreamRequest(values)).toEqual({
      receiver_profile: 'acme-xdr',
      client_id: 'receiver-a',
      description: 'Receiver A',
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: 'https://receiver.example.com/events',
        authorization_header: 'Bearer s3cret',
      },
    });
    const vendorEvent = 'https://schemas.acme.example/secevent/host-isolated';
    expect(
      validateStreamForm({ ...values, events: [vendorEvent] }, options),
    ).toEqual({});
    expect(
      toCreateStreamRequest({ ...values, events: [vendorEvent] })
        .events_requested,
    ).toEqual([vendorEvent]);
    // Not what the profile lists, even if the transmitter knows it.
    expect(
      validateStreamForm(
        { ...values, events: [CAEP_EVENT_TYPES.credentialChange] },
        options,
      ).events,
    ).toContain(CAEP_EVENT_TYPES.credentialChange);
  });

  it("keeps an SSF stream's body free of any profile", () => {
    expect(toCreateStreamRequest(valid)).not.toHaveProperty('receiver_profile');
  });

  it('edits a profiled stream with the event types it has', () => {
    const stream = adminStream({
      receiver_profile: 'okta',
      events_requested: [OKTA_EVENT_TYPES.ipChange],
    });
    const values = initialStreamFormValues(stream);
    expect(values.profile).toBe('okta');
    expect(
      validateStreamForm(values, {
        mode: 'edit',
        allowInsecureUrls: false,
        knownEvents: stream.events_requested,
      }),
    ).toEqual({});
  });
});
