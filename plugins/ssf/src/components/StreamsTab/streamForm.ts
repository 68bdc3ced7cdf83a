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
  CreateStreamRequest,
  DELIVERY_METHODS,
  UpdateStreamRequest,
  createStreamRequestSchema,
  isSubscribableEventType,
  updateStreamRequestSchema,
} from '@shared-signals/plugin-ssf-common';
import { AdminStream } from '../../api';

// The limits the backend enforces (ssf-common streamRequests.ts); checked
// here first so that the form can say which field is wrong and why.
const MAX_DESCRIPTION_LENGTH = 1024;
const MAX_CLIENT_ID_LENGTH = 256;
const MAX_URL_LENGTH = 2048;
const MAX_AUTHORIZATION_HEADER_LENGTH = 4096;
const MAX_EVENTS_REQUESTED = 64;
const SINGLE_LINE_HEADER = /^[\t\x20-\x7e\x80-\xff]+$/;

/** What the stream form edits. */
export interface StreamFormValues {
  clientId: string;
  description: string;
  method: 'push' | 'poll';
  endpointUrl: string;
  /** Write-only: empty means "leave as it is" when editing. */
  authorizationHeader: string;
  events: string[];
}

/** Field name (or `form` for the form as a whole) to error message. */
export type StreamFormErrors = Partial<
  Record<keyof StreamFormValues | 'form', string>
>;

/** Options that change what the form accepts. */
export interface StreamFormOptions {
  mode: 'create' | 'edit';
  /** Whether `http:` endpoint URLs are accepted (development portals). */
  allowInsecureUrls: boolean;
}

/** The form's starting values: empty, or those of the stream being edited. */
export function initialStreamFormValues(
  stream?: AdminStream,
): StreamFormValues {
  return {
    clientId: stream?.client_id ?? '',
    description: stream?.description ?? '',
    method: stream?.delivery.method === DELIVERY_METHODS.poll ? 'poll' : 'push',
    endpointUrl:
      stream?.delivery.method === DELIVERY_METHODS.push
        ? stream.delivery.endpoint_url
        : '',
    authorizationHeader: '',
    events: stream ? [...stream.events_requested] : [],
  };
}

