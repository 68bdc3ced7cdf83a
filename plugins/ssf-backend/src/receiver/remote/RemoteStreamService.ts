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

import { ConflictError, CustomErrorBase, InputError } from '@backstage/errors';
import {
  DELIVERY_METHODS,
  SecurityEventsProviderRemoteStream,
  StreamStatus,
  StreamStatusValue,
} from '@shared-signals/plugin-ssf-common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import {
  outboundRequest,
  OutboundRequest,
  OutboundResponse,
} from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig } from '../config';
import {
  fetchTransmitterMetadata,
  normaliseIssuer,
  receiverPolicyMessage,
  RemoteTransmitterMetadata,
} from '../keys/transmitterMetadata';
import {
  ProviderRecord,
  ProviderStatePatch,
  ProviderStore,
} from '../providers/ProviderStore';
import { toWireRemoteStream } from '../providers/wire';
import {
  challengeOf,
  TokenRequestError,
  TransmitterCredentials,
} from './TransmitterCredentials';

/**
 * The provider's transmitter could not be reached or refused a request;
 * rendered as 502 with the transmitter's own message.
 *
 * @internal
 */
export class RemoteTransmitterError extends CustomErrorBase {
  name = 'RemoteTransmitterError' as const;
  statusCode = 502;
}

/**
 * The answer of a remote-stream call: the transmitter either applied it
 * (`applied`) or accepted it for later (202, SSF 1.0 §8.1.1.3 and §8.1.2.2),
 * in which case nothing was recorded yet.
 *
 * @internal
 */
export interface RemoteResult<T> {
  accepted: boolean;
  body: T;
}

const MAX_DESCRIPTION = 1024;
const MAX_REASON = 1024;
const STATUSES = ['enabled', 'paused', 'disabled'] as const;

// What the receiver takes from a stream configuration the transmitter
// answers (SSF 1.0 §8.1.1); other members are the transmitter's business.
const audience = z.string().min(1).max(1024);
const eventTypes = z.array(z.string().min(1).max(512)).max(256);
const streamConfiguration = z
  .object({
    stream_id: z.string().min(1).max(256),
    iss: z.string().optional(),
    // RFC 7519 §4.1.3: a string or an array of strings.
    aud: z.union([audience, z.array(audience).min(1).max(16)]).optional(),
    events_requested: eventTypes.optional(),
    events_delivered: eventTypes.optional(),
    description: z.string().optional(),
    delivery: z
      .object({
        method: z.string().min(1).max(64),
        endpoint_url: z.string().max(2048).optional(),
      })
      .loose()
      .optional(),
  })
  .loose();
type StreamAnswer = z.infer<typeof streamConfiguration>;

const streamStatus = z
  .object({
    stream_id: z.string().optional(),
    status: z.enum(STATUSES),
    reason: z.string().optional(),
  })
  .loose();

/**
 * Manages this receiver's stream at a provider's transmitter (SSF 1.0 §8.1),
 * on an admin's request: create it (push to this portal's ingestion URL, or
 * poll), read its configuration and status, change its events or
 * description, verify it with a state this receiver remembers, change its
 * status, delete it. Calls carry the OAuth credential configured for the
 * provider's issuer in `ssf.receiver.credentials`; an access token the
 * transmitter refuses (401) is renewed and the call retried once.
 *
 * Only Receiver-Supplied members are sent (SSF 1.0 §8.1.1.1). What the
 * transmitter answers is recorded on the provider: its chosen `aud` (which
 * ingestion then accepts for this provider), `events_delivered`, and the
 * delivery, whose poll `endpoint_url` the poller uses (RFC 8936 §2).
 *
 * @internal
 */
export class RemoteStreamService {
  readonly #store: ProviderStore;
  readonly #credentials: TransmitterCredentials;
  readonly #config: ReceiverConfig;
  readonly #ingestionUrl: string;
  readonly #resolve?: HostResolver;
  readonly #onChange: (provider: ProviderRecord) => void;

  constructor(options: {
    store: ProviderStore;
    credentials: TransmitterCredentials;
    config: ReceiverConfig;
    /** Where the provider's transmitter pushes: this plugin's /security-events. */
    ingestionUrl: string;
    resolve?: HostResolver;
    /**
     * Told after the recorded stream changed in a way ingestion looks at
     * (its aud), so cached copies of the provider are dropped.
     */
    onChange?: (provider: ProviderRecord) => void;
  }) {
    this.#store = options.store;
    this.#credentials = options.credentials;
    this.#config = options.config;
    this.#ingestionUrl = options.ingestionUrl;
    this.#resolve = options.resolve;
    this.#onChange = options.onChange ?? (() => {});
  }

