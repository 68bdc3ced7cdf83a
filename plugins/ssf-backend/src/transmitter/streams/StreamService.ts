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

import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  CreateStreamRequest,
  DELIVERY_METHODS,
  StreamConfiguration,
  StreamDeliveryRequest,
  StreamStatus,
  StreamStatusValue,
  TRANSMITTER_SUPPLIED_PROPERTIES,
  UpdateStreamRequest,
} from '@shared-signals/plugin-ssf-common';
import type { SsfStreamsComponents } from '@shared-signals/plugin-ssf-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { TransmitterConfig } from '../config';
import { StreamRecord, StreamStore } from './StreamStore';
import { checkOutboundUrl, HostResolver } from '../../http/outboundUrlPolicy';
import {
  lockForTransaction,
  TRANSACTION_LOCKS,
} from '../../database/transactionLock';
import { isUniqueViolation } from '../../database/uniqueViolation';
import {
  DEFAULT_PROFILE_ID,
  ReceiverProfiles,
} from '../profiles/ReceiverProfiles';

/**
 * Who is asking. A receiver (an OAuth client, seen as a service principal)
 * owns at most one stream and sees only that one; a portal admin, already
 * authorised by the route, sees and manages every stream.
 *
 * @internal
 */
export type StreamCaller =
  | {
      type: 'client';
      /** The service principal's subject: owns the stream. */
      clientId: string;
      /** The client ID as the authorization server issued it: the default `aud`. */
      audience: string;
    }
  | { type: 'admin'; userEntityRef: string };

/**
 * A receiver profile as `GET /receiver-profiles` lists it.
 *
 * @internal
 */
export interface ReceiverProfileView {
  id: string;
  title: string;
  description?: string;
  events_supported: string[];
  signing_algorithms?: string[];
  accepts_stream_events: boolean;
}

/**
 * Who changes a stream's status: a caller, or the transmitter itself (SSF
 * 1.0 §8.1.1: it pauses a stream whose receiver went inactive).
 *
 * @internal
 */
export type StatusChanger = StreamCaller | { type: 'transmitter' };

/**
 * Called, inside the transaction, when a stream's status is about to change.
 *
 * @internal
 */
export type StatusChangeHandler = (change: {
  tx: Knex.Transaction;
  before: StreamRecord;
  after: StreamRecord;
  caller: StatusChanger;
}) => Promise<void>;

/**
 * Called, inside the transaction, when a portal admin changes the delivery
 * of a stream another client owns (see {@link isAdminDeliveryChange}). It
 * may return work to do once the change is committed (telling the receiver
 * at the old endpoint); that work never throws and reports what it did.
 *
 * @internal
 */
export type DeliveryChangeHandler = (change: {
  tx: Knex.Transaction;
  before: StreamRecord;
  after: StreamRecord;
  caller: StreamCaller;
}) => Promise<(() => Promise<DeliveryChangeNotice>) | undefined>;

/**
 * How the receiver was told that a portal admin changed its stream's
 * delivery.
 *
 * @internal
 */
export interface DeliveryChangeNotice {
  /**
   * The stream-updated SET queued for the stream as it now is. (A stream
   * whose receiver profile takes no stream events gets none, and no notice.)
   */
  jti: string;
  /**
   * The same SET pushed straight to the old push endpoint, with its old
   * authorization header: `delivered`, the reason it was not, or
   * `not-push` when the old delivery was poll.
   */
  previousEndpoint: string;
}

/**
 * The outcome of a PUT or PATCH: the stream before and after, and, when a
 * portal admin changed another client's delivery, how its receiver was told.
 *
 * @internal
 */
export interface StreamChange {
  before: StreamRecord;
  after: StreamRecord;
  configuration: StreamConfiguration;
  /** Set when {@link isAdminDeliveryChange} held for this change. */
  deliveryNotice?: DeliveryChangeNotice;
}

/**
 * Whether two deliveries differ in where or how SETs are sent: method,
 * endpoint URL or authorization header.
 *
 * @internal
 */
