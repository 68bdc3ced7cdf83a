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

import { InputError } from '@backstage/errors';
import { SsfReceiverProfile } from '@shared-signals/plugin-ssf-node';
import { oktaReceiverProfile } from './oktaProfile';
import { ssfReceiverProfile } from './ssfProfile';

const PROFILE_ID = /^[a-z][a-z0-9-]{0,31}$/;

/** The default profile: SSF 1.0 SETs as the spec shapes them. @internal */
export const DEFAULT_PROFILE_ID = 'ssf';

/**
 * The receiver profiles this transmitter offers: `ssf` and `okta` built in,
 * more from modules through `ssfReceiverProfilesExtensionPoint`.
 *
 * @internal
 */
export class ReceiverProfiles {
  readonly #profiles = new Map<string, SsfReceiverProfile>();

  constructor(extra: SsfReceiverProfile[] = []) {
    for (const profile of [ssfReceiverProfile, oktaReceiverProfile, ...extra]) {
      this.add(profile);
    }
  }

  add(profile: SsfReceiverProfile) {
    if (!PROFILE_ID.test(profile.id)) {
      throw new Error(
        `Receiver profile id '${profile.id}' must be lower-case letters, digits and dashes`,
      );
    }
    if (this.#profiles.has(profile.id)) {
      throw new Error(`Receiver profile '${profile.id}' is added twice`);
    }
    this.#profiles.set(profile.id, profile);
  }

  list(): SsfReceiverProfile[] {
    return [...this.#profiles.values()];
  }

  /** The profile a request names; an unknown id is the caller's mistake. */
  get(id: string = DEFAULT_PROFILE_ID): SsfReceiverProfile {
    const profile = this.#profiles.get(id);
    if (!profile) {
      throw new InputError(
        `receiver_profile '${id}' is not offered by this transmitter; choose one of ${[
          ...this.#profiles.keys(),
        ].join(', ')}`,
      );
    }
    return profile;
  }

  /**
   * The profile of a stored stream. A stream whose profile's module was
   * removed falls back to plain SSF rather than stopping delivery.
   */
  forStream(stream: { receiverProfile: string }): SsfReceiverProfile {
    return (
      this.#profiles.get(stream.receiverProfile) ??
      this.#profiles.get(DEFAULT_PROFILE_ID)!
    );
  }

  /** What a stream may receive: the transmitter's types its profile takes. */
  eventsSupported(
    stream: { receiverProfile: string },
    transmitterSupported: readonly string[],
  ): string[] {
    const profile = this.forStream(stream);
    return transmitterSupported.filter(e =>
      profile.eventsSupported.includes(e),
    );
  }
}
