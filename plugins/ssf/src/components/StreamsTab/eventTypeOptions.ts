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
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';

function options(types: Record<string, string>) {
  return Object.values(types).map(uri => ({
    id: uri,
    label: uri.slice(uri.lastIndexOf('/') + 1),
  }));
}

/** The event types a stream may request, grouped by profile for a select. */
export const EVENT_TYPE_SECTIONS = [
  { title: 'CAEP 1.0', options: options(CAEP_EVENT_TYPES) },
  { title: 'RISC 1.0', options: options(RISC_EVENT_TYPES) },
];
