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

import { InputError } from '@backstage/errors';
import { promises as dns } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { OutboundUrlPolicy } from '../config';

/**
 * A host name that does not resolve. Unlike a policy refusal this may pass:
 * delivery retries it.
 *
 * @internal
 */
export class UnresolvableHostError extends InputError {}

/** Resolves a host name to every address it has. @internal */
export type HostResolver = (hostname: string) => Promise<string[]>;

const DNS_TIMEOUT_MS = 3000;

/** The system resolver, bounded in time. @internal */
export const systemResolver: HostResolver = async hostname => {
  let timer: NodeJS.Timeout | undefined;
  try {
    const lookup = dns.lookup(hostname, { all: true, verbatim: true });
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`DNS lookup of ${hostname} timed out`)),
        DNS_TIMEOUT_MS,
      );
    });
    const results = await Promise.race([lookup, timeout]);
    return results.map(r => r.address);
  } finally {
    clearTimeout(timer);
  }
};

/** The outcome of checking an outbound URL. @internal */
export interface CheckedUrl {
  url: URL;
  /** The addresses the host resolved to; empty when it did not resolve. */
  addresses: string[];
}

/**
 * Checks a URL the plugin is asked to call (a push endpoint, a JWKS or metadata
 * URL) against the outbound policy, to keep the backend from being used to
 * reach internal services (SSRF).
 *
 * - Only `https:` (and `http:` when `allowInsecureUrls`), no user info.
 * - The host, whether an address literal or a name resolved through DNS, must
 *   be a public unicast address unless `allowPrivateNetworks`: loopback,
 *   private, link-local (cloud metadata at 169.254.169.254), unique-local,
 *   carrier-grade NAT, multicast and reserved ranges are refused. Every
 *   resolved address must pass, so a name cannot hide one bad address among
 *   good ones.
 * - `unresolvable: 'allow'` accepts a name that does not resolve (yet): used
 *   when a stream is registered, since the check is repeated, with
 *   `'deny'`, at every delivery.
 *
 * @internal
 */
export async function checkOutboundUrl(
  raw: string,
  policy: OutboundUrlPolicy,
  options: {
    field: string;
    resolve?: HostResolver;
    unresolvable?: 'allow' | 'deny';
  },
): Promise<CheckedUrl> {
  const { field, resolve = systemResolver, unresolvable = 'deny' } = options;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${field} must be an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${field} must be an https URL`);
  }
  if (url.protocol === 'http:' && !policy.allowInsecureUrls) {
    throw new InputError(
      `${field} must use https (http is allowed only when ssf.transmitter.delivery.allowInsecureUrls is set)`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(`${field} must not contain user credentials`);
  }
  if (url.hash) {
    throw new InputError(`${field} must not contain a fragment`);
  }

  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else if (host === 'localhost' || host.endsWith('.localhost')) {
    addresses = ['127.0.0.1'];
  } else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0 && unresolvable === 'deny') {
      throw new UnresolvableHostError(
        `${field} host '${host}' does not resolve`,
      );
    }
  }

  if (!policy.allowPrivateNetworks) {
    for (const address of addresses) {
      const range = ipaddr.process(address).range();
      if (range !== 'unicast') {
        throw new InputError(
          `${field} must not point at a ${range} address (${address}); only public addresses are allowed unless ssf.transmitter.delivery.allowPrivateNetworks is set`,
        );
      }
    }
  }
  return { url, addresses };
}