export function deliveryChanged(
  before: StreamRecord['delivery'],
  after: StreamRecord['delivery'],
): boolean {
  return (
    before.method !== after.method ||
    before.endpointUrl !== after.endpointUrl ||
    (before.authorizationHeader ?? '') !== (after.authorizationHeader ?? '')
  );
}

/**
 * A portal admin re-pointing (or re-keying) the delivery of a stream that
 * another client owns: the change a hijack takes, so it is audited at high
 * severity and announced to the receiver. An admin's own streams (created
 * without `client_id`) and a receiver changing its own stream do not count.
 *
 * @internal
 */
export function isAdminDeliveryChange(
  caller: StreamCaller,
  before: StreamRecord,
  after: StreamRecord,
): boolean {
  return (
    caller.type === 'admin' &&
    before.clientId !== caller.userEntityRef &&
    deliveryChanged(before.delivery, after.delivery)
  );
}

/**
 * Stream management with SSF 1.0 semantics (§8.1.1 – §8.1.2). The routes turn
 * HTTP into these calls; every rule about streams lives here.
 *
 * @internal
 */
export class StreamService {
  readonly #store: StreamStore;
  readonly #config: TransmitterConfig;
  readonly #profiles: ReceiverProfiles;
  readonly #clientIdOf: (subject: string) => string;
  readonly #baseUrl: string;
  readonly #resolve?: HostResolver;
  readonly #now: () => Date;
  readonly #onStatusChange?: StatusChangeHandler;
  readonly #onDeliveryChange?: DeliveryChangeHandler;

  constructor(options: {
    store: StreamStore;
    config: TransmitterConfig;
    profiles: ReceiverProfiles;
    /** The client ID behind a principal subject an admin names as owner. */
    clientIdOf?: (subject: string) => string;
    /** The plugin's own external base URL, e.g. https://portal/api/ssf. */
    baseUrl: string;
    resolve?: HostResolver;
    now?: () => Date;
    /** Runs inside the transaction that changes a stream's status. */
    onStatusChange?: StatusChangeHandler;
    /** Runs inside the transaction in which an admin changes another client's delivery. */
    onDeliveryChange?: DeliveryChangeHandler;
  }) {
    this.#store = options.store;
    this.#config = options.config;
    this.#profiles = options.profiles;
    this.#clientIdOf = options.clientIdOf ?? (subject => subject);
    this.#baseUrl = options.baseUrl;
    this.#resolve = options.resolve;
    this.#now = options.now ?? (() => new Date());
    this.#onStatusChange = options.onStatusChange;
    this.#onDeliveryChange = options.onDeliveryChange;
  }

