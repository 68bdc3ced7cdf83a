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
  CAEP_EVENT_TYPES,
  OKTA_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';

function option(uri: string) {
  return { id: uri, label: uri.slice(uri.lastIndexOf('/') + 1) };
}

function options(types: Record<string, string>) {
  return Object.values(types).map(option);
}

/** The event types a stream may request, grouped by profile for a select. */
export const EVENT_TYPE_SECTIONS = [
  { title: 'CAEP 1.0', options: options(CAEP_EVENT_TYPES) },
  { title: 'RISC 1.0', options: options(RISC_EVENT_TYPES) },
];

const FAMILIES: Array<{ title: string; types: readonly string[] }> = [
  { title: 'CAEP 1.0', types: Object.values(CAEP_EVENT_TYPES) },
  { title: 'RISC 1.0', types: Object.values(RISC_EVENT_TYPES) },
  { title: 'Okta', types: Object.values(OKTA_EVENT_TYPES) },
];

/**
 * The given event types (a receiver profile's `events_supported`) grouped
 * for a select. Types of no known family keep their whole URI as label, so
 * that two vendors' `user-risk-change` cannot be mistaken for each other.
 */
export function eventTypeSections(types: readonly string[]) {
  const unique = [...new Set(types)];
  const sections = FAMILIES.map(family => ({
    title: family.title,
    options: unique.filter(t => family.types.includes(t)).map(option),
  }));
  const known = new Set(FAMILIES.flatMap(f => f.types));
  const other = unique.filter(t => !known.has(t));
  if (other.length > 0) {
    sections.push({
      title: 'Other',
      options: other.map(uri => ({ id: uri, label: uri })),
    });
  }
  return sections.filter(s => s.options.length > 0);
}
