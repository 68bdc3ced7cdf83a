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
  DELIVERY_METHODS,
  TransmitterMetadata,
} from '@shared-signals/plugin-ssf-common';
import type { SsfStreamsComponents } from '@shared-signals/plugin-ssf-common';
import { TransmitterConfig } from './config';

/**
 * The transmitter's configuration metadata (SSF 1.0 §7.1). `issuer` is the
 * configured issuer; every endpoint is an absolute URL under the plugin's
 * external base URL.
 *
 * @internal
 */
export function buildTransmitterMetadata(
  config: TransmitterConfig,
  baseUrl: string,
): TransmitterMetadata &
  SsfStreamsComponents['schemas']['TransmitterMetadata'] {
  return {
    spec_version: '1_0',
    issuer: config.issuer,
    jwks_uri: `${baseUrl}/jwks`,
    delivery_methods_supported: [DELIVERY_METHODS.push, DELIVERY_METHODS.poll],
    configuration_endpoint: `${baseUrl}/streams`,
    status_endpoint: `${baseUrl}/streams/status`,
    verification_endpoint: `${baseUrl}/streams/verify`,
    add_subject_endpoint: `${baseUrl}/subjects:add`,
    remove_subject_endpoint: `${baseUrl}/subjects:remove`,
    authorization_schemes: [{ spec_urn: 'urn:ietf:rfc:6749' }],
    default_subjects: config.defaultSubjects,
  };
}

/**
 * Where SSF 1.0 §7.2 places the metadata at the host root: the well-known
 * segment is inserted between the host and the issuer's path, so an issuer
 * `https://portal.example.com/api/ssf` is described at
 * `/.well-known/ssf-configuration/api/ssf`.
 *
 * @internal
 */
export function rootWellKnownPath(issuer: string): string {
  const path = new URL(issuer).pathname.replace(/\/+$/, '');
  return `/.well-known/ssf-configuration${path}`;
}
