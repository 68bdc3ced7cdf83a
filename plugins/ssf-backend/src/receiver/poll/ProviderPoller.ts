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

import { LoggerService } from '@backstage/backend-plugin-api';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import { outboundRequest } from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';
import { ReceiverConfig } from '../config';
import { IngestionService } from '../ingestion/IngestionService';
import { SetError } from '../ingestion/SetError';
import { ReceiverMetrics } from '../metrics';
import { SsfAlerts } from '../../notifications';
import { receiverPolicyMessage } from '../keys/transmitterMetadata';
import { ProviderRecord, ProviderStore } from '../providers/ProviderStore';
import {
  challengeOf,
  TransmitterCredentials,
} from '../remote/TransmitterCredentials';

/** What one poll of one provider did. @internal */
export interface PollOutcome {
  received: number;
  stored: number;
  rejected: number;
  error?: string;
}

// A poll cycle stops after this many requests even if the transmitter keeps
// saying moreAvailable, so one provider cannot hold the task forever.
const MAX_REQUESTS_PER_CYCLE = 20;
const MAX_POLL_RESPONSE_BYTES = 16 * 1024 * 1024;

/**
 * RFC 8936 polling of poll-connected providers. Each SET goes through the
 * same pipeline as a pushed one; the next request acknowledges (`ack`) what
 * was stored (or already stored) and reports `setErrs` for what was refused
 * with an RFC 8935 code. SETs that failed for a passing reason (keys or
 * database unavailable) are neither acknowledged nor reported, so the
 * transmitter offers them again.
 *
 * @internal
 */
export class ProviderPoller {
  readonly #store: ProviderStore;
  readonly #ingestion: IngestionService;
  readonly #config: ReceiverConfig;
  readonly #credentials: TransmitterCredentials;
  readonly #logger: LoggerService;
  readonly #resolve?: HostResolver;
  readonly #metrics?: ReceiverMetrics;
  readonly #alerts?: SsfAlerts;

  constructor(options: {
    store: ProviderStore;
    ingestion: IngestionService;
    config: ReceiverConfig;
    credentials: TransmitterCredentials;
    logger: LoggerService;
    resolve?: HostResolver;
    metrics?: ReceiverMetrics;
    /** Told when polling a provider fails, and when it works again. */
    alerts?: SsfAlerts;
  }) {
    this.#store = options.store;
    this.#ingestion = options.ingestion;
    this.#config = options.config;
    this.#credentials = options.credentials;
    this.#logger = options.logger;
    this.#resolve = options.resolve;
    this.#metrics = options.metrics;
    this.#alerts = options.alerts;
  }

