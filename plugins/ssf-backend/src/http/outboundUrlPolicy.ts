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

/** Which outbound URLs the plugin may call. @internal */
export interface OutboundUrlPolicy {
  allowInsecureUrls: boolean;
  allowPrivateNetworks: boolean;
}

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
 *   be a globally reachable unicast address unless `allowPrivateNetworks`
 *   (see {@link refusedRange}: an allow-list, judging addresses that embed
 *   an IPv4 address by that address). Every resolved address must pass, so a
 *   name cannot hide one bad address among good ones.
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
  // A trailing dot names the same host (an absolute DNS name).
  const name = host.replace(/\.$/, '').toLowerCase();
  let addresses: string[];
  if (ipaddr.isValid(host)) {
    addresses = [host];
  } else if (name === 'localhost' || name.endsWith('.localhost')) {
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
      const refused = refusedRange(address);
      if (refused) {
        const embeds = refused.embeds ? `, which embeds ${refused.embeds}` : '';
        throw new InputError(
          `${field} must not point at a ${refused.range} address (${address}${embeds}); only public addresses are allowed unless ssf.transmitter.delivery.allowPrivateNetworks is set`,
        );
      }
    }
  }
  return { url, addresses };
}

/**
 * Why an address is not one the plugin may call, or `undefined` when it is a
 * globally reachable unicast address.
 *
 * This is an allow-list, not a list of known-bad ranges: an IPv4 address is
 * allowed unless it is in a special-purpose block, an IPv6 address only when
 * it is in 2000::/3 (global unicast, RFC 4291 §2.4) outside that block's
 * special-purpose parts. An IPv6 address that embeds an IPv4 address
 * (IPv4-mapped, IPv4-compatible, IPv4-translated, NAT64, 6to4, Teredo) is
 * judged by the IPv4 address it embeds, because that is where a packet to
 * it can end up: `[::a9fe:a9fe]` reaches 169.254.169.254 on a host that
 * tunnels IPv4-compatible addresses, and `[64:ff9b::a9fe:a9fe]` does through
 * a NAT64 gateway.
 *
 * @internal
 */
export function refusedRange(
  address: string,
): { range: string; embeds?: string } | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return { range: 'invalid' };
  }
  if (parsed.kind() === 'ipv4') {
    const range = ipv4SpecialRange(parsed as ipaddr.IPv4);
    return range ? { range } : undefined;
  }
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIpv4(v6);
  if (embedded) {
    for (const inner of embedded) {
      const range = ipv4SpecialRange(inner);
      if (range) return { range, embeds: inner.toString() };
    }
    return undefined;
  }
  const range = ipv6SpecialRange(v6);
  return range ? { range } : undefined;
}

type Block<T> = [address: T, prefixLength: number, name: string];

function blocks<T extends ipaddr.IPv4 | ipaddr.IPv6>(
  entries: Array<[cidr: string, name: string]>,
): Block<T>[] {
  return entries.map(([cidr, name]) => {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    return [address as T, bits, name];
  });
}

// The IANA IPv4 Special-Purpose Address Registry
// (https://www.iana.org/assignments/iana-ipv4-special-registry/), every block
// that is not globally reachable, plus multicast (224.0.0.0/4, RFC 5771,
// from the IANA IPv4 Multicast Address Space Registry). 192.0.0.0/24 is
// refused whole, although 192.0.0.9 and 192.0.0.10 (PCP and TURN anycast)
// are globally reachable: neither is ever a receiver. The globally reachable
// AS112 and AMT blocks (192.31.196.0/24, 192.52.193.0/24, 192.175.48.0/24)
// are ordinary unicast destinations and are allowed.
const IPV4_SPECIAL = blocks<ipaddr.IPv4>([
  ['0.0.0.0/8', 'unspecified'], // "This network", RFC 791
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['100.64.0.0/10', 'carrierGradeNat'], // Shared Address Space, RFC 6598
  ['127.0.0.0/8', 'loopback'], // RFC 1122
  ['169.254.0.0/16', 'linkLocal'], // RFC 3927; cloud metadata services
  ['172.16.0.0/12', 'private'], // RFC 1918
  ['192.0.0.0/24', 'ietfProtocolAssignment'], // RFC 6890
  ['192.0.2.0/24', 'documentation'], // TEST-NET-1, RFC 5737
  ['192.88.99.0/24', 'deprecated6to4Relay'], // RFC 7526
  ['192.168.0.0/16', 'private'], // RFC 1918
  ['198.18.0.0/15', 'benchmarking'], // RFC 2544
  ['198.51.100.0/24', 'documentation'], // TEST-NET-2, RFC 5737
  ['203.0.113.0/24', 'documentation'], // TEST-NET-3, RFC 5737
  ['224.0.0.0/4', 'multicast'], // RFC 5771
  // Before 240.0.0.0/4, which contains it: the first match names it.
  ['255.255.255.255/32', 'broadcast'], // Limited broadcast, RFC 919
  ['240.0.0.0/4', 'reserved'], // RFC 1112
]);

