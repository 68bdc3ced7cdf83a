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
  STREAM_LIMITS,
  updateStreamRequestSchema,
} from '@shared-signals/plugin-ssf-common';
import { AdminStream, ReceiverProfile } from '../../api';
import { catalogRefError, catalogRefUpdate } from '../common/catalogRefs';

// The limits the backend enforces (STREAM_LIMITS from ssf-common); checked
// here first so that the form can say which field is wrong and why.
const MAX_DESCRIPTION_LENGTH = STREAM_LIMITS.descriptionLength;
const MAX_CLIENT_ID_LENGTH = STREAM_LIMITS.clientIdLength;
const MAX_URL_LENGTH = STREAM_LIMITS.urlLength;
const MAX_AUTHORIZATION_HEADER_LENGTH = STREAM_LIMITS.authorizationHeaderLength;
const MAX_EVENTS_REQUESTED = STREAM_LIMITS.eventsRequested;
// As the backend schema: printable ASCII and Latin-1, no tab or C1 controls.
const SINGLE_LINE_HEADER = /^[\x20-\x7e\xa0-\xff]+$/;

/** The receiver profile of a stream that names none: plain SSF 1.0. */
export const DEFAULT_RECEIVER_PROFILE = 'ssf';

/** The profile with a form of its own: Okta Identity Threat Protection. */
export const OKTA_RECEIVER_PROFILE = 'okta';

// Where an Okta org receives SETs: Okta's "SSF Security Event Tokens" API,
// POST /security/api/v1/security-events on the org's own domain.
const OKTA_SET_PATH = '/security/api/v1/security-events';

// Okta's Admin Console lives on <org>-admin.okta.com (or oktapreview.com,
// okta-emea.com, ...); SETs go to the org itself, without "-admin".
const OKTA_ADMIN_HOST = /^[^.]+-admin\.okta[a-z-]*\.com$/;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Which fields the create form shows: the SSF 1.0 form, Okta's (the org URL
 * is all it needs), or the SSF form for a profile it knows nothing more of.
 */
export type StreamFormLayout = 'ssf' | 'okta' | 'generic';

/** The layout for a receiver profile ID. */
export function streamFormLayout(profile: string): StreamFormLayout {
  if (profile === DEFAULT_RECEIVER_PROFILE) return 'ssf';
  if (profile === OKTA_RECEIVER_PROFILE) return 'okta';
  return 'generic';
}

/** What the stream form edits. */
export interface StreamFormValues {
  /** The receiver profile ID; chosen at creation only. */
  profile: string;
  /** Okta only: the org URL, e.g. https://acme.okta.com. */
  orgUrl: string;
  clientId: string;
  description: string;
  method: 'push' | 'poll';
  endpointUrl: string;
  /** Write-only: empty means "leave as it is" when editing. */
  authorizationHeader: string;
  events: string[];
  /** The catalog entity that owns the stream; empty for none. */
  owner: string;
  /** The catalog component that consumes the stream; empty for none. */
  consumer: string;
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
  /** The chosen profile as the transmitter lists it, when known. */
  profile?: ReceiverProfile;
  /**
   * Event types accepted besides the CAEP and RISC ones, e.g. those a
   * stream being edited already requested or its profile supports.
   */
  knownEvents?: readonly string[];
}

/** The form's starting values: empty, or those of the stream being edited. */
export function initialStreamFormValues(
  stream?: AdminStream,
): StreamFormValues {
  return {
    profile: stream?.receiver_profile ?? DEFAULT_RECEIVER_PROFILE,
    orgUrl: '',
    clientId: stream?.client_id ?? '',
    description: stream?.description ?? '',
    method: stream?.delivery.method === DELIVERY_METHODS.poll ? 'poll' : 'push',
    endpointUrl:
      stream?.delivery.method === DELIVERY_METHODS.push
        ? stream.delivery.endpoint_url
        : '',
    authorizationHeader: '',
    events: stream ? [...stream.events_requested] : [],
    owner: stream?.owner ?? '',
    consumer: stream?.consumer ?? '',
  };
}

/**
 * The events a stream starts with when the admin picks a profile: for Okta
 * everything it ingests; for others none, which for SSF means none and for
 * another profile leaves the choice to the transmitter's default for it.
 */
export function initialProfileEvents(
  profile: ReceiverProfile | { id: string },
): string[] {
  return streamFormLayout(profile.id) === 'okta' &&
    'events_supported' in profile
    ? [...profile.events_supported]
    : [];
}

/** The origin of an Okta org URL, or undefined when it is no URL. */
export function oktaOrgOrigin(orgUrl: string): string | undefined {
  try {
    return new URL(orgUrl.trim()).origin;
  } catch {
    return undefined;
  }
}

/** Where the Okta org of `orgUrl` receives SETs. */
export function oktaEndpointUrl(orgUrl: string): string | undefined {
  const origin = oktaOrgOrigin(orgUrl);
  return origin && origin !== 'null' ? `${origin}${OKTA_SET_PATH}` : undefined;
}