  /** What is recorded about the provider's stream (the remote-stream view). */
  async view(
    provider: ProviderRecord,
  ): Promise<SecurityEventsProviderRemoteStream> {
    const current = (await this.#store.get(provider.id)) ?? provider;
    return toWireRemoteStream(current) ?? {};
  }

  async create(
    provider: ProviderRecord,
    request: { events_requested: string[]; description?: string },
  ): Promise<SecurityEventsProviderRemoteStream> {
    if (provider.remoteStreamId) {
      throw alreadyHasStream(provider, provider.remoteStreamId);
    }
    const metadata = await this.#metadata(provider);
    const configurationEndpoint = endpoint(metadata, 'configuration_endpoint');
    const poll = provider.deliveryMethod === DELIVERY_METHODS.poll;
    // SSF 1.0 §8.1.1.1: the create request carries Receiver-Supplied members
    // only; aud, iss and the rest are the transmitter's to choose. For poll
    // the endpoint_url is the transmitter's too (SSF 1.0 §6.1.2).
    const body = {
      delivery: poll
        ? { method: DELIVERY_METHODS.poll }
        : { method: DELIVERY_METHODS.push, endpoint_url: this.#ingestionUrl },
      events_requested: request.events_requested,
      ...(request.description !== undefined && {
        description: request.description,
      }),
    };
    const answer = await this.#call(provider, {
      method: 'POST',
      url: configurationEndpoint,
      body,
    });
    if (answer.status === 202) {
      throw new RemoteTransmitterError(
        "The provider's transmitter accepted the stream without creating it yet (202); read it later",
      );
    }
    const streamId = (answer.body as { stream_id?: unknown })?.stream_id;
    let stream: StreamAnswer;
    try {
      stream = this.#checkStream(provider, answer.body);
    } catch (error) {
      // Created, but not one this receiver can use: do not leave it behind.
      if (typeof streamId === 'string' && streamId) {
        await this.#deleteQuietly(provider, configurationEndpoint, streamId);
      }
      throw error;
    }
    const recorded = await this.#store.claimRemoteStream(provider.id, {
      remoteStreamId: stream.stream_id,
      remoteStreamStatus: undefined,
      remoteStreamReason: undefined,
      remoteStreamUpdatedAt: new Date(),
      ...configurationPatch(stream, 'all'),
    });
    if (!recorded) {
      await this.#deleteQuietly(
        provider,
        configurationEndpoint,
        stream.stream_id,
      );
      const current = await this.#store.get(provider.id);
      throw alreadyHasStream(provider, current?.remoteStreamId ?? 'unknown');
    }
    this.#onChange(provider);
    // A new stream's status is not part of its configuration; ask for it so
    // the view shows it, but a transmitter without a status endpoint (or a
    // failing one) does not undo a created stream.
    if (typeof metadata.status_endpoint === 'string') {
      try {
        await this.#readStatus(provider, metadata, stream.stream_id);
      } catch {
        // the status stays unknown until read again
      }
    }
    return this.view(provider);
  }

  /** Reads the stream's configuration at the transmitter and records it. */
  async get(
    provider: ProviderRecord,
  ): Promise<SecurityEventsProviderRemoteStream> {
    const streamId = requireStreamId(provider);
    const metadata = await this.#metadata(provider);
    const answer = await this.#call(provider, {
      method: 'GET',
      url: withStreamId(endpoint(metadata, 'configuration_endpoint'), streamId),
    });
    const stream = this.#checkStream(provider, answer.body, streamId);
    await this.#store.patchState(
      provider.id,
      configurationPatch(stream, 'all'),
    );
    this.#onChange(provider);
    return this.view(provider);
  }

  /**
   * Changes the stream's Receiver-Supplied `events_requested` and/or
   * `description` (SSF 1.0 §8.1.1.3: absent members stay as they are).
   */
  async update(
    provider: ProviderRecord,
    request: { events_requested?: string[]; description?: string },
  ): Promise<RemoteResult<SecurityEventsProviderRemoteStream>> {
    const { streamId, answer } = await this.#change(
      provider,
      'PATCH',
      'configuration_endpoint',
      request,
    );
    if (answer.status === 202) {
      return { accepted: true, body: await this.view(provider) };
    }
    const stream = this.#checkStream(provider, answer.body, streamId);
    await this.#store.patchState(
      provider.id,
      configurationPatch(stream, 'present'),
    );
    this.#onChange(provider);
    return { accepted: false, body: await this.view(provider) };
  }

  /**
   * Asks for a verification SET carrying a fresh state, which ingestion will
   * accept (and only it: a state this receiver did not issue is refused).
   */
  async verify(provider: ProviderRecord): Promise<{ state: string }> {
    const streamId = requireStreamId(provider);
    const metadata = await this.#metadata(provider);
    const state = randomUUID();
    await this.#store.patchState(provider.id, { verificationState: state });
    await this.#call(provider, {
      method: 'POST',
      url: endpoint(metadata, 'verification_endpoint'),
      body: { stream_id: streamId, state },
    });
    return { state };
  }

  /** Reads the stream's status at the transmitter (SSF 1.0 §8.1.2.1) and records it. */
  async status(provider: ProviderRecord): Promise<StreamStatus> {
    const streamId = requireStreamId(provider);
    return this.#readStatus(provider, await this.#metadata(provider), streamId);
  }

  async setStatus(
    provider: ProviderRecord,
    request: { status: StreamStatusValue; reason?: string },
  ): Promise<RemoteResult<StreamStatus>> {
    const { streamId, answer } = await this.#change(
      provider,
      'POST',
      'status_endpoint',
      request,
    );
    if (answer.status === 202) {
      return { accepted: true, body: { stream_id: streamId, ...request } };
    }
    const parsed = streamStatus.safeParse(answer.body ?? {});
    // SSF 1.0 §8.1.2.2 answers the updated status; a transmitter that
    // answers nothing usable applied the request as sent.
    const status: StreamStatus = parsed.success
      ? toStatus(streamId, parsed.data)
      : { stream_id: streamId, ...request };
    await this.#recordStatus(provider, status);
    return { accepted: false, body: status };
  }

  async delete(provider: ProviderRecord): Promise<void> {
    const streamId = requireStreamId(provider);
    const metadata = await this.#metadata(provider);
    // 404: the transmitter has no such stream (any more), which is what
    // deleting it asks for; the record is cleared either way.
    await this.#call(
      provider,
      {
        method: 'DELETE',
        url: withStreamId(
          endpoint(metadata, 'configuration_endpoint'),
          streamId,
        ),
      },
      [404],
    );
    await this.#store.patchState(provider.id, {
      remoteStreamId: undefined,
      remoteStreamStatus: undefined,
      remoteStreamReason: undefined,
      remoteStreamUpdatedAt: new Date(),
      remoteStreamAud: undefined,
      remoteStreamEventsRequested: undefined,
      remoteStreamEventsDelivered: undefined,
      remoteStreamDescription: undefined,
      remoteStreamDeliveryMethod: undefined,
      remoteStreamEndpointUrl: undefined,
    });
    this.#onChange(provider);
  }

  async #readStatus(
    provider: ProviderRecord,
    metadata: RemoteTransmitterMetadata,
    streamId: string,
  ): Promise<StreamStatus> {
    const answer = await this.#call(provider, {
      method: 'GET',
      url: withStreamId(endpoint(metadata, 'status_endpoint'), streamId),
    });
    const parsed = streamStatus.safeParse(answer.body);
    if (!parsed.success) {
      throw new RemoteTransmitterError(
        `The provider's transmitter answered a stream status without a status of ${STATUSES.join(
          ', ',
        )} (SSF 1.0 §8.1.2.1)`,
      );
    }
    if (
      parsed.data.stream_id !== undefined &&
      parsed.data.stream_id !== streamId
    ) {
      throw new RemoteTransmitterError(
        `The provider's transmitter answered the status of stream '${parsed.data.stream_id.slice(
          0,
          256,
        )}' instead of '${streamId}'`,
      );
    }
    const status = toStatus(streamId, parsed.data);
    await this.#recordStatus(provider, status);
    return status;
  }

  /**
   * Sends a change of the stream, `{ stream_id, ...request }`, to the
   * endpoint its metadata names (SSF 1.0 §8.1.1.3 and §8.1.2.2).
   */
  async #change(
    provider: ProviderRecord,
    method: 'PATCH' | 'POST',
    endpointKey: 'configuration_endpoint' | 'status_endpoint',
    request: object,
  ) {
    const streamId = requireStreamId(provider);
    const metadata = await this.#metadata(provider);
    const answer = await this.#call(provider, {
      method,
      url: endpoint(metadata, endpointKey),
      body: { stream_id: streamId, ...request },
    });
    return { streamId, answer };
  }

  async #recordStatus(provider: ProviderRecord, status: StreamStatus) {
    await this.#store.patchState(provider.id, {
      remoteStreamStatus: status.status,
      remoteStreamReason: status.reason,
      remoteStreamUpdatedAt: new Date(),
    });
  }

  /**
   * Checks a stream configuration the transmitter answered: the stream it
   * names, and its `iss`, which SSF 1.0 §8.1.1.1–§8.1.1.3 require the
   * receiver to confirm is the issuer whose metadata it used.
   */
  #checkStream(
    provider: ProviderRecord,
    body: unknown,
    streamId?: string,
  ): StreamAnswer {
    const parsed = streamConfiguration.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new RemoteTransmitterError(
        `The provider's transmitter answered a stream configuration this receiver cannot use: ${
          issue.path.length ? `${issue.path.join('.')}: ` : ''
        }${issue.message}`,
      );
    }
    const stream = parsed.data;
    if (streamId !== undefined && stream.stream_id !== streamId) {
      throw new RemoteTransmitterError(
        `The provider's transmitter answered stream '${stream.stream_id}' instead of '${streamId}'`,
      );
    }
    if (
      stream.iss !== undefined &&
      normaliseIssuer(stream.iss) !== provider.issuer
    ) {
      throw new RemoteTransmitterError(
        `The provider's transmitter answered a stream whose iss '${stream.iss.slice(
          0,
          256,
        )}' is not the provider's issuer '${
          provider.issuer
        }' (SSF 1.0 §8.1.1.1)`,
      );
    }
    return stream;
  }

  async #deleteQuietly(
    provider: ProviderRecord,
    configurationEndpoint: string,
    streamId: string,
  ) {
    try {
      await this.#call(
        provider,
        {
          method: 'DELETE',
          url: withStreamId(configurationEndpoint, streamId),
        },
        [404],
      );
    } catch {
      // Reported with the original error; an admin can delete it at the
      // transmitter.
    }
  }

  async #metadata(
    provider: ProviderRecord,
  ): Promise<RemoteTransmitterMetadata> {
    const url = provider.wellKnownUrl ?? wellKnownUrlFor(provider.issuer);
    try {
      return await fetchTransmitterMetadata(url, {
        policy: this.#config.urlPolicy,
        timeoutMs: this.#config.keys.fetchTimeoutMs,
        resolve: this.#resolve,
      });
    } catch (error) {
      throw new RemoteTransmitterError(
        `Could not read the transmitter metadata at ${url}: ${receiverPolicyMessage(
          (error as Error).message,
        )}`,
      );
    }
  }

  /**
   * One call to the transmitter's stream API with the provider's
   * credential, renewing a refused access token once. Any status outside
   * 2xx (and `alsoOk`) is a RemoteTransmitterError carrying the
   * transmitter's message and, for 401, its WWW-Authenticate challenge.
   */
  async #call(
    provider: ProviderRecord,
    request: { method: OutboundRequest['method']; url: string; body?: unknown },
    alsoOk: number[] = [],
  ): Promise<{ status: number; body: unknown }> {
    if (!this.#credentials.has(provider.issuer)) {
      throw new InputError(
        `No credential for issuer ${provider.issuer} in ssf.receiver.credentials; the transmitter's stream API needs an access token`,
      );
    }
    let response: OutboundResponse;
    try {
      response = await this.#credentials.send(provider.issuer, authorization =>
        outboundRequest({
          method: request.method,
          url: request.url,
          field: "the provider's stream API",
          headers: {
            Accept: 'application/json',
            ...(authorization && { Authorization: authorization }),
            ...(request.body !== undefined && {
              'Content-Type': 'application/json',
            }),
          },
          body:
            request.body !== undefined
              ? JSON.stringify(request.body)
              : undefined,
          timeoutMs: this.#config.keys.fetchTimeoutMs,
          policy: this.#config.urlPolicy,
          resolve: this.#resolve,
        }),
      );
    } catch (error) {
      throw new RemoteTransmitterError(
        error instanceof TokenRequestError
          ? (error as Error).message
          : `The provider's transmitter could not be reached: ${receiverPolicyMessage(
              (error as Error).message,
            )}`,
      );
    }
    let parsed: any = undefined;
    if (response.body.trim()) {
      try {
        parsed = JSON.parse(response.body);
      } catch {
        // not JSON
      }
    }
    if (
      (response.status < 200 || response.status >= 300) &&
      !alsoOk.includes(response.status)
    ) {
      const message =
        parsed?.error?.message ??
        parsed?.error_description ??
        parsed?.description ??
        parsed?.errorSummary ??
        (typeof parsed?.error === 'string' ? parsed.error : undefined) ??
        response.body.slice(0, 200);
      const challenge =
        response.status === 401 ? challengeOf(response) : undefined;
      throw new RemoteTransmitterError(
        `The provider's transmitter answered HTTP ${response.status}${
          challenge ? ` (WWW-Authenticate: ${challenge})` : ''
        }${message ? `: ${String(message).slice(0, 500)}` : ''}`,
      );
    }
    return { status: response.status, body: parsed };
  }
}