  async create(
    caller: StreamCaller,
    request: CreateStreamRequest,
  ): Promise<StreamConfiguration> {
    const clientId = this.#ownerFor(caller, request.client_id);
    assertCatalogRefsByAdmin(caller, request, {});
    const profile = this.#profiles.get(request.receiver_profile);
    const algorithm = this.#config.signing.algorithm;
    if (
      profile.signingAlgorithms &&
      !profile.signingAlgorithms.includes(algorithm)
    ) {
      throw new InputError(
        `receiver_profile '${
          profile.id
        }' needs SETs signed with ${profile.signingAlgorithms.join(
          ' or ',
        )}, but this transmitter signs with ${algorithm} (ssf.transmitter.signing.algorithm)`,
      );
    }
    const streamId = randomUUID();
    const delivery = await this.#delivery(
      streamId,
      request.delivery,
      undefined,
    );
    // The audience a receiver checks is the client ID its authorization
    // server issued, not Backstage's decorated principal name.
    const aud =
      request.aud ??
      profile.defaultAudience?.({ clientId, delivery }) ??
      (caller.type === 'client' ? caller.audience : this.#clientIdOf(clientId));
    profile.validateStream?.({ aud, delivery });
    const now = this.#now();
    const record: StreamRecord = {
      streamId,
      clientId,
      iss: this.#config.issuer,
      aud,
      eventsRequested: dedupe(
        request.events_requested ?? [...(profile.defaultEventsRequested ?? [])],
      ),
      delivery,
      description: request.description,
      receiverProfile: profile.id,
      ...(request.owner !== undefined && { owner: request.owner }),
      ...(request.consumer !== undefined && { consumer: request.consumer }),
      status: 'enabled',
      minVerificationInterval: this.#config.minVerificationIntervalSeconds,
      // Creating it is the receiver's first activity (or, for a stream an
      // admin creates, where its inactivity clock starts).
      lastReceiverActivityAt: now,
      createdAt: now,
      updatedAt: now,
    };

    try {
      await this.#store.transaction(async tx => {
        await lockForTransaction(tx, TRANSACTION_LOCKS.streamCreate);
        const existing = await this.#store.getByClientId(clientId, tx);
        if (existing) {
          throw new ConflictError(
            `A stream already exists for client '${clientId}' (stream_id ${existing.streamId}); this transmitter supports one stream per client, update or delete it instead`,
          );
        }
        if ((await this.#store.count(tx)) >= this.#config.maxStreams) {
          throw new ConflictError(
            `This transmitter allows at most ${
              this.#config.maxStreams
            } streams (ssf.transmitter.maxStreams); delete one before creating another`,
          );
        }
        if (request.aud !== undefined) {
          await this.#assertAudienceFree(
            request.aud,
            clientId,
            caller.type === 'client'
              ? [caller.clientId, caller.audience]
              : [clientId, this.#clientIdOf(clientId)],
            tx,
          );
        }
        await this.#store.insert(record, tx);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A stream already exists for client '${clientId}'; this transmitter supports one stream per client`,
        );
      }
      throw error;
    }
    return this.toConfiguration(record);
  }

  /** The receiver profiles a stream may be created with, as the API names them. */
  receiverProfiles(): ReceiverProfileView[] {
    return this.#profiles.list().map(p => ({
      id: p.id,
      title: p.title,
      ...(p.description !== undefined && { description: p.description }),
      events_supported: this.#profiles.eventsSupported(
        { receiverProfile: p.id },
        this.#config.eventsSupported,
      ),
      ...(p.signingAlgorithms && {
        signing_algorithms: [...p.signingAlgorithms],
      }),
      accepts_stream_events: p.acceptsStreamEvents !== false,
    }));
  }

  async list(
    caller: StreamCaller,
    filter: { aud?: string },
  ): Promise<StreamConfiguration[]> {
    const streams = await this.#store.list({
      clientId: caller.type === 'client' ? caller.clientId : undefined,
      aud: filter.aud,
    });
    return streams.map(s => this.toConfiguration(s));
  }

  async get(
    caller: StreamCaller,
    streamId: string,
  ): Promise<StreamConfiguration> {
    return this.toConfiguration(await this.#visible(caller, streamId));
  }

  /** PUT: receiver-supplied properties that are absent are removed. */
  async replace(
    caller: StreamCaller,
    request: UpdateStreamRequest & { delivery: StreamDeliveryRequest },
  ): Promise<StreamChange> {
    return this.#change(caller, request, async current => ({
      ...withCatalogRefs(current, request),
      eventsRequested: dedupe(request.events_requested ?? []),
      description: request.description,
      delivery: await this.#delivery(
        current.streamId,
        request.delivery,
        current,
      ),
    }));
  }

  /** PATCH: only the properties present change. */
  async update(
    caller: StreamCaller,
    request: UpdateStreamRequest,
  ): Promise<StreamChange> {
    return this.#change(caller, request, async current => ({
      ...withCatalogRefs(current, request),
      eventsRequested:
        request.events_requested !== undefined
          ? dedupe(request.events_requested)
          : current.eventsRequested,
      description:
        request.description !== undefined
          ? request.description
          : current.description,
      delivery: request.delivery
        ? keepSecretForSameEndpoint(
            await this.#delivery(current.streamId, request.delivery, current),
            request.delivery,
            current.delivery,
          )
        : current.delivery,
    }));
  }

  async delete(caller: StreamCaller, streamId: string): Promise<StreamRecord> {
    return this.#store.transaction(async tx => {
      const stream = await this.#visible(caller, streamId, tx);
      await this.#store.delete(streamId, tx);
      return stream;
    });
  }

  async getStatus(
    caller: StreamCaller,
    streamId: string,
  ): Promise<StreamStatus> {
    return toStatus(await this.#visible(caller, streamId));
  }

  async updateStatus(
    caller: StreamCaller,
    request: { stream_id: string; status: StreamStatusValue; reason?: string },
  ): Promise<{ previous: StreamStatus; current: StreamStatus }> {
    return this.#store.transaction(async tx => {
      const stream = await this.#visible(caller, request.stream_id, tx);
      const updated: StreamRecord = {
        ...stream,
        status: request.status,
        statusReason: request.reason,
        updatedAt: this.#now(),
      };
      await this.#onStatusChange?.({
        tx,
        before: stream,
        after: updated,
        caller,
      });
      await this.#store.update(updated, tx);
      if (updated.status === 'enabled' && stream.status !== 'enabled') {
        // Re-enabled (by an admin, say, after an inactivity pause): the
        // receiver gets a full inactivity_timeout from now, not an instant
        // pause for the idleness that paused it.
        await this.#store.recordActivity(
          { streamId: stream.streamId },
          updated.updatedAt,
          tx,
        );
      }
      return { previous: toStatus(stream), current: toStatus(updated) };
    });
  }

  /**
   * SSF 1.0 §8.1.1: pauses an enabled stream whose receiver has not been
   * active since `idleSince`, as the transmitter (so the receiver is sent a
   * stream-updated SET). Checked again inside the transaction: a stream the
   * receiver used meanwhile, or whose status someone changed, is left alone.
   * Returns the paused stream, or undefined when it was left alone.
   */
  async pauseIfInactive(
    streamId: string,
    idleSince: Date,
    reason: string,
  ): Promise<StreamRecord | undefined> {
    return this.#store.transaction(async tx => {
      const stream = await this.#store.get(streamId, tx);
      if (
        !stream ||
        stream.status !== 'enabled' ||
        !stream.lastReceiverActivityAt ||
        stream.lastReceiverActivityAt.getTime() >= idleSince.getTime()
      ) {
        return undefined;
      }
      const updated: StreamRecord = {
        ...stream,
        status: 'paused',
        statusReason: reason,
        updatedAt: this.#now(),
      };
      await this.#onStatusChange?.({
        tx,
        before: stream,
        after: updated,
        caller: { type: 'transmitter' },
      });
      await this.#store.update(updated, tx);
      return updated;
    });
  }

  /** The stored stream, if the caller may see it (else NotFoundError). */
  async getRecord(
    caller: StreamCaller,
    streamId: string,
    tx?: Knex.Transaction,
  ): Promise<StreamRecord> {
    return this.#visible(caller, streamId, tx);
  }

  /** The wire form of a stream: secrets left out, derived fields computed. */
  toConfiguration(
    stream: StreamRecord,
  ): StreamConfiguration &
    SsfStreamsComponents['schemas']['StreamConfiguration'] {
    const supported = this.#profiles.eventsSupported(
      stream,
      this.#config.eventsSupported,
    );
    return {
      stream_id: stream.streamId,
      iss: stream.iss,
      aud: stream.aud,
      events_supported: [...supported],
      events_requested: [...stream.eventsRequested],
      events_delivered: stream.eventsRequested.filter(e =>
        supported.includes(e),
      ),
      delivery: {
        method: stream.delivery.method,
        endpoint_url: stream.delivery.endpointUrl,
      },
      ...(stream.description !== undefined && {
        description: stream.description,
      }),
      min_verification_interval: stream.minVerificationInterval,
      ...(this.#config.inactivityTimeoutSeconds !== undefined && {
        inactivity_timeout: this.#config.inactivityTimeoutSeconds,
      }),
      ...(stream.receiverProfile !== DEFAULT_PROFILE_ID && {
        receiver_profile: stream.receiverProfile,
      }),
      ...(stream.owner !== undefined && { owner: stream.owner }),
      ...(stream.consumer !== undefined && { consumer: stream.consumer }),
    };
  }

  async #change(
    caller: StreamCaller,
    request: UpdateStreamRequest,
    apply: (current: StreamRecord) => Promise<StreamRecord>,
  ): Promise<StreamChange> {
    // Validation that needs DNS happens before the transaction opens, so no
    // database connection is held while waiting on the network.
    const before = await this.#visible(caller, request.stream_id);
    this.#assertTransmitterSuppliedUnchanged(request, before);
    assertCatalogRefsByAdmin(caller, request, before);
    const next = { ...(await apply(before)), updatedAt: this.#now() };
    const adminChange = isAdminDeliveryChange(caller, before, next);
    const afterCommit = await this.#store.transaction(async tx => {
      const current = await this.#visible(caller, request.stream_id, tx);
      if (current.updatedAt.getTime() !== before.updatedAt.getTime()) {
        throw new ConflictError(
          `Stream ${request.stream_id} was changed by another request; read it again and retry`,
        );
      }
      await this.#store.update(next, tx);
      return adminChange
        ? this.#onDeliveryChange?.({ tx, before, after: next, caller })
        : undefined;
    });
    // After the commit, so the old endpoint hears only of a change that
    // happened, and no connection is held while it is called.
    const deliveryNotice = afterCommit ? await afterCommit() : undefined;
    return {
      before,
      after: next,
      configuration: this.toConfiguration(next),
      ...(deliveryNotice && { deliveryNotice }),
    };
  }

  /**
   * A proposed `aud` must not be one another client's stream uses (one of
   * its audiences, or that client's ID): a receiver that could choose
   * another's audience would be sent SETs meant for that receiver, and could
   * replay them to it. The owner's own client ID is always allowed.
   */
  async #assertAudienceFree(
    aud: string | string[],
    clientId: string,
    own: string[],
    tx: Knex.Transaction,
  ) {
    const taken = new Set<string>();
    // aud is stored as JSON, so it is compared here, as StreamStore.list
    // does, the same on SQLite and PostgreSQL.
    for (const stream of await this.#store.list({}, tx)) {
      if (stream.clientId === clientId) continue;
      for (const value of [stream.aud].flat()) taken.add(value);
      taken.add(stream.clientId);
      taken.add(this.#clientIdOf(stream.clientId));
    }
    for (const value of [aud].flat()) {
      if (!own.includes(value) && taken.has(value)) {
        throw new ConflictError(
          `aud '${value}' is already used by another client's stream; a stream's audience must be its own, so propose another, or leave aud out to use the owning client's ID ('${
            own[own.length - 1]
          }')`,
        );
      }
    }
  }

  #assertTransmitterSuppliedUnchanged(
    request: UpdateStreamRequest,
    current: StreamRecord,
  ) {
    const held = this.toConfiguration(current) as unknown as Record<
      string,
      unknown
    >;
    const sent = request as Record<string, unknown>;
    for (const property of TRANSMITTER_SUPPLIED_PROPERTIES) {
      if (sent[property] === undefined) continue;
      if (
        !isDeepStrictEqual(normalise(sent[property]), normalise(held[property]))
      ) {
        throw new InputError(
          `${property} is set by the transmitter and cannot be changed (it is ${JSON.stringify(
            held[property],
          )})`,
        );
      }
    }
  }

  #ownerFor(caller: StreamCaller, requested: string | undefined): string {
    if (caller.type === 'client') {
      if (requested !== undefined && requested !== caller.clientId) {
        throw new InputError(
          'client_id can only be chosen by a portal administrator; a receiver always owns the stream it creates',
        );
      }
      return caller.clientId;
    }
    return requested ?? caller.userEntityRef;
  }

  async #delivery(
    streamId: string,
    request: StreamDeliveryRequest | undefined,
    current: StreamRecord | undefined,
  ): Promise<StreamRecord['delivery']> {
    const pollUrl = `${this.#baseUrl}/poll/${encodeURIComponent(streamId)}`;
    if (!request || request.method === DELIVERY_METHODS.poll) {
      if (
        request?.endpoint_url !== undefined &&
        request.endpoint_url !== pollUrl
      ) {
        throw new InputError(
          current
            ? `delivery.endpoint_url for poll delivery is set by the transmitter and must be ${pollUrl}`
            : 'delivery.endpoint_url for poll delivery is set by the transmitter; leave it out',
        );
      }
      return { method: DELIVERY_METHODS.poll, endpointUrl: pollUrl };
    }
    const { url } = await checkOutboundUrl(
      request.endpoint_url,
      this.#config.urlPolicy,
      {
        field: 'delivery.endpoint_url',
        resolve: this.#resolve,
        // Checked again, strictly, before every delivery.
        unresolvable: 'allow',
      },
    );
    return {
      method: DELIVERY_METHODS.push,
      endpointUrl: url.toString(),
      authorizationHeader: request.authorization_header,
    };
  }

  async #visible(
    caller: StreamCaller,
    streamId: string,
    tx?: Knex.Transaction,
  ) {
    const stream = await this.#store.get(streamId, tx);
    // Another client's stream is reported exactly like a missing one, so a
    // receiver cannot probe for stream IDs it does not own.
    if (
      !stream ||
      (caller.type === 'client' && stream.clientId !== caller.clientId)
    ) {
      throw new NotFoundError(`Stream ${streamId} not found`);
    }
    return stream;
  }
}