/**
 * The client ID an Okta stream gets when the admin gives none: one per org,
 * so a second stream for the same org is refused rather than doubled.
 */
export function defaultOktaClientId(orgUrl: string): string | undefined {
  try {
    const { host } = new URL(orgUrl.trim());
    return host ? `okta:${host}` : undefined;
  } catch {
    return undefined;
  }
}

/** A URL field of the form: its words, and its own checks of the URL. */
type UrlField = {
  /** What to say when the field is empty. */
  missing: string;
  /** An absolute URL of the kind the field takes, for the error's words. */
  example: string;
  /** What is wrong with the (absolute) URL, if anything. */
  check(url: URL, allowInsecureUrls: boolean): string | undefined;
};

/** The URL of the Okta org an Okta stream pushes to. */
const ORG_URL: UrlField = {
  missing: 'Enter the URL of the Okta org, such as https://acme.okta.com',
  example: 'https://acme.okta.com',
  check(url, allowInsecureUrls) {
    if (url.protocol === 'http:') {
      // A local stand-in for Okta on a development portal is the only use.
      if (!(allowInsecureUrls && LOOPBACK_HOSTS.has(url.hostname))) {
        return 'The Okta org URL must use https (http is only accepted for localhost on development portals)';
      }
    } else if (url.protocol !== 'https:') {
      return 'The Okta org URL must start with https://, such as https://acme.okta.com';
    }
    if (url.username || url.password) {
      return 'The Okta org URL must not contain a user name or password';
    }
    if (url.pathname !== '/' || url.search || url.hash) {
      return `Enter the org URL only, without a path, query or fragment, such as ${url.origin}`;
    }
    if (OKTA_ADMIN_HOST.test(url.hostname)) {
      return `This is the Admin Console address; use the org URL without "-admin", such as https://${url.hostname.replace(
        '-admin.',
        '.',
      )}`;
    }
    return undefined;
  },
};

/** The endpoint a push stream delivers to. */
const ENDPOINT_URL: UrlField = {
  missing: 'Enter the URL the transmitter pushes events to',
  example: 'https://receiver.example.com/events',
  check(url, allowInsecureUrls) {
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
  },
};

/**
 * What is wrong with the value of a URL field: empty, too long for the
 * backend, not an absolute URL, or what the field's own checks find.
 */
function urlFieldError(
  field: UrlField,
  value: string,
  allowInsecureUrls: boolean,
): string | undefined {
  const trimmed = value.trim();
  if (!trimmed) {
    return field.missing;
  }
  if (trimmed.length > MAX_URL_LENGTH) {
    return `The URL must be at most ${MAX_URL_LENGTH} characters`;
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return `Enter an absolute URL, such as ${field.example}`;
  }
  return field.check(url, allowInsecureUrls);
}