/**
 * The provider fields a stream configuration answer sets: all of them on
 * create and read (absent members are cleared), only those present after an
 * update (a transmitter answering less keeps what was known).
 */
function configurationPatch(
  stream: StreamAnswer,
  mode: 'all' | 'present',
): ProviderStatePatch {
  const patch: ProviderStatePatch = {};
  const set = <K extends keyof ProviderStatePatch>(
    key: K,
    present: boolean,
    value: ProviderStatePatch[K],
  ) => {
    if (present || mode === 'all') patch[key] = value;
  };
  set('remoteStreamAud', stream.aud !== undefined, stream.aud);
  set(
    'remoteStreamEventsRequested',
    stream.events_requested !== undefined,
    stream.events_requested,
  );
  set(
    'remoteStreamEventsDelivered',
    stream.events_delivered !== undefined,
    stream.events_delivered,
  );
  set(
    'remoteStreamDescription',
    stream.description !== undefined,
    stream.description?.slice(0, MAX_DESCRIPTION),
  );
  set(
    'remoteStreamDeliveryMethod',
    stream.delivery !== undefined,
    stream.delivery?.method,
  );
  set(
    'remoteStreamEndpointUrl',
    stream.delivery !== undefined,
    absoluteUrl(stream.delivery?.endpoint_url),
  );
  return patch;
}

