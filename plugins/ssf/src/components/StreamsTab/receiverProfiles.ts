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

import { ReceiverProfile } from '../../api';
import { DEFAULT_RECEIVER_PROFILE } from './streamForm';

/** The receiver profiles as the Streams tab loaded them. */
export interface ReceiverProfilesState {
  profiles?: ReceiverProfile[];
  loading: boolean;
  error?: Error;
}

// Every transmitter offers plain SSF 1.0: it is what a stream without a
// profile has, so the form can offer it even when the list did not load.
const SSF_TITLE = 'SSF 1.0 receiver';

/** The receiver profile ID of a stream (absent means `ssf`). */
export function streamProfileId(stream: { receiver_profile?: string }) {
  return stream.receiver_profile ?? DEFAULT_RECEIVER_PROFILE;
}

/** A profile's title, or its ID when the transmitter does not list it. */
export function receiverProfileTitle(
  id: string,
  profiles: readonly ReceiverProfile[] | undefined,
): string {
  const listed = profiles?.find(p => p.id === id)?.title;
  if (listed) return listed;
  return id === DEFAULT_RECEIVER_PROFILE ? SSF_TITLE : id;
}

/**
 * The profiles "Create stream" offers: the default first, then the others
 * in the transmitter's order. Plain SSF is always there.
 */
export function offeredReceiverProfiles(
  profiles: readonly ReceiverProfile[] | undefined,
): Array<ReceiverProfile | { id: string; title: string }> {
  const listed = profiles ?? [];
  const ssf = listed.find(p => p.id === DEFAULT_RECEIVER_PROFILE) ?? {
    id: DEFAULT_RECEIVER_PROFILE,
    title: SSF_TITLE,
  };
  return [ssf, ...listed.filter(p => p.id !== DEFAULT_RECEIVER_PROFILE)];
}