/** Checks the form the way the backend will, field by field. */
export function validateStreamForm(
  values: StreamFormValues,
  options: StreamFormOptions,
): StreamFormErrors {
  const errors: StreamFormErrors = {};
  const { allowInsecureUrls } = options;
  const layout =
    options.mode === 'create' ? streamFormLayout(values.profile) : 'ssf';
  if (
    options.mode === 'create' &&
    values.clientId.trim().length > MAX_CLIENT_ID_LENGTH
  ) {
    errors.clientId = `The client ID must be at most ${MAX_CLIENT_ID_LENGTH} characters`;
  }
  if (values.description.length > MAX_DESCRIPTION_LENGTH) {
    errors.description = `The description must be at most ${MAX_DESCRIPTION_LENGTH} characters (it has ${values.description.length})`;
  }
  if (layout === 'okta') {
    const urlError = urlFieldError(ORG_URL, values.orgUrl, allowInsecureUrls);
    if (urlError) {
      errors.orgUrl = urlError;
    }
    if (values.events.length === 0) {
      errors.events = 'Choose at least one event type for the Okta org';
    }
  } else if (values.method === 'push') {
    const urlError = urlFieldError(
      ENDPOINT_URL,
      values.endpointUrl,
      allowInsecureUrls,
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
  // A profile offers what it lists; otherwise the CAEP and RISC types (and
  // what the stream being edited already has) are what there is to choose.
  const supported =
    layout !== 'ssf' ? options.profile?.events_supported : undefined;
  const known = new Set(options.knownEvents);
  const unknown = values.events.filter(e =>
    supported
      ? !supported.includes(e)
      : !isSubscribableEventType(e) && !known.has(e),
  );
  if (unknown.length > 0) {
    errors.events = `Unknown or unsupported event type: ${unknown.join(', ')}`;
  } else if (values.events.length > MAX_EVENTS_REQUESTED) {
    errors.events = `Choose at most ${MAX_EVENTS_REQUESTED} event types`;
  }
  const owner = catalogRefError('owner', values.owner);
  if (owner) {
    errors.owner = owner;
  }
  const consumer = catalogRefError('consumer', values.consumer);
  if (consumer) {
    errors.consumer = consumer;
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

/** The `owner` and `consumer` members of a create body: those given. */
function catalogRefs(values: StreamFormValues) {
  const owner = values.owner.trim();
  const consumer = values.consumer.trim();
  return { ...(owner && { owner }), ...(consumer && { consumer }) };
}

/**
 * The `POST /streams` body for the form's values. An SSF 1.0 stream names no
 * profile; an Okta one is a push to the org, whose origin the transmitter
 * also takes as `aud`.
 */
export function toCreateStreamRequest(
  values: StreamFormValues,
): CreateStreamRequest {
  const layout = streamFormLayout(values.profile);
  const events = [...new Set(values.events)];
  if (layout === 'okta') {
    const clientId =
      values.clientId.trim() || defaultOktaClientId(values.orgUrl);
    return {
      receiver_profile: values.profile,
      ...(clientId && { client_id: clientId }),
      ...(values.description && { description: values.description }),
      delivery: {
        method: DELIVERY_METHODS.push,
        endpoint_url: oktaEndpointUrl(values.orgUrl) ?? values.orgUrl.trim(),
      },
      events_requested: events,
      ...catalogRefs(values),
    };
  }
  const clientId = values.clientId.trim();
  return {
    ...(layout === 'generic' && { receiver_profile: values.profile }),
    ...(clientId && { client_id: clientId }),
    ...(values.description && { description: values.description }),
    delivery: delivery(values),
    // No choice, for another profile, leaves it to the profile's default.
    ...((layout === 'ssf' || events.length > 0) && {
      events_requested: events,
    }),
    ...catalogRefs(values),
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
  const owner = catalogRefUpdate('owner', values.owner, stream.owner);
  if (owner !== undefined) {
    request.owner = owner;
  }
  const consumer = catalogRefUpdate(
    'consumer',
    values.consumer,
    stream.consumer,
  );
  if (consumer !== undefined) {
    request.consumer = consumer;
  }
  return request;
}

const FIELD_BY_PATH: Record<string, keyof StreamFormErrors> = {
  receiver_profile: 'profile',
  client_id: 'clientId',
  description: 'description',
  delivery: 'endpointUrl',
  'delivery.endpoint_url': 'endpointUrl',
  'delivery.authorization_header': 'authorizationHeader',
  'delivery.method': 'method',
  events_requested: 'events',
  owner: 'owner',
  consumer: 'consumer',
};

// The Okta form has no delivery fields: the org URL is where they come from.
const OKTA_FIELD_BY_PATH: Record<string, keyof StreamFormErrors> = {
  ...FIELD_BY_PATH,
  delivery: 'orgUrl',
  'delivery.endpoint_url': 'orgUrl',
  'delivery.authorization_header': 'orgUrl',
  'delivery.method': 'orgUrl',
};

/** The fields the form shows for these values, in the order it shows them. */
export function streamFormFields(
  values: StreamFormValues,
  mode: StreamFormOptions['mode'],
): Array<keyof StreamFormValues> {
  if (mode === 'create' && streamFormLayout(values.profile) === 'okta') {
    return [
      'profile',
      'orgUrl',
      'clientId',
      'description',
      'events',
      'owner',
      'consumer',
    ];
  }
  return [
    ...(mode === 'create' ? (['profile'] as const) : []),
    'clientId',
    'description',
    'method',
    ...(values.method === 'push'
      ? (['endpointUrl', 'authorizationHeader'] as const)
      : []),
    'events',
    'owner',
    'consumer',
  ];
}

/**
 * Errors of fields the form does not show go to `form`, so that nothing
 * blocks a submit without saying why.
 */
export function placeStreamFormErrors(
  errors: StreamFormErrors,
  fields: ReadonlyArray<keyof StreamFormValues>,
): StreamFormErrors {
  const placed: StreamFormErrors = {};
  for (const [key, message] of Object.entries(errors) as Array<
    [keyof StreamFormErrors, string | undefined]
  >) {
    if (key === 'form' || fields.includes(key)) {
      placed[key] ??= message;
    } else {
      placed.form ??= message;
    }
  }
  return placed;
}

/**
 * Runs the shared request schema over a request built from the form, so a
 * rule the field checks above missed still shows up, next to its field.
 */
export function schemaErrors(
  request: CreateStreamRequest | UpdateStreamRequest,
  mode: StreamFormOptions['mode'],
  layout: StreamFormLayout = 'ssf',
): StreamFormErrors {
  const byPath = layout === 'okta' ? OKTA_FIELD_BY_PATH : FIELD_BY_PATH;
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
    const field = byPath[path] ?? byPath[path.split('.')[0]] ?? 'form';
    errors[field] ??= path ? `${path}: ${issue.message}` : issue.message;
  }
  return errors;
}