/** An http(s) URL, or undefined: anything else is not something to poll. */
function absoluteUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

function alreadyHasStream(provider: ProviderRecord, streamId: string) {
  return new ConflictError(
    `Provider ${provider.id} already has a stream (${streamId}) at its transmitter; delete it first`,
  );
}

/** A status the transmitter answered, as the view shows it (reason cut to size). */
function toStatus(
  streamId: string,
  answered: z.infer<typeof streamStatus>,
): StreamStatus {
  return {
    stream_id: streamId,
    status: answered.status,
    ...(answered.reason !== undefined && {
      reason: answered.reason.slice(0, MAX_REASON),
    }),
  };
}

function requireStreamId(provider: ProviderRecord): string {
  if (!provider.remoteStreamId) {
    throw new InputError(
      `Provider ${provider.id} has no stream at its transmitter yet; create one first`,
    );
  }
  return provider.remoteStreamId;
}

function endpoint(
  metadata: RemoteTransmitterMetadata,
  key: keyof RemoteTransmitterMetadata,
): string {
  const value = metadata[key];
  if (typeof value !== 'string') {
    throw new RemoteTransmitterError(
      `The provider's transmitter metadata has no ${key}`,
    );
  }
  return value;
}

/** SSF 1.0 §7.2: the well-known segment goes between the host and the issuer's path. */
function wellKnownUrlFor(issuer: string): string {
  const url = new URL(issuer);
  return `${url.origin}/.well-known/ssf-configuration${url.pathname.replace(
    /\/+$/,
    '',
  )}`;
}

/** Adds `stream_id` to an endpoint, keeping any query it already has. */
function withStreamId(endpointUrl: string, streamId: string): string {
  const url = new URL(endpointUrl);
  url.searchParams.set('stream_id', streamId);
  return url.toString();
}
