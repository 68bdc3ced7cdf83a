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
  checkOutboundUrl,
  HostResolver,
  refusedRange,
} from './outboundUrlPolicy';

const strict = { allowInsecureUrls: false, allowPrivateNetworks: false };
const lenient = { allowInsecureUrls: true, allowPrivateNetworks: true };
const resolvesTo =
  (...addresses: string[]): HostResolver =>
  async () =>
    addresses;
const check = (
  url: string,
  resolve: HostResolver = resolvesTo('93.184.216.34'),
  policy = strict,
) => checkOutboundUrl(url, policy, { field: 'delivery.endpoint_url', resolve });

describe('checkOutboundUrl', () => {
  it('accepts a public https URL and reports the addresses', async () => {
    const { url, addresses } = await check(
      'https://receiver.example.com/ssf/events',
    );
    expect(url.toString()).toBe('https://receiver.example.com/ssf/events');
    expect(addresses).toEqual(['93.184.216.34']);
  });

  it.each([
    ['not a url', /must be an absolute URL/],
    ['/relative/path', /must be an absolute URL/],
    ['ftp://receiver.example.com/', /must be an https URL/],
    // eslint-disable-next-line no-script-url
    ['javascript:alert(1)', /must be an https URL/],
    ['http://receiver.example.com/', /must use https/],
    [
      'https://user:pass@receiver.example.com/',
      /must not contain user credentials/,
    ],
    ['https://receiver.example.com/#frag', /must not contain a fragment/],
  ])('refuses %p', async (url, message) => {
    await expect(check(url)).rejects.toThrow(message);
  });

  it.each([
    ['https://127.0.0.1/', 'loopback'],
    ['https://localhost:8443/', 'loopback'],
    ['https://api.localhost/', 'loopback'],
    ['https://[::1]/', 'loopback'],
    ['https://10.1.2.3/', 'private'],
    ['https://192.168.0.10/', 'private'],
    ['https://172.16.0.1/', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://[fe80::1]/', 'linkLocal'],
    ['https://[fd00::1]/', 'uniqueLocal'],
    ['https://100.64.0.1/', 'carrierGradeNat'],
    ['https://0.0.0.0/', 'unspecified'],
    ['https://[::ffff:127.0.0.1]/', 'loopback'],
    ['https://2130706433/', 'loopback'], // 127.0.0.1 written as one number
  ])('refuses %p, a %s address', async (url, range) => {
    await expect(check(url)).rejects.toThrow(
      `must not point at a ${range} address`,
    );
  });

  // IPv6 literals that embed an IPv4 address are judged by that address
  // (IPv4-compatible ::/96 and IPv4-mapped ::ffff:0:0/96, RFC 4291 §2.5.5;
  // NAT64 64:ff9b::/96, RFC 6052; 6to4 2002::/16, RFC 3056; Teredo
  // 2001::/32, RFC 4380, whose client address is stored inverted).
  it.each([
    ['https://[::a9fe:a9fe]/', 'linkLocal', '169.254.169.254'],
    ['https://[::169.254.169.254]/', 'linkLocal', '169.254.169.254'],
    ['https://[::7f00:1]/', 'loopback', '127.0.0.1'],
    ['https://[::127.0.0.1]/', 'loopback', '127.0.0.1'],
    ['https://[::10.0.0.1]/', 'private', '10.0.0.1'],
    ['https://[::a00:1]/', 'private', '10.0.0.1'],
    ['https://[::c0a8:1]/', 'private', '192.168.0.1'],
    ['https://[0:0:0:0:0:0:a9fe:a9fe]/', 'linkLocal', '169.254.169.254'],
    ['https://[::ffff:a9fe:a9fe]/', 'linkLocal', '169.254.169.254'],
    ['https://[::ffff:10.0.0.1]/', 'private', '10.0.0.1'],
    ['https://[::ffff:0:7f00:1]/', 'loopback', '127.0.0.1'],
    ['https://[64:ff9b::a9fe:a9fe]/', 'linkLocal', '169.254.169.254'],
    ['https://[64:ff9b::127.0.0.1]/', 'loopback', '127.0.0.1'],
    ['https://[64:ff9b::10.1.2.3]/', 'private', '10.1.2.3'],
    ['https://[2002:a9fe:a9fe::1]/', 'linkLocal', '169.254.169.254'],
    ['https://[2002:7f00:1::]/', 'loopback', '127.0.0.1'],
    ['https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/', 'private', '10.0.0.1'],
    ['https://[2001:0:7f00:1::]/', 'loopback', '127.0.0.1'],
  ])('refuses %p, which embeds a %s address', async (url, range, embeds) => {
    await expect(check(url)).rejects.toThrow(
      new RegExp(
        `must not point at a ${range} address \\(.*, which embeds ${embeds.replace(
          /\./g,
          '\\.',
        )}\\)`,
      ),
    );
  });

  it('refuses a name that resolves to an IPv6 address embedding a private one', async () => {
    await expect(
      check('https://sneaky.example.com/', resolvesTo('::a9fe:a9fe')),
    ).rejects.toThrow(
      /linkLocal address \(::a9fe:a9fe, which embeds 169\.254\.169\.254\)/,
    );
  });

  it('refuses a trailing-dot localhost', async () => {
    await expect(check('https://localhost./')).rejects.toThrow(
      'must not point at a loopback address',
    );
  });

  it('refuses a name that resolves to a private address, even among public ones', async () => {
    await expect(
      check(
        'https://rebind.example.com/',
        resolvesTo('93.184.216.34', '10.0.0.7'),
      ),
    ).rejects.toThrow('must not point at a private address (10.0.0.7)');
  });

  it('refuses an unresolvable name unless told to allow it', async () => {
    const fails: HostResolver = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(check('https://nowhere.example.com/', fails)).rejects.toThrow(
      "host 'nowhere.example.com' does not resolve",
    );
    await expect(
      checkOutboundUrl('https://nowhere.example.com/', strict, {
        field: 'f',
        resolve: fails,
        unresolvable: 'allow',
      }),
    ).resolves.toMatchObject({ addresses: [] });
  });

  it('allows http and private addresses when the policy says so', async () => {
    await expect(
      check('http://127.0.0.1:9000/events', resolvesTo(), lenient),
    ).resolves.toMatchObject({ addresses: ['127.0.0.1'] });
    await expect(
      check('http://internal.example.com/', resolvesTo('10.0.0.1'), lenient),
    ).resolves.toMatchObject({ addresses: ['10.0.0.1'] });
  });
});

// The allow-list, block by block. Sources: the IANA IPv4 Special-Purpose
// Address Registry (https://www.iana.org/assignments/iana-ipv4-special-registry/),
// the IANA IPv6 Special-Purpose Address Registry
// (https://www.iana.org/assignments/iana-ipv6-special-registry/), RFC 5771
// (IPv4 multicast) and RFC 4291 §2.4 (IPv6 global unicast is 2000::/3).
describe('refusedRange', () => {
  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '93.184.216.34',
    '192.0.1.1', // next to 192.0.0.0/24 and 192.0.2.0/24
    '192.31.196.1', // AS112-v4: globally reachable
    '192.52.193.1', // AMT: globally reachable
    '192.175.48.1', // Direct Delegation AS112: globally reachable
    '172.32.0.1', // just past 172.16.0.0/12
    '100.128.0.1', // just past 100.64.0.0/10
    '198.20.0.1', // just past 198.18.0.0/15
    '223.255.255.255', // just below multicast
    '2606:4700::1',
    '2001:4860:4860::8888',
    '2a00:1450:4001::1',
    '2620:4f:8000::1', // Direct Delegation AS112: globally reachable
    '2001:1::1', // PCP anycast: globally reachable
    '2001:3::1', // AMT: globally reachable
    '2001:4:112::1', // AS112-v6: globally reachable
    '2001:20::1', // ORCHIDv2: globally reachable
    '2001:30::1', // Drone Remote ID: globally reachable
    '::ffff:8.8.8.8', // IPv4-mapped public address
    '::8.8.8.8', // IPv4-compatible public address
    '64:ff9b::808:808', // NAT64 of 8.8.8.8
    '2002:808:808::1', // 6to4 of 8.8.8.8
    '2001:0:808:808::f7f7:f7f7', // Teredo: server 8.8.8.8, client 8.8.8.8
  ])('allows %s', address => {
    expect(refusedRange(address)).toBeUndefined();
  });

  it.each([
    // IPv4 special-purpose blocks, first and last address of each.
    ['0.0.0.0', 'unspecified'],
    ['0.255.255.255', 'unspecified'],
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['100.64.0.0', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['169.254.0.0', 'linkLocal'],
    ['169.254.169.254', 'linkLocal'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.0', 'ietfProtocolAssignment'],
    ['192.0.0.255', 'ietfProtocolAssignment'],
    ['192.0.2.0', 'documentation'],
    ['192.0.2.255', 'documentation'],
    ['192.88.99.1', 'deprecated6to4Relay'],
    ['192.168.0.0', 'private'],
    ['192.168.255.255', 'private'],
    ['198.18.0.0', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.1', 'documentation'],
    ['203.0.113.1', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.255', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'broadcast'],
    // IPv6: everything outside 2000::/3 ...
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['64:ff9b:1::1', 'localTranslation'],
    ['100::1', 'discardOnly'],
    ['fc00::1', 'uniqueLocal'],
    ['fdff:ffff::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['1000::1', 'reserved'],
    ['4000::1', 'reserved'],
    ['5f00::1', 'reserved'], // Segment Routing SIDs, RFC 9602
    ['fec0::1', 'reserved'], // deprecated site-local
    // ... and the special-purpose blocks inside it.
    ['2001:db8::1', 'documentation'],
    ['2001:db8:ffff::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['3fff:fff::1', 'documentation'],
    ['2001:2::1', 'benchmarking'],
    ['2001:10::1', 'deprecatedOrchid'],
    ['2001:1::4', 'ietfProtocolAssignment'],
    ['2001:4::1', 'ietfProtocolAssignment'],
    ['2001:1ff::1', 'ietfProtocolAssignment'],
  ])('refuses %s as %s', (address, range) => {
    expect(refusedRange(address)).toEqual({ range });
  });

  it.each([
    ['::a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['::7f00:1', 'loopback', '127.0.0.1'],
    ['::a00:1', 'private', '10.0.0.1'],
    ['::2', 'unspecified', '0.0.0.2'],
    ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
    ['::ffff:0:a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['64:ff9b::a9fe:a9fe', 'linkLocal', '169.254.169.254'],
    ['64:ff9b::c0a8:1', 'private', '192.168.0.1'],
    ['2002:a00:1::', 'private', '10.0.0.1'],
    ['2002:c000:201::1', 'documentation', '192.0.2.1'],
    ['2001:0:a9fe:a9fe::', 'linkLocal', '169.254.169.254'], // Teredo server
    ['2001:0:808:808::80ff:fefe', 'loopback', '127.0.1.1'], // Teredo client, inverted
  ])(
    'refuses %s, judged by the %s address it embeds',
    (address, range, embeds) => {
      expect(refusedRange(address)).toEqual({ range, embeds });
    },
  );
});
