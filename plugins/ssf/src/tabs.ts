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

import { ssfMessages } from './translation';

/**
 * The tabs of the Shared Signals page, in display order. Both the new
 * frontend system (one sub-page each) and the legacy page read this list.
 * `titleKey` names the tab's message in `ssfTranslationRef`; `title` is its
 * default, for the new frontend system's sub-page titles, which are plain
 * strings fixed when the app starts.
 */
export const SSF_TABS = [
  {
    path: 'streams',
    titleKey: 'tabs.streams',
    title: ssfMessages.tabs.streams,
  },
  {
    path: 'providers',
    titleKey: 'tabs.providers',
    title: ssfMessages.tabs.providers,
  },
  {
    path: 'received-events',
    titleKey: 'tabs.receivedEvents',
    title: ssfMessages.tabs.receivedEvents,
  },
  { path: 'hooks', titleKey: 'tabs.hooks', title: ssfMessages.tabs.hooks },
  {
    path: 'transmitter',
    titleKey: 'tabs.transmitter',
    title: ssfMessages.tabs.transmitter,
  },
] as const;

/** The path of one tab, relative to the page. */
export type SsfTabPath = (typeof SSF_TABS)[number]['path'];
