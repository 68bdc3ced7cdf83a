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

/**
 * The URLs a receiver can read the transmitter configuration from: below
 * the plugin's base URL, and at the host root with the path inserted after
 * `/.well-known/ssf-configuration` as SSF 1.0 §7.2 prescribes.
 */
export function configurationUrls(pluginBaseUrl: string): {
  pluginUrl: string;
  wellKnownUrl: string;
} {
  const base = pluginBaseUrl.replace(/\/+$/, '');
  const url = new URL(base);
  const path = url.pathname === '/' ? '' : url.pathname;
  return {
    pluginUrl: `${base}/.well-known/ssf-configuration`,
    wellKnownUrl: `${url.origin}/.well-known/ssf-configuration${path}`,
  };
}
