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

import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Shared Signals Framework (SSF) plugin */
  ssf?: {
    /** Who may use the Shared Signals admin pages and APIs. */
    permissions?: {
      /**
       * Entity refs of the groups (or users) meant to administer SSF. The
       * plugin warns (log and admin page) when the permission policy lets
       * anyone else manage SSF; the ssf-policy permission module grants
       * ssf.* to exactly these. Default: group:default/ssf-admins.
       */
      adminGroups?: string[];
    };
    /**
     * Alerts sent as Backstage notifications (needs the notifications
     * backend): streams that dead-letter or that the transmitter pauses or
     * disables, providers whose keys, metadata or poll endpoint fail, and
     * held-back lifecycle reconciliations. Off without recipients.
     */
    notifications?: {
      /**
       * Entity refs of the users or groups told, e.g.
       * `group:default/ssf-admins`. Checked at start.
       */
      recipients?: string[];
      /**
       * How often a stream (or provider) that keeps failing is told again;
       * the first failure after a success is told at once. Default 1 hour.
       */
      deadLetterInterval?: HumanDuration | string;
    };
    /**
     * Security signals about the organisation's people: which received and
     * sent SETs name a catalog user (the user's "Security signals" card),
     * and the optional notice to that user.
     */
    people?: {
      /**
       * Issuers whose `iss_sub` subjects name catalog users by the value of
       * one of their annotations, e.g. `{ issuer: 'https://acme.okta.com',
       * annotation: 'okta.com/user-id' }`. A user's email
       * (`spec.profile.email`) and the lifecycle hooks' own `iss_sub` (their
       * subject issuer and the user's entity ref) always match.
       */
      identities?: Array<{
        /** The `iss` of the subjects, exactly as the provider sends it. */
        issuer: string;
        /** The user annotation holding the `sub`. */
        annotation: string;
      }>;
      /**
       * Backstage notifications to the user a provider reports about, and
       * to the members of their groups. Off by default.
       */
      notifications?: {
        /** Whether people are told. Default false. */
        enabled?: boolean;
        /**
         * The received event types that are told. Default CAEP
         * session-revoked, RISC credential-compromise and RISC
         * account-disabled.
         */
        eventTypes?: string[];
        /**
         * Whether the members of the user's groups (`memberOf`) are told as
         * well. Default true.
         */
        groups?: boolean;
      };
    };
    transmitter?: {
      /**
       * The transmitter's issuer: the `iss` of every SET and of the metadata.
       * Defaults to the backend base URL followed by `/api/ssf`.
       */
      issuer?: string;
      /**
       * At most this many streams exist in the portal (one per receiver client). Default 10.
       */
      maxStreams?: number;
      /**
       * Event types (CAEP and RISC URIs) this transmitter offers. Default: every
       * CAEP 1.0 and RISC 1.0 event type.
       */
      eventsSupported?: string[];
      /**
       * The `min_verification_interval` of every stream. Default 30 seconds.
       */
      minVerificationInterval?: HumanDuration | string;
      /**
       * SSF 1.0 §8.1.1 `inactivity_timeout`: offered in every stream's
       * configuration (in whole seconds), and a stream whose receiver makes
       * no stream-management call and no poll for this long is paused (with
       * a stream-updated SET, and a notification when notifications are on).
       * Portal admins' calls do not count as receiver activity. Off by
       * default.
       */
      inactivityTimeout?: HumanDuration | string;
      /**
       * `default_subjects` in the metadata: whether a new stream carries events
       * for every subject (ALL) or only for subjects added to it (NONE). Default ALL.
       */
      defaultSubjects?: 'ALL' | 'NONE';
      signing?: {
        /** `RS256` (2048-bit RSA, the default) or `ES256` (P-256). */
        algorithm?: 'RS256' | 'ES256';
        /**
         * A PEM (PKCS#8) private key to sign with instead of generated keys.
         * @visibility secret
         */
        privateKey?: string;
        /** The `kid` published for `privateKey`. Default: its RFC 7638 thumbprint. */
        keyId?: string;
        /**
         * A secret (at least 32 characters) that encrypts generated private keys
         * before they are stored in the database, so that every replica and every
         * restart signs with the same key. Without it each backend process keeps
         * its generated private key in memory only and publishes its public part.
         * @visibility secret
         */
        keyEncryptionSecret?: string;
        /** How long a generated key signs before a new one replaces it. Default 30 days. */
        rotationInterval?: HumanDuration | string;
        /**
         * How long a replaced key stays published, so that receivers can still
         * verify SETs it signed that are queued or held. Default 14 days.
         */
        retiredKeyRetention?: HumanDuration | string;
      };
      delivery?: {
        /**
         * Allow `http:` endpoint URLs. Development only. Default false.
         */
        allowInsecureUrls?: boolean;
        /**
         * Allow endpoint URLs that are, or resolve to, loopback, private,
         * link-local or other non-public addresses. Development only. Default false.
         */
        allowPrivateNetworks?: boolean;
        /** How long one push may take before it counts as failed. Default 10 seconds. */
        timeout?: HumanDuration | string;
        /** Push attempts before a SET is dead-lettered. Default 8. */
        maxAttempts?: number;
        /** Delay before the first retry; doubled each time, with jitter. Default 1 second. */
        initialBackoff?: HumanDuration | string;
        /** Longest delay between retries. Default 10 minutes. */
        maxBackoff?: HumanDuration | string;
        /** SETs pushed to one stream at the same time, per backend instance. Default 16. */
        perStreamConcurrency?: number;
        /** SETs pushed at the same time in all, per backend instance. Default 64. */
        maxConcurrency?: number;
        /**
         * How long a worker owns a SET it claimed; after that another replica
         * may deliver it (the first one is presumed dead). Default 1 minute.
         */
        leaseDuration?: HumanDuration | string;
        /** SETs a paused stream holds; beyond it the oldest are dropped. Default 10000. */
        pausedHoldLimit?: number;
        /** How long a paused stream holds a SET before dropping it. Default 7 days. */
        pausedHoldMaxAge?: HumanDuration | string;
        /** When a polled SET that was not acknowledged is offered again. Default 30 seconds. */
        pollRedeliveryAfter?: HumanDuration | string;
        /** Longest wait of a long poll (returnImmediately false). Default 20 seconds. */
        longPollTimeout?: HumanDuration | string;
        /** How long delivered and dropped SETs are kept for the admin views. Default 7 days. */
        historyRetention?: HumanDuration | string;
      };
    };
    /**
     * Identity lifecycle hooks: changes of users in the catalog (and from
     * other systems) that emit CAEP and RISC events through the transmitter.
     */
    lifecycle?: {
      /** Whether lifecycle hooks run at all. Default true. */
      enabled?: boolean;
      /**
       * The User annotation whose value is the user's lifecycle state; the
       * default hooks react when it becomes `suspended` or `terminated` and
       * when it leaves those. Default `ssf.io/lifecycle`.
       */
      lifecycleAnnotation?: string;
      /** Install the default hooks (see the README). Default true. */
      defaultHooks?: boolean;
      subject?: {
        /**
         * How events name a catalog user: `email` (spec.profile.email; users
         * without a valid one fall back to iss_sub) or `iss_sub` (the issuer
         * below and the user's entity ref). Default email.
         */
        format?: 'email' | 'iss_sub';
        /** The `iss` of iss_sub subjects. Default: the transmitter's issuer. */
        issuer?: string;
      };
      catalog?: {
        /** Whether User entities in the catalog are watched. Default true. */
        enabled?: boolean;
        /**
         * How often every User is compared with its last seen state (a
         * global task: one replica runs it). Default every 5 minutes.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        /** Users read from the catalog per request. Default 500. */
        pageSize?: number;
        /**
         * If more than this fraction of the known users vanish in one run,
         * no removal events are sent and an error is logged (a broken
         * catalog must not revoke everyone). Default 0.25.
         */
        maxRemovedFraction?: number;
      };
      identityChanges?: {
        /**
         * Service principals (external access subjects) allowed to POST
         * /identity-changes, besides backend plugins and portal admins.
         */
        allowedServices?: string[];
      };
      /** How long processed changes and hook firings are kept. Default 90 days. */
      historyRetention?: HumanDuration | string;
      /**
       * Hooks defined here are installed on start (by name, never
       * duplicated) and are read-only in the portal. One with the name of a
       * default hook replaces it.
       */
      hooks?: Array<{
        /** Unique; lower-case letters, digits, ".", "_" and "-". */
        name: string;
        description?: string;
        /** Default true. */
        enabled?: boolean;
        trigger: {
          /** `attribute_changed`, `user_added`, `user_removed` or `event_received`. */
          on:
            | 'attribute_changed'
            | 'user_added'
            | 'user_removed'
            | 'event_received';
          /** e.g. `metadata.annotations["ssf.io/lifecycle"]` or `spec.profile.email`. */
          path?: string;
          /** Full-match regular expression for the value before ("" when absent). */
          from?: string;
          /** Full-match regular expression for the value after ("" when absent). */
          to?: string;
          /** event_received: only SETs from this Security Events Provider (its id). */
          provider?: string;
          /** event_received: the received event type URI that fires the hook. */
          eventType?: string;
        };
        /** A CAEP or RISC event type URI. */
        eventType: string;
        /**
         * The event payload; string values may use {{from}}, {{to}},
         * {{path}}, {{identity}}, {{email}} and {{name}}; event_received
         * hooks also {{event_type}}, {{provider}}, {{iss}}, {{jti}}, {{txn}}
         * and {{event.<member>}}.
         */
        payloadTemplate?: { [key: string]: unknown };
        /** Default: subject.format. */
        subjectFormat?: 'email' | 'iss_sub';
      }>;
    };
    receiver?: {
      /**
       * The `aud` values SETs pushed or polled to this receiver may carry; a SET
       * must name at least one. Default: the plugin's external base URL
       * (e.g. https://portal.example.com/api/ssf).
       */
      audience?: string | string[];
      /**
       * Allow `http:` provider URLs (well-known, JWKS, poll, token). Development
       * only. Default: ssf.transmitter.delivery.allowInsecureUrls, else false.
       */
      allowInsecureUrls?: boolean;
      /**
       * Allow provider URLs that are, or resolve to, loopback, private or
       * link-local addresses. Development only. Default:
       * ssf.transmitter.delivery.allowPrivateNetworks, else false.
       */
      allowPrivateNetworks?: boolean;
      /** How far in the future a SET's iat may be. Default 1 minute. */
      clockSkew?: HumanDuration | string;
      /** The largest SET accepted, in bytes. Default 65536. */
      maxSetBytes?: number;
      /**
       * How long a provider lookup is cached; changes made on another replica
       * (e.g. a deactivation) take effect within it. Default 5 seconds.
       */
      providerCacheTtl?: HumanDuration | string;
      /**
       * A token bucket per provider for pushed SETs: over it, a push is
       * answered 429 `rate_limited` with Retry-After, before any key fetch or
       * signature check. In memory, per replica. Default: no limit.
       */
      rateLimit?: {
        /** Sustained pushes per second per provider (may be fractional). */
        requestsPerSecond: number;
        /** Bucket size: pushes allowed at once. Default ceil(requestsPerSecond). */
        burst?: number;
      };
      keys?: {
        /** How long a provider's JWKS is used before it is fetched again. Default 1 hour. */
        cacheTtl?: HumanDuration | string;
        /** At most one outbound key fetch (metadata and JWKS) per provider within this time, whatever the last one answered: the first, the refresh after cacheTtl and the refetch for an unknown kid alike. Default 30 seconds. */
        refetchCooldown?: HumanDuration | string;
        /** Timeout of metadata, JWKS and token requests. Default 5 seconds. */
        fetchTimeout?: HumanDuration | string;
      };
      poll?: {
        /** Whether the scheduled poll task runs. Default true. */
        enabled?: boolean;
        /** How often poll-connected providers are polled. Default 30 seconds. */
        frequency?: HumanDuration | string;
        /** maxEvents of each poll request. Default 100. */
        maxEvents?: number;
        /** Timeout of one poll request. Default 30 seconds. */
        timeout?: HumanDuration | string;
      };
      /**
       * Credentials for calling a provider's transmitter (poll endpoint),
       * matched by issuer: a static bearer `token`, or an OAuth 2.0 client
       * credentials grant (`tokenUrl`, `clientId`, `clientSecret`, `scope`,
       * `audience`).
       */
      credentials?: Array<{
        issuer: string;
        /** @visibility secret */
        token?: string;
        tokenUrl?: string;
        clientId?: string;
        /** @visibility secret */
        clientSecret?: string;
        scope?: string;
        audience?: string;
      }>;
    };
  };
}
