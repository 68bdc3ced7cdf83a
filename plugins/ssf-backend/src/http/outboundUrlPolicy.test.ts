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

import { checkOutboundUrl, HostResolver } from './outboundUrlPolicy';

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
