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

import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { PUSH } from '../__testUtils__/specUris';
import {
  callerOf,
  clientAuth,
  startSsfBackend,
  userAuth,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

// SSRF in every form a probe tries, against the two routes that take a URL
// the backend will later call: a stream's push endpoint (POST /streams) and a
// Security Events Provider's JWKS and metadata URLs (POST
// /security-events-providers). In strict mode (the default: no private
// networks, https only) each answers 400 with a message, never a 5xx, and
// nothing is stored. No form here needs DNS: each is an address literal, a
// name the policy resolves itself (localhost), or a URL refused before any
// lookup.

/** A URL that names an internal address; the policy must say so. */
type AddressForm = [what: string, url: string];

// IPv4-compatible IPv6 (::/96, RFC 4291 §2.5.5.1): ipaddr.js calls these
// "unicast"; judged by the IPv4 address they embed.
const IPV4_COMPATIBLE: AddressForm[] = [
  ['::/96 hex, metadata', 'https://[::a9fe:a9fe]/latest/meta-data'],
  ['::/96 dotted, metadata', 'https://[::169.254.169.254]/'],
  ['::/96 hex, loopback', 'https://[::7f00:1]/'],
  ['::/96 dotted, loopback', 'https://[::127.0.0.1]/'],
  ['::/96 dotted, private', 'https://[::10.0.0.1]/'],
  ['::/96 hex, private', 'https://[::a00:1]/'],
  ['::/96 192.168', 'https://[::c0a8:101]/'],
  ['::/96 172.16', 'https://[::172.16.0.1]/'],
  ['::/96 carrier-grade NAT', 'https://[::100.64.0.1]/'],
  ['::/96 uncompressed', 'https://[0:0:0:0:0:0:a9fe:a9fe]/'],
  ['::/96 zero-padded', 'https://[0000:0000:0000:0000:0000:0000:7f00:0001]/'],
  ['::/96 with a port', 'https://[::7f00:1]:8443/'],
  ['::/96 upper-case hex', 'https://[::A9FE:A9FE]/'],
  ['::/96 0.0.0.0', 'https://[::0.0.0.0]/'],
];

// IPv4-mapped (::ffff:0:0/96, RFC 4291 §2.5.5.2) and IPv4-translated
// (::ffff:0:0:0/96, RFC 2765 §2.1).
const IPV4_MAPPED: AddressForm[] = [
  ['mapped loopback', 'https://[::ffff:127.0.0.1]/'],
  ['mapped hex loopback', 'https://[::ffff:7f00:1]/'],
  ['mapped metadata', 'https://[::ffff:a9fe:a9fe]/'],
  ['mapped private', 'https://[::ffff:10.0.0.1]/'],
  ['mapped uncompressed', 'https://[0:0:0:0:0:ffff:7f00:1]/'],
  ['translated loopback', 'https://[::ffff:0:127.0.0.1]/'],
  ['translated metadata', 'https://[::ffff:0:a9fe:a9fe]/'],
];

// NAT64 (64:ff9b::/96, RFC 6052; 64:ff9b:1::/48, RFC 8215), 6to4
// (2002::/16, RFC 3056) and Teredo (2001::/32, RFC 4380: server address in
// bits 32-63, client address inverted in the last 32 bits).
const IPV4_EMBEDDED: AddressForm[] = [
  ['NAT64 loopback', 'https://[64:ff9b::127.0.0.1]/'],
  ['NAT64 metadata', 'https://[64:ff9b::a9fe:a9fe]/'],
  ['NAT64 private', 'https://[64:ff9b::10.0.0.1]/'],
  ['local-use NAT64', 'https://[64:ff9b:1::a9fe:a9fe]/'],
  ['6to4 loopback', 'https://[2002:7f00:1::1]/'],
  ['6to4 metadata', 'https://[2002:a9fe:a9fe::]/'],
  ['Teredo, private client', 'https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/'],
  ['Teredo, loopback server', 'https://[2001:0:7f00:1::]/'],
];

const IPV6_SPECIAL: AddressForm[] = [
  ['IPv6 loopback', 'https://[::1]/'],
  ['IPv6 loopback uncompressed', 'https://[0:0:0:0:0:0:0:1]/'],
  ['IPv6 unspecified', 'https://[::]/'],
  ['IPv6 link-local', 'https://[fe80::1]/'],
  ['IPv6 unique-local', 'https://[fd00::1]/'],
  ['IPv6 unique-local fc00', 'https://[fc00::1]/'],
  ['IPv6 site-local (deprecated)', 'https://[fec0::1]/'],
  ['IPv6 multicast', 'https://[ff02::1]/'],
  ['IPv6 documentation', 'https://[2001:db8::1]/'],
  ['IPv6 documentation 3fff::/20', 'https://[3fff::1]/'],
  ['IPv6 discard-only', 'https://[100::1]/'],
  ['IPv6 benchmarking', 'https://[2001:2::1]/'],
  ['IPv6 outside 2000::/3', 'https://[4000::1]/'],
];

// IPv4 literals as the WHATWG URL parser reads them: decimal, octal and hex
// parts, short forms, and one 32-bit number, all meaning an internal address.
const IPV4_LITERALS: AddressForm[] = [
  ['dotted loopback', 'https://127.0.0.1/'],
  ['short loopback', 'https://127.1/'],
  ['decimal loopback', 'https://2130706433/'],
  ['hex loopback', 'https://0x7f000001/'],
  ['hex-part loopback', 'https://0x7f.0.0.1/'],
  ['octal-part loopback', 'https://0177.0.0.1/'],
  ['octal loopback', 'https://017700000001/'],
  ['mixed short loopback', 'https://0x7f.1/'],
  ['zero-padded loopback', 'https://127.000.000.001/'],
  ['trailing-dot loopback', 'https://127.0.0.1./'],
  ['loopback elsewhere in 127/8', 'https://127.8.9.10/'],
  ['metadata', 'https://169.254.169.254/latest/meta-data/'],
  ['decimal metadata', 'https://2852039166/'],
  ['hex metadata', 'https://0xa9fea9fe/'],
  ['octal metadata', 'https://0251.0376.0251.0376/'],
  ['private 10/8', 'https://10.0.0.1/'],
  ['octal private', 'https://012.0.0.1/'],
  ['hex private', 'https://0xa.0.0.1/'],
  ['decimal private', 'https://167772161/'],
  ['private 172.16/12', 'https://172.16.0.1/'],
  ['private 192.168/16', 'https://192.168.1.1/'],
  ['carrier-grade NAT', 'https://100.64.0.1/'],
  ['this network', 'https://0.0.0.0/'],
  ['zero', 'https://0/'],
  ['IETF protocol assignments', 'https://192.0.0.1/'],
  ['documentation', 'https://192.0.2.1/'],
  ['benchmarking', 'https://198.18.0.1/'],
  ['multicast', 'https://224.0.0.1/'],
  ['reserved', 'https://240.0.0.1/'],
  ['broadcast', 'https://255.255.255.255/'],
];

const LOCAL_NAMES: AddressForm[] = [
  ['localhost', 'https://localhost/'],
  ['localhost with a port', 'https://localhost:8443/'],
  ['upper-case localhost', 'https://LOCALHOST/'],
  ['trailing-dot localhost', 'https://localhost./'],
  ['a .localhost name', 'https://api.localhost/'],
];

// Userinfo tricks: the text before '@' looks like the host. The policy
// refuses user info outright, and otherwise judges the real host.
const USERINFO: AddressForm[] = [
  ['an empty userinfo', 'https://@127.0.0.1/'],
  ['a backslash before @', 'https://127.0.0.1\\@receiver.example.com/'],
];

/** A URL refused for its form rather than its address. */
type FormCase = [what: string, url: string, message: RegExp];

const MALFORMED: FormCase[] = [
  [
    'a host name as userinfo',
    'https://receiver.example.com@127.0.0.1/',
    /user credentials/,
  ],
  [
    'userinfo with a port',
    'https://receiver.example.com:443@169.254.169.254/',
    /user credentials/,
  ],
  [
    'user and password',
    'https://user:pass@receiver.example.com/',
    /user credentials/,
  ],
  [
    'an encoded @ in the host',
    'https://receiver.example.com%40127.0.0.1/',
    /absolute URL/,
  ],
  [
    'a fragment hiding the host',
    'https://127.0.0.1#@receiver.example.com/',
    /fragment/,
  ],
  ['an IPv6 zone id', 'https://[fe80::1%25eth0]/', /absolute URL/],
  ['a raw IPv6 zone id', 'https://[fe80::1%eth0]/', /absolute URL/],
  ['a numeric zone id', 'https://[::1%251]/', /absolute URL/],
  ['a zone id on ::/96', 'https://[::a9fe:a9fe%25lo]/', /absolute URL/],
  ['unbracketed IPv6', 'https://::1/', /absolute URL/],
  ['plain http in strict mode', 'http://[::a9fe:a9fe]/', /must use https/],
  ['a file URL', 'file:///etc/passwd', /https URL/],
  ['a gopher URL', 'gopher://127.0.0.1:70/_x', /https URL/],
  ['a data URL', 'data:text/plain,hello', /https URL/],
];

const ADDRESS_FORMS: AddressForm[] = [
  ...IPV4_COMPATIBLE,
  ...IPV4_MAPPED,
  ...IPV4_EMBEDDED,
  ...IPV6_SPECIAL,
  ...IPV4_LITERALS,
  ...LOCAL_NAMES,
  ...USERINFO,
];

const ALL_CASES: FormCase[] = [
  ...ADDRESS_FORMS.map(
    ([what, url]): FormCase => [what, url, /must not point at a \w+ address/],
  ),
  ...MALFORMED,
];

describeOnEachDatabase('SSRF', (databases, id) => {
  it('refuses every internal or malformed URL as a stream endpoint_url with 400', async () => {
    const { server, knex } = await startSsfBackend({ databases, id });
    const failures: string[] = [];
    let n = 0;
    for (const asAdmin of [false, true]) {
      for (const [what, url, message] of ALL_CASES) {
        // A client of its own for each case, so that one URL wrongly
        // accepted cannot hide the next behind "a stream already exists".
        n += 1;
        const res = await callerOf(
          server,
          asAdmin ? userAuth() : clientAuth(`c-${n}`),
        )('post', '/api/ssf/streams', {
          delivery: { method: PUSH, endpoint_url: url },
          ...(asAdmin && { client_id: `c-${n}` }),
        });
        const text = res.body?.error?.message ?? res.text;
        if (res.status !== 400 || !message.test(text)) {
          failures.push(
            `${asAdmin ? 'admin' : 'receiver'}: ${what} (${url}): ${
              res.status
            } ${String(text).slice(0, 200)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCount(knex, 'ssf_streams')).toBe(0);
  });

  it('refuses them when a stream is re-pointed with PATCH and PUT too', async () => {
    const { server, knex } = await startSsfBackend({ databases, id });
    const asA = callerOf(server, clientAuth('client-a'));
    const created = await asA('post', '/api/ssf/streams', {
      delivery: {
        method: PUSH,
        endpoint_url: 'https://receiver.example.com/events',
      },
    });
    expect(created.status).toBe(201);
    const before = await knex('ssf_streams').select();
    const failures: string[] = [];
    for (const [what, url] of [
      ...IPV4_COMPATIBLE,
      ...IPV4_MAPPED,
      ...IPV4_EMBEDDED,
    ]) {
      for (const method of ['patch', 'put'] as const) {
        const res = await asA(method, '/api/ssf/streams', {
          stream_id: created.body.stream_id,
          delivery: { method: PUSH, endpoint_url: url },
        });
        if (res.status !== 400) {
          failures.push(
            `${method} ${what}: ${res.status} ${res.text.slice(0, 200)}`,
          );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await knex('ssf_streams').select()).toEqual(before);
  });

  it('refuses every internal or malformed URL as a provider jwks_url or well_known_url with 400', async () => {
    const { server, knex } = await startSsfBackend({ databases, id });
    const failures: string[] = [];
    let n = 0;
    // A metadata URL must contain /.well-known/ssf-configuration (SSF 1.0
    // §7.2), so the address forms get that path; the malformed ones are
    // tried as jwks_url only.
    const attempts = [
      ...ALL_CASES.map(([what, url, message]) => ({
        what,
        url,
        message,
        settings: (i: number) => ({
          issuer: `https://transmitter-${i}.example.com`,
          jwks_url: url,
        }),
      })),
      ...ADDRESS_FORMS.map(([what, url]) => {
        const wellKnown = url.replace(/\/?$/, '/.well-known/ssf-configuration');
        return {
          what,
          url: wellKnown,
          message: /must not point at a \w+ address/,
          settings: () => ({ well_known_url: wellKnown }),
        };
      }),
    ];
    for (const { what, url, message, settings } of attempts) {
      // Names and issuers are unique per provider: one of each per case, so
      // that a URL wrongly accepted cannot hide the next.
      n += 1;
      const body = { name: `ssrf ${n}`, type: 'okta', settings: settings(n) };
      const res = await callerOf(server, userAuth())(
        'post',
        '/api/ssf/security-events-providers',
        body,
      );
      // The provider API's error shape (Okta's Security Events Providers API):
      // errorCauses[].errorSummary carries the reason.
      const text = JSON.stringify(res.body ?? res.text);
      if (res.status !== 400 || !message.test(text)) {
        failures.push(
          `${what} as ${Object.keys(body.settings).join('+')} (${url}): ${
            res.status
          } ${text.slice(0, 200)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await rowCount(knex, 'ssf_providers')).toBe(0);
  });
});
