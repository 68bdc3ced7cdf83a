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

import { z } from 'zod';
import { OutboundUrlPolicy } from '../../http/outboundUrlPolicy';
import { outboundRequest } from '../../http/outboundHttp';
import { HostResolver } from '../../http/outboundUrlPolicy';

const WELL_KNOWN_SEGMENT = '/.well-known/ssf-configuration';
const MAX_METADATA_BYTES = 64 * 1024;

/** The parts of a transmitter's SSF metadata (SSF 1.0 §7.1) the receiver uses. @internal */
export interface RemoteTransmitterMetadata {
  issuer: string;
  jwks_uri: string;
  configuration_endpoint?: string;
  status_endpoint?: string;
  verification_endpoint?: string;
  delivery_methods_supported?: string[];
}

const metadataSchema = z
  .object({
    issuer: z.string().min(1),
    jwks_uri: z.string().min(1),
    configuration_endpoint: z.string().optional(),
    status_endpoint: z.string().optional(),
    verification_endpoint: z.string().optional(),
    delivery_methods_supported: z.array(z.string()).optional(),
  })
  .loose();

/** Why a remote document could not be used. @internal */
export class RemoteDocumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteDocumentError';
  }
}

/** Options for every outbound call the receiver makes. @internal */
export interface FetchOptions {
  policy: OutboundUrlPolicy;
  timeoutMs: number;
  resolve?: HostResolver;
}

/**
 * GETs a JSON document from a URL under the outbound URL policy. Policy,
 * network, status and parse failures all become a RemoteDocumentError whose
 * message names `field`.
 *
 * @internal
 */
export async function fetchJson(
  url: string,
  field: string,
  options: FetchOptions & { maxBytes?: number },
): Promise<unknown> {
  let response;
  try {
    response = await outboundRequest({
      method: 'GET',
      url,
      field,
      headers: { Accept: 'application/json' },
      timeoutMs: options.timeoutMs,
      maxResponseBytes: options.maxBytes ?? MAX_METADATA_BYTES,
      policy: options.policy,
      resolve: options.resolve,
    });
  } catch (error) {
    throw new RemoteDocumentError(
      receiverPolicyMessage((error as Error).message),
    );
  }
  if (response.status !== 200) {
    throw new RemoteDocumentError(
      `${field} answered HTTP ${response.status}, expected 200`,
    );
  }
  try {
    return JSON.parse(response.body);
  } catch {
    throw new RemoteDocumentError(`${field} did not return JSON`);
  }
}

/**
 * The shared URL policy names the transmitter's config keys; the receiver has
 * its own, so point the admin at those.
 *
 * @internal
 */
export function receiverPolicyMessage(message: string): string {
  return message.replace(/ssf\.transmitter\.delivery\./g, 'ssf.receiver.');
}

/**
 * The issuers a well-known URL can stand for. SSF 1.0 §7.2 inserts
 * `/.well-known/ssf-configuration` between the issuer's host and path
 * (`https://t.example/.well-known/ssf-configuration/tenant` is the metadata of
 * `https://t.example/tenant`); many transmitters instead append it to the
 * issuer (`https://t.example/tenant/.well-known/ssf-configuration`). Both
 * readings are accepted, nothing else.
 *
 * @internal
 */
export function issuersImpliedBy(wellKnownUrl: string): string[] {
  const url = new URL(wellKnownUrl);
  const path = url.pathname;
  const candidates: string[] = [];
  if (
    path === WELL_KNOWN_SEGMENT ||
    path.startsWith(`${WELL_KNOWN_SEGMENT}/`)
  ) {
    candidates.push(`${url.origin}${path.slice(WELL_KNOWN_SEGMENT.length)}`);
  }
  if (path.endsWith(WELL_KNOWN_SEGMENT)) {
    candidates.push(
      `${url.origin}${path.slice(0, -WELL_KNOWN_SEGMENT.length)}`,
    );
  }
  return [...new Set(candidates.map(normaliseIssuer))];
}

/** Issuers compare without a trailing slash. @internal */
export function normaliseIssuer(issuer: string): string {
  return issuer.replace(/\/+$/, '');
}

/**
 * Reads a transmitter's metadata and checks it: the issuer must be one the
 * URL implies (so a metadata document cannot claim another transmitter's
 * issuer) and `jwks_uri` must be present.
 *
 * @internal
 */
export async function fetchTransmitterMetadata(
  wellKnownUrl: string,
  options: FetchOptions,
): Promise<RemoteTransmitterMetadata> {
  const implied = issuersImpliedBy(wellKnownUrl);
  if (implied.length === 0) {
    throw new RemoteDocumentError(
      `settings.well_known_url must contain ${WELL_KNOWN_SEGMENT} (SSF 1.0 §7.2)`,
    );
  }
  const body = await fetchJson(
    wellKnownUrl,
    'settings.well_known_url',
    options,
  );
  const parsed = metadataSchema.safeParse(body);
  if (!parsed.success) {
    throw new RemoteDocumentError(
      'The transmitter metadata at settings.well_known_url lacks issuer or jwks_uri',
    );
  }
  const metadata = parsed.data as RemoteTransmitterMetadata;
  if (!implied.includes(normaliseIssuer(metadata.issuer))) {
    throw new RemoteDocumentError(
      `The transmitter metadata's issuer '${
        metadata.issuer
      }' does not match settings.well_known_url, which implies ${implied
        .map(i => `'${i}'`)
        .join(' or ')}`,
    );
  }
  try {
    // eslint-disable-next-line no-new
    new URL(metadata.jwks_uri);
  } catch {
    throw new RemoteDocumentError(
      "The transmitter metadata's jwks_uri is not an absolute URL",
    );
  }
  return metadata;
}
