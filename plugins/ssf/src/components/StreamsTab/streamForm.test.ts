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
} from '@shared-signals/plugin-ssf-common';
import { adminStream } from '../../__testUtils__/fixtures';
import {
  StreamFormValues,
  initialStreamFormValues,
  schemaErrors,
  toCreateStreamRequest,
  toUpdateStreamRequest,
  validateStreamForm,
} from './streamForm';

const valid: StreamFormValues = {
  clientId: 'receiver-a',
  description: 'Receiver A',
  method: 'push',
  endpointUrl: 'https://receiver.example.com/events',
  authorizationHeader: 'Bearer s3cret',
  events: [CAEP_EVENT_TYPES.sessionRevoked],
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

  it('maps schema issues to fields', () => {
    expect(
      schemaErrors(
        { delivery: { method: DELIVERY_METHODS.push, endpoint_url: '' } },
        'create',
      ).endpointUrl,
    ).toBeDefined();
  });
});