function endpointUrlError(
  value: string,
  allowInsecureUrls: boolean,
): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) {
    return 'Enter the URL the transmitter pushes events to';
  }
  if (trimmed.length > MAX_URL_LENGTH) {
    return `The URL must be at most ${MAX_URL_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return 'Enter an absolute URL, such as https://receiver.example.com/events';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'The URL must start with https://';
  }
  if (url.protocol === 'http:' && !allowInsecureUrls) {
    return 'The URL must use https (http is only accepted by development portals)';
  }
  if (url.username || url.password) {
    return 'The URL must not contain a user name or password; use the authorization header';
  }
  if (url.hash) {
    return 'The URL must not contain a fragment (#…)';
  }
  return undefined;
}

/** Checks the form the way the backend will, field by field. */
export function validateStreamForm(
  values: StreamFormValues,
  options: StreamFormOptions,
): StreamFormErrors {
  const errors: StreamFormErrors = {};
  if (
    options.mode === 'create' &&
    values.clientId.trim().length > MAX_CLIENT_ID_LENGTH
  ) {
    errors.clientId = `The client ID must be at most ${MAX_CLIENT_ID_LENGTH} characters`;
  }
  if (values.description.length > MAX_DESCRIPTION_LENGTH) {
    errors.description = `The description must be at most ${MAX_DESCRIPTION_LENGTH} characters (it has ${values.description.length})`;
  }
  if (values.method === 'push') {
    const urlError = endpointUrlError(
      values.endpointUrl,
      options.allowInsecureUrls,
    );
    if (urlError) {
      errors.endpointUrl = urlError;
    }
    const header = values.authorizationHeader;
    if (header.length > MAX_AUTHORIZATION_HEADER_LENGTH) {
      errors.authorizationHeader = `The authorization header must be at most ${MAX_AUTHORIZATION_HEADER_LENGTH} characters`;
    } else if (/[\r\n]/.test(header)) {
      errors.authorizationHeader =
        'The authorization header must be a single-line header value';
    } else if (header && !SINGLE_LINE_HEADER.test(header)) {
      const bad = [...header].find(c => !SINGLE_LINE_HEADER.test(c));
      errors.authorizationHeader = `The authorization header cannot contain the character ${JSON.stringify(
        bad,
      )}; use printable ASCII (or Latin-1) only`;
    }
  }
  const unknown = values.events.filter(e => !isSubscribableEventType(e));
  if (unknown.length > 0) {
    errors.events = `Unknown or unsupported event type: ${unknown.join(', ')}`;
  } else if (values.events.length > MAX_EVENTS_REQUESTED) {
    errors.events = `Choose at most ${MAX_EVENTS_REQUESTED} event types`;
  }
  return errors;
}

function delivery(values: StreamFormValues): CreateStreamRequest['delivery'] {
  if (values.method === 'poll') {
    return { method: DELIVERY_METHODS.poll };
  }
  return {
    method: DELIVERY_METHODS.push,
    endpoint_url: values.endpointUrl.trim(),
    ...(values.authorizationHeader && {
      authorization_header: values.authorizationHeader,
    }),
  };
}

/** The `POST /streams` body for the form's values. */
export function toCreateStreamRequest(
  values: StreamFormValues,
): CreateStreamRequest {
  const clientId = values.clientId.trim();
  return {
    ...(clientId && { client_id: clientId }),
    ...(values.description && { description: values.description }),
    delivery: delivery(values),
    events_requested: [...new Set(values.events)],
  };
}

/**
 * The `PATCH /streams` body: only what changed. The delivery is sent when
 * the method, the URL or the authorization header changes; the backend then
 * replaces the whole delivery, including the stored header.
 */
export function toUpdateStreamRequest(
  stream: AdminStream,
  values: StreamFormValues,
): UpdateStreamRequest {
  const initial = initialStreamFormValues(stream);
  const request: UpdateStreamRequest = { stream_id: stream.stream_id };
  if (values.description !== initial.description) {
    request.description = values.description;
  }
  const events = [...new Set(values.events)];
  if (
    events.length !== initial.events.length ||
    events.some(e => !initial.events.includes(e))
  ) {
    request.events_requested = events;
  }
  if (
    values.method !== initial.method ||
    (values.method === 'push' &&
      (values.endpointUrl.trim() !== initial.endpointUrl ||
        values.authorizationHeader !== ''))
  ) {
    request.delivery = delivery(values);
  }
  return request;
}

const FIELD_BY_PATH: Record<string, keyof StreamFormErrors> = {
  client_id: 'clientId',
  description: 'description',
  delivery: 'endpointUrl',
  'delivery.endpoint_url': 'endpointUrl',
  'delivery.authorization_header': 'authorizationHeader',
  'delivery.method': 'method',
  events_requested: 'events',
};

/**
 * Runs the shared request schema over a request built from the form, so a
 * rule the field checks above missed still shows up, next to its field.
 */
export function schemaErrors(
  request: CreateStreamRequest | UpdateStreamRequest,
  mode: StreamFormOptions['mode'],
): StreamFormErrors {
  const result =
    mode === 'create'
      ? createStreamRequestSchema.safeParse(request)
      : updateStreamRequestSchema.safeParse(request);
  if (result.success) {
    return {};
  }
  const errors: StreamFormErrors = {};
  for (const issue of result.error.issues) {
    const path = issue.path.filter(p => typeof p === 'string').join('.');
    const field =
      FIELD_BY_PATH[path] ?? FIELD_BY_PATH[path.split('.')[0]] ?? 'form';
    errors[field] ??= path ? `${path}: ${issue.message}` : issue.message;
  }
  return errors;
}
