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
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';

/** The severities Backstage notifications know. */
type Severity = 'critical' | 'high' | 'normal' | 'low';

/** What one alert says; the scope makes repeats update one notification. */
interface Alert {
  scope: string;
  title: string;
  description: string;
  severity: Severity;
  link: string;
  topic: string;
}

/**
 * The least time between two notifications about one non-recurring thing
 * (a stream the transmitter paused, say): a stream flapping between states
 * must not call the notifications service on every flap.
 */
const ONE_OFF_MIN_INTERVAL_MS = 60_000;

/** Error texts in a description are cut to this length. */
const MAX_DETAIL_CHARS = 300;

/** Where the SSF pages are, in the portal. */
const streamLink = (streamId: string) =>
  `/ssf/streams/${encodeURIComponent(streamId)}`;
const providerLink = (providerId: string) =>
  `/ssf/providers/${encodeURIComponent(providerId)}`;

/** What a provider could not fetch. */
export type ProviderFetch = 'keys' | 'metadata' | 'poll';

const FETCH_WORDS: Record<ProviderFetch, string> = {
  keys: 'signing keys (JWKS)',
  metadata: 'transmitter metadata',
  poll: 'poll endpoint',
};

/**
 * Alerts of the SSF plugin, sent as Backstage notifications to the
 * recipients in `ssf.notifications.recipients`.
 *
 * Every alert names a `scope`; the notifications backend updates the
 * recipient's existing notification with the same scope and origin instead
 * of adding one (plugin-notifications-backend's router,
 * `getExistingScopeNotification`), so a receiver that keeps failing is one
 * notification that is refreshed, not thousands. On top of that each scope
 * is rate-limited here, in memory, so a burst of failures calls the
 * notifications service a bounded number of times.
 *
 * Sending never blocks nor fails the caller: it is started and its error
 * logged. With no notifications service or no recipients every method is a
 * no-op.
 *
 * Nothing secret goes into a notification: alerts carry ids, counts and
 * the error text of a failed request, which never includes the request's
 * headers.
 *
 * @internal
 */
export class SsfAlerts {
  readonly #notifications?: NotificationService;
  readonly #recipients: string[];
  readonly #deadLetterIntervalMs: number;
  readonly #logger: LoggerService;
  readonly #now: () => number;
  // Scope → when its last notification was sent. A scope in here is "on"
  // (failing); a success deletes it so that the next failure is told at once.
  readonly #lastSent = new Map<string, number>();
  /** Scopes whose failure ended (a delivery, a good fetch) since last told. */
  readonly #recovered = new Set<string>();
  readonly #inFlight = new Set<Promise<void>>();

  /**
   * Reads `ssf.notifications` and validates it; throws an Error naming the
   * key when a recipient is not a user or group entity reference.
   *
   * @param options.notifications - The notification service, or undefined
   *   when the notifications backend is not installed (alerts are off).
   */
  static fromConfig(options: {
    config: Config;
    notifications?: NotificationService;
    logger: LoggerService;
    now?: () => number;
  }): SsfAlerts {
    const c = options.config.getOptionalConfig('ssf.notifications');
    const recipients = readRecipients(
      c?.getOptionalStringArray('recipients') ?? [],
    );
    let deadLetterIntervalMs = 3_600_000;
    if (c?.has('deadLetterInterval')) {
      try {
        deadLetterIntervalMs = durationToMilliseconds(
          readDurationFromConfig(c, { key: 'deadLetterInterval' }),
        );
      } catch (error) {
        throw new Error(
          `Invalid ssf.notifications.deadLetterInterval: ${
            (error as Error).message
          }`,
        );
      }
      if (!(deadLetterIntervalMs > 0)) {
        throw new Error(
          'Invalid ssf.notifications.deadLetterInterval: must be longer than zero',
        );
      }
    }
    return new SsfAlerts({
      notifications: options.notifications,
      recipients,
      deadLetterIntervalMs,
      logger: options.logger,
      now: options.now,
    });
  }

  constructor(options: {
    notifications?: NotificationService;
    recipients: string[];
    deadLetterIntervalMs: number;
    logger: LoggerService;
    now?: () => number;
  }) {
    this.#notifications = options.notifications;
    this.#recipients = options.recipients;
    this.#deadLetterIntervalMs = options.deadLetterIntervalMs;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
  }

  /** Whether alerts are sent at all (a service and recipients). */
  get enabled(): boolean {
    return this.#notifications !== undefined && this.#recipients.length > 0;
  }

