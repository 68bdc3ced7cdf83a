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

import { STANDARD_EVENT_TYPES } from '@shared-signals/plugin-ssf-common';
import { SsfReceiverProfile } from '@shared-signals/plugin-ssf-node';

/**
 * Any SSF 1.0 receiver: SETs exactly as SSF 1.0 §4 profiles RFC 8417 (the
 * subject in `sub_id`, `aud` as the stream holds it), every CAEP and RISC
 * event type, and the SSF stream events.
 *
 * @internal
 */
export const ssfReceiverProfile: SsfReceiverProfile = {
  id: 'ssf',
  title: 'SSF 1.0 receiver',
  description:
    'Any receiver that follows the Shared Signals Framework 1.0: it creates and manages its stream through the stream API.',
  eventsSupported: STANDARD_EVENT_TYPES,
};
