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

const PROFILES: Array<[string, string]> = [
  ['https://schemas.openid.net/secevent/caep/event-type/', 'CAEP'],
  ['https://schemas.openid.net/secevent/risc/event-type/', 'RISC'],
  ['https://schemas.openid.net/secevent/ssf/event-type/', 'SSF'],
  ['https://schemas.okta.com/secevent/okta/event-type/', 'Okta'],
];

/** A short name for an event type URI, such as "CAEP session-revoked". */
export function eventTypeLabel(uri: string): string {
  for (const [prefix, profile] of PROFILES) {
    if (uri.startsWith(prefix)) {
      return `${profile} ${uri.slice(prefix.length)}`;
    }
  }
  return uri;
}