  /**
   * A SET to the stream was dead-lettered. Told for the first dead letter
   * after a delivery (or the first ever), then at most once per
   * `ssf.notifications.deadLetterInterval` while the stream keeps
   * dead-lettering.
   */
  deadLettered(streamId: string, error: string): void {
    this.#failing(
      {
        scope: `ssf:stream:${streamId}:dead-letters`,
        title: `SSF stream ${streamId} is dead-lettering events`,
        description: `Security Event Tokens to this stream are being given up on (dead-lettered). Last error: ${detail(
          error,
        )}`,
        severity: 'high',
        link: streamLink(streamId),
        topic: 'ssf-delivery',
      },
      this.#deadLetterIntervalMs,
    );
  }

  /**
   * A SET to the stream was delivered: the next dead letter is told at once
   * (or a minute after the last one told, for a stream that keeps flapping).
   */
  delivered(streamId: string): void {
    this.#recover(`ssf:stream:${streamId}:dead-letters`);
  }

  /**
   * The transmitter paused a stream on its own (not at a receiver's or an
   * admin's request), e.g. after a receiver went inactive.
   */
  streamPausedByTransmitter(stream: { streamId: string }, reason: string) {
    this.#oneOff({
      scope: `ssf:stream:${stream.streamId}:status`,
      title: `SSF stream ${stream.streamId} was paused by the transmitter`,
      description: `Events for this stream are held, not delivered. Reason: ${detail(
        reason,
      )}`,
      severity: 'high',
      link: streamLink(stream.streamId),
      topic: 'ssf-delivery',
    });
  }

  /**
   * The transmitter disabled a stream on its own (not at a receiver's or an
   * admin's request).
   */
  streamDisabledByTransmitter(stream: { streamId: string }, reason: string) {
    this.#oneOff({
      scope: `ssf:stream:${stream.streamId}:status`,
      title: `SSF stream ${stream.streamId} was disabled by the transmitter`,
      description: `Events for this stream are dropped. Reason: ${detail(
        reason,
      )}`,
      severity: 'critical',
      link: streamLink(stream.streamId),
      topic: 'ssf-delivery',
    });
  }

  /**
   * A provider's keys, metadata or poll endpoint could not be fetched. Told
   * at the first failure after a success, then at most once per
   * `deadLetterInterval` while it keeps failing.
   */
  providerFetchFailed(
    providerId: string,
    what: ProviderFetch,
    error: string,
  ): void {
    this.#failing(
      {
        scope: `ssf:provider:${providerId}:${what}`,
        title: `SSF provider ${providerId}: cannot fetch its ${FETCH_WORDS[what]}`,
        description:
          what === 'keys'
            ? `SETs from this provider cannot be verified and are refused for now. Error: ${detail(
                error,
              )}`
            : `Error: ${detail(error)}`,
        severity: what === 'metadata' ? 'normal' : 'high',
        link: providerLink(providerId),
        topic: 'ssf-receiver',
      },
      this.#deadLetterIntervalMs,
    );
  }

  /** A fetch that failed works again: its next failure is told at once. */
  providerFetchSucceeded(providerId: string, what: ProviderFetch): void {
    this.#recover(`ssf:provider:${providerId}:${what}`);
  }

  /**
   * A lifecycle catalog reconciliation sent no removal events because more
   * users vanished than `ssf.lifecycle.catalog.maxRemovedFraction` allows.
   */
  reconciliationHeldBack(details: {
    removed: number;
    known: number;
    maxRemovedFraction: number;
  }): void {
    this.#failing(
      {
        scope: 'ssf:lifecycle:catalog-reconciliation',
        title: 'SSF lifecycle: catalog reconciliation held back',
        description: `${details.removed} of ${details.known} users vanished from the catalog in one run, more than ssf.lifecycle.catalog.maxRemovedFraction (${details.maxRemovedFraction}) allows; no removal events were sent. Check the catalog; raise the fraction if this is intended.`,
        severity: 'high',
        link: '/ssf',
        topic: 'ssf-lifecycle',
      },
      this.#deadLetterIntervalMs,
    );
  }

  /** A reconciliation went through: the next hold-back is told at once. */
  reconciliationSucceeded(): void {
    this.#recover('ssf:lifecycle:catalog-reconciliation');
  }

  /** Waits for the notifications being sent (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.#inFlight.size) {
      await Promise.all([...this.#inFlight]);
    }
  }

  /**
   * A failure that comes back after a recovery is told at once, unless one
   * was told less than a minute ago: a receiver that rejects one SET in ten
   * recovers between every two dead letters, and would otherwise be told
   * of each of them.
   */
  #failing(alert: Alert, intervalMs: number) {
    const recovered = this.#recovered.has(alert.scope);
    if (
      this.#throttled(alert, recovered ? ONE_OFF_MIN_INTERVAL_MS : intervalMs)
    ) {
      this.#recovered.delete(alert.scope);
    }
  }

  #recover(scope: string) {
    if (this.#lastSent.has(scope)) this.#recovered.add(scope);
  }

  #oneOff(alert: Alert) {
    this.#throttled(alert, ONE_OFF_MIN_INTERVAL_MS);
  }

  /** Sends the alert unless its scope was told within `intervalMs`; whether it sent. */
  #throttled(alert: Alert, intervalMs: number): boolean {
    if (!this.enabled) return false;
    const now = this.#now();
    const last = this.#lastSent.get(alert.scope);
    if (last !== undefined && now - last < intervalMs) return false;
    this.#lastSent.set(alert.scope, now);
    this.#send(alert);
    return true;
  }

  #send(alert: Alert) {
    const options: NotificationSendOptions = {
      recipients: { type: 'entity', entityRef: this.#recipients },
      payload: {
        title: alert.title,
        description: alert.description,
        severity: alert.severity,
        link: alert.link,
        scope: alert.scope,
        topic: alert.topic,
      },
    };
    const sending = this.#notifications!.send(options)
      .catch(error =>
        this.#logger.warn(
          `SSF could not send the notification "${alert.title}": ${
            (error as Error).message
          }`,
        ),
      )
      .finally(() => this.#inFlight.delete(sending));
    this.#inFlight.add(sending);
  }
}

function detail(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_DETAIL_CHARS
    ? `${oneLine.slice(0, MAX_DETAIL_CHARS)}…`
    : oneLine;
}

function readRecipients(refs: string[]): string[] {
  return refs.map(ref => {
    let parsed;
    try {
      parsed = parseEntityRef(ref);
    } catch (error) {
      throw new Error(
        `Invalid ssf.notifications.recipients entry "${ref}": ${
          (error as Error).message
        }`,
      );
    }
    const kind = parsed.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') {
      throw new Error(
        `Invalid ssf.notifications.recipients entry "${ref}": must be a user or group entity reference (e.g. user:default/jane or group:default/security)`,
      );
    }
    return stringifyEntityRef({ ...parsed, kind });
  });
}