  /** Polls every ACTIVE poll-connected provider once (the scheduled task). */
  async pollAll(signal?: AbortSignal): Promise<void> {
    const providers = await this.#store.list({
      deliveryMethod: DELIVERY_METHODS.poll,
      status: 'ACTIVE',
    });
    for (const provider of providers) {
      if (signal?.aborted) return;
      await this.poll(provider);
    }
  }

  async poll(provider: ProviderRecord): Promise<PollOutcome> {
    const outcome: PollOutcome = { received: 0, stored: 0, rejected: 0 };
    try {
      await this.#cycle(provider, outcome);
      this.#alerts?.providerFetchSucceeded(provider.id, 'poll');
    } catch (error) {
      outcome.error = receiverPolicyMessage((error as Error).message);
      this.#alerts?.providerFetchFailed(provider.id, 'poll', outcome.error);
      this.#logger.warn(
        `Polling Security Events Provider ${provider.id} failed: ${outcome.error}`,
      );
    }
    await this.#store.patchState(provider.id, {
      lastPollAt: new Date(),
      lastPollError: outcome.error,
    });
    return outcome;
  }

  async #cycle(provider: ProviderRecord, outcome: PollOutcome) {
    const endpointUrl = pollUrlOf(provider);
    if (!endpointUrl) {
      throw new Error('The provider has no poll endpoint_url');
    }
    let ack: string[] = [];
    let setErrs: Record<string, { err: string; description: string }> = {};
    for (let i = 0; i < MAX_REQUESTS_PER_CYCLE; i++) {
      const { sets, moreAvailable } = await this.#request(
        provider,
        endpointUrl,
        {
          maxEvents: this.#config.poll.maxEvents,
          returnImmediately: true,
          ...(ack.length && { ack }),
          ...(Object.keys(setErrs).length && { setErrs }),
        },
      );
      ack = [];
      setErrs = {};
      for (const [jti, token] of Object.entries(sets)) {
        outcome.received++;
        try {
          const result = await this.#ingestion.ingest(token, {
            deliveryMethod: DELIVERY_METHODS.poll,
            provider,
          });
          if (result.inserted) outcome.stored++;
          ack.push(jti);
          this.#metrics?.received(provider.id, 'accepted', 'poll');
        } catch (error) {
          this.#metrics?.received(
            provider.id,
            error instanceof SetError ? error.err : 'temporarily_unavailable',
            'poll',
          );
          if (error instanceof SetError && error.status === 400) {
            outcome.rejected++;
            setErrs[jti] = { err: error.err, description: error.message };
          } else {
            this.#logger.warn(
              `A SET polled from ${
                provider.id
              } could not be stored now; it will be offered again: ${
                (error as Error).message
              }`,
            );
          }
        }
      }
      const unreported = ack.length + Object.keys(setErrs).length;
      if (!moreAvailable) {
        if (unreported) {
          // Acknowledge the last batch without asking for more.
          await this.#request(provider, endpointUrl, {
            maxEvents: 0,
            returnImmediately: true,
            ...(ack.length && { ack }),
            ...(Object.keys(setErrs).length && { setErrs }),
          });
        }
        return;
      }
    }
  }

  async #request(
    provider: ProviderRecord,
    endpointUrl: string,
    body: Record<string, unknown>,
  ): Promise<{ sets: Record<string, string>; moreAvailable: boolean }> {
    // A refused access token (401) is renewed and the request sent once more.
    const response = await this.#credentials.send(
      provider.issuer,
      authorization =>
        outboundRequest({
          method: 'POST',
          url: endpointUrl,
          field: 'delivery.endpoint_url',
          headers: {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            ...(authorization && { Authorization: authorization }),
          },
          body: JSON.stringify(body),
          timeoutMs: this.#config.poll.timeoutMs,
          maxResponseBytes: MAX_POLL_RESPONSE_BYTES,
          policy: this.#config.urlPolicy,
          resolve: this.#resolve,
        }),
    );
    if (response.status !== 200) {
      const challenge =
        response.status === 401 ? challengeOf(response) : undefined;
      throw new Error(
        `The poll endpoint answered HTTP ${response.status}${
          challenge ? ` (WWW-Authenticate: ${challenge})` : ''
        }`,
      );
    }
    let parsed: { sets?: unknown; moreAvailable?: unknown };
    try {
      parsed = JSON.parse(response.body);
    } catch {
      throw new Error('The poll endpoint did not return JSON');
    }
    const sets = parsed.sets;
    if (
      typeof sets !== 'object' ||
      sets === null ||
      Array.isArray(sets) ||
      !Object.values(sets).every(s => typeof s === 'string')
    ) {
      throw new Error('The poll response has no sets object of compact SETs');
    }
    return {
      sets: sets as Record<string, string>,
      moreAvailable: parsed.moreAvailable === true,
    };
  }
}

/**
 * The URL to poll: the `endpoint_url` the transmitter chose for the stream
 * this receiver created there (RFC 8936 §2, SSF 1.0 §6.1.2), used as given,
 * query string included; otherwise the one configured on the provider, for
 * a stream made elsewhere.
 *
 * @internal
 */
export function pollUrlOf(provider: ProviderRecord): string | undefined {
  if (
    provider.remoteStreamId &&
    provider.remoteStreamDeliveryMethod === DELIVERY_METHODS.poll &&
    provider.remoteStreamEndpointUrl
  ) {
    return provider.remoteStreamEndpointUrl;
  }
  return provider.pollEndpointUrl;
}
