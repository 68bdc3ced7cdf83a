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

import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Shared Signals Framework (SSF) plugin */
  ssf?: {
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
        /**
         * Worker threads that sign SETs, so signing uses every core. 0 signs
         * on the main thread. Default: the number of cores, at most 4 (0 on a
         * single core).
         */
        workerThreads?: number;
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
      keys?: {
        /** How long a provider's JWKS is used before it is fetched again. Default 1 hour. */
        cacheTtl?: HumanDuration | string;
        /** At most one refetch per provider for an unknown kid within this time. Default 30 seconds. */
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