/**
 * PATCH semantics for the write-only authorization header: a receiver never
 * reads it back, so a PATCH that echoes the delivery it read (without the
 * header) keeps it — as long as it still goes to the same endpoint. A new
 * endpoint never inherits the old one's secret.
 */
function keepSecretForSameEndpoint(
  next: StreamRecord['delivery'],
  request: StreamDeliveryRequest,
  current: StreamRecord['delivery'],
): StreamRecord['delivery'] {
  const omitted =
    !('authorization_header' in request) ||
    request.authorization_header === undefined;
  if (
    omitted &&
    next.method === current.method &&
    next.endpointUrl === current.endpointUrl &&
    current.authorizationHeader !== undefined
  ) {
    return { ...next, authorizationHeader: current.authorizationHeader };
  }
  return next;
}

/**
 * `owner` and `consumer` place a stream in the catalog (its owner, and a
 * dependsOn relation from the consumer), so only a portal admin chooses
 * them; a receiver may echo the values it read, as with transmitter-supplied
 * properties.
 */
function assertCatalogRefsByAdmin(
  caller: StreamCaller,
  request: { owner?: string | null; consumer?: string | null },
  current: Pick<StreamRecord, 'owner' | 'consumer'>,
) {
  if (caller.type === 'admin') return;
  for (const member of ['owner', 'consumer'] as const) {
    const sent = request[member];
    if (sent !== undefined && sent !== (current[member] ?? null)) {
      throw new InputError(
        `${member} can only be set by a portal administrator; a receiver may only echo the value it read (${JSON.stringify(
          current[member] ?? null,
        )})`,
      );
    }
  }
}

/**
 * The stream with the request's `owner` and `consumer` applied: absent keeps
 * the held value (PUT and PATCH alike, see the request schemas), `null`
 * removes it.
 */
function withCatalogRefs(
  current: StreamRecord,
  request: { owner?: string | null; consumer?: string | null },
): StreamRecord {
  const next: StreamRecord = { ...current };
  for (const member of ['owner', 'consumer'] as const) {
    const sent = request[member];
    if (sent === null) delete next[member];
    else if (sent !== undefined) next[member] = sent;
  }
  return next;
}

function toStatus(stream: StreamRecord): StreamStatus {
  return {
    stream_id: stream.streamId,
    status: stream.status,
    ...(stream.statusReason !== undefined && { reason: stream.statusReason }),
  };
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

function normalise(value: unknown): unknown {
  return Array.isArray(value) ? [...value].sort() : value;
}
