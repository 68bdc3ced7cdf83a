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

import { DeliveryMethod } from './eventTypes';

/**
 * Operational status of a stream (SSF 1.0 §8.1.2).
 *
 * @public
 */
export type StreamStatusValue = 'enabled' | 'paused' | 'disabled';

/**
 * The delivery part of a stream configuration as the transmitter returns it.
 * The push `authorization_header` is write-only and never returned.
 *
 * @public
 */
export interface StreamDeliveryConfiguration {
  method: DeliveryMethod;
  endpoint_url: string;
}

/**
 * A stream configuration as returned by the transmitter (SSF 1.0 §8.1.1).
 *
 * @public
 */
export interface StreamConfiguration {
  stream_id: string;
  iss: string;
  aud: string | string[];
  events_supported: string[];
  events_requested: string[];
  events_delivered: string[];
  delivery: StreamDeliveryConfiguration;
  description?: string;
  min_verification_interval: number;
  /**
   * SSF 1.0 §8.1.1 (Transmitter-Supplied): seconds without receiver activity
   * after which the transmitter pauses the stream; absent when it never does.
   */
  inactivity_timeout?: number;
  /**
   * Extension member: the receiver profile that shapes this stream's SETs,
   * present when it is not the default `ssf`.
   */
  receiver_profile?: string;
  /**
   * Extension member: the catalog entity that owns the stream, e.g.
   * `group:default/security`; present when set.
   */
  owner?: string;
  /**
   * Extension member: the catalog entity (usually a component) that consumes
   * the stream's SETs; present when set.
   */
  consumer?: string;
}

/**
 * A stream's status as returned by `GET /streams/status` (SSF 1.0 §8.1.2.1).
 *
 * @public
 */
export interface StreamStatus {
  stream_id: string;
  status: StreamStatusValue;
  reason?: string;
}

/**
 * Transmitter configuration metadata (SSF 1.0 §7.1).
 *
 * @public
 */
export interface TransmitterMetadata {
  spec_version: string;
  issuer: string;
  jwks_uri: string;
  delivery_methods_supported: DeliveryMethod[];
  configuration_endpoint: string;
  status_endpoint: string;
  verification_endpoint: string;
  add_subject_endpoint: string;
  remove_subject_endpoint: string;
  authorization_schemes: Array<{ spec_urn: string }>;
  default_subjects: 'ALL' | 'NONE';
}