// Outside 2000::/3 nothing is allowed; these only name the refusal.
const IPV6_NAMED = blocks<ipaddr.IPv6>([
  ['::/128', 'unspecified'], // RFC 4291
  ['::1/128', 'loopback'], // RFC 4291
  ['64:ff9b:1::/48', 'localTranslation'], // Local-use IPv4/IPv6 translation, RFC 8215
  ['100::/64', 'discardOnly'], // RFC 6666
  ['fc00::/7', 'uniqueLocal'], // RFC 4193
  ['fe80::/10', 'linkLocal'], // RFC 4291
  ['ff00::/8', 'multicast'], // RFC 4291
]);

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3');

// The IANA IPv6 Special-Purpose Address Registry
// (https://www.iana.org/assignments/iana-ipv6-special-registry/): the
// blocks inside 2000::/3 that are not globally reachable. 2001::/23 (IETF
// Protocol Assignments, RFC 2928) is refused except for its entries the
// registry marks globally reachable (IPV6_GLOBAL_EXCEPTIONS). Teredo
// (2001::/32) and 6to4 (2002::/16) embed IPv4 addresses and are judged by
// them before this list is consulted.
const IPV6_SPECIAL = blocks<ipaddr.IPv6>([
  ['2001:db8::/32', 'documentation'], // RFC 3849
  ['3fff::/20', 'documentation'], // RFC 9637
  ['2001:2::/48', 'benchmarking'], // RFC 5180
  ['2001:10::/28', 'deprecatedOrchid'], // RFC 4843
  ['2001::/23', 'ietfProtocolAssignment'], // RFC 2928
]);

// Entries of 2001::/23 the IANA IPv6 registry marks globally reachable.
const IPV6_GLOBAL_EXCEPTIONS = blocks<ipaddr.IPv6>([
  ['2001:1::1/128', 'pcpAnycast'], // RFC 7723
  ['2001:1::2/128', 'turnAnycast'], // RFC 8155
  ['2001:1::3/128', 'dnsSdSrpAnycast'], // RFC 9665
  ['2001:3::/32', 'amt'], // RFC 7450
  ['2001:4:112::/48', 'as112v6'], // RFC 7535
  ['2001:20::/28', 'orchidV2'], // RFC 7343
  ['2001:30::/28', 'droneRemoteId'], // RFC 9374
]);

function inBlock<T extends ipaddr.IPv4 | ipaddr.IPv6>(
  address: T,
  list: Block<T>[],
): string | undefined {
  for (const [base, bits, name] of list) {
    if ((address as any).match(base, bits)) return name;
  }
  return undefined;
}

function ipv4SpecialRange(address: ipaddr.IPv4): string | undefined {
  return inBlock(address, IPV4_SPECIAL);
}

function ipv6SpecialRange(address: ipaddr.IPv6): string | undefined {
  if (!address.match(GLOBAL_UNICAST)) {
    return inBlock(address, IPV6_NAMED) ?? 'reserved';
  }
  if (inBlock(address, IPV6_GLOBAL_EXCEPTIONS)) return undefined;
  return inBlock(address, IPV6_SPECIAL);
}

function v4(bytes: number[]): ipaddr.IPv4 {
  return new ipaddr.IPv4(bytes);
}

/**
 * The IPv4 addresses an IPv6 address embeds, when its prefix defines one;
 * `undefined` when it embeds none.
 */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4[] | undefined {
  const b = address.toByteArray();
  const zero = (from: number, to: number) =>
    b.slice(from, to).every(x => x === 0);
  const last32 = b.slice(12, 16);
  // ::/128 and ::1/128 are named by the IPv6 registry, not read as 0.0.0.x.
  if (zero(0, 15) && b[15] <= 1) return undefined;
  // IPv4-compatible ::a.b.c.d (RFC 4291 §2.5.5.1, deprecated): ::/96.
  if (zero(0, 12)) return [v4(last32)];
  // IPv4-mapped ::ffff:a.b.c.d (RFC 4291 §2.5.5.2): ::ffff:0:0/96.
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return [v4(last32)];
  // IPv4-translated ::ffff:0:a.b.c.d (RFC 2765 §2.1, SIIT): ::ffff:0:0:0/96.
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) {
    return [v4(last32)];
  }
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052 §2.1).
  if (
    b[0] === 0x00 &&
    b[1] === 0x64 &&
    b[2] === 0xff &&
    b[3] === 0x9b &&
    zero(4, 12)
  ) {
    return [v4(last32)];
  }
  // 6to4 2002:a.b.c.d::/48 (RFC 3056 §2).
  if (b[0] === 0x20 && b[1] === 0x02) return [v4(b.slice(2, 6))];
  // Teredo 2001:0:<server>:<flags>:<port>:<client> (RFC 4380 §4): the
  // server's IPv4 address, and the client's, stored with every bit inverted.
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0 && b[3] === 0) {
    return [v4(b.slice(4, 8)), v4(last32.map(x => x ^ 0xff))];
  }
  return undefined;
}
