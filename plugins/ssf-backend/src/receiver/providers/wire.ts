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
  DELIVERY_METHODS,
  SecurityEventsProvider,
  SecurityEventsProviderRemoteStream,
} from '@shared-signals/plugin-ssf-common';
import type { SsfProvidersComponents } from '@shared-signals/plugin-ssf-common';
import { ProviderRecord } from './ProviderStore';

/**
 * A provider as the API returns it: the provider API's shape (`id`, `name`, `type`,
 * `status`, `settings`, `_links` with hints only), plus extensions that appear
 * only when they apply. The bearer secret never leaves the database.
 *
 * @internal
 */
export function toWireProvider(
  p: ProviderRecord,
): SecurityEventsProvider & SsfProvidersComponents['schemas']['Provider'] {
  const wire: SecurityEventsProvider = {
    id: p.id,
    name: p.name,
    type: p.type,
    status: p.status,
    settings: {
      issuer: p.issuer,
      jwks_url: p.jwksUrl,
      ...(p.wellKnownUrl !== undefined && { well_known_url: p.wellKnownUrl }),
      // Leniency flags appear only when on, so that a strict provider keeps
      // exactly the provider API's settings.
      ...(p.acceptUntypedSets && { accept_untyped_sets: true }),
      ...(p.acceptNonUrlIssuer && { accept_non_url_issuer: true }),
    },
    _links: {
      self: { hints: { allow: ['GET', 'PUT', 'DELETE'] } },
      ...(p.status === 'ACTIVE'
        ? { deactivate: { hints: { allow: ['POST'] } } }
        : { activate: { hints: { allow: ['POST'] } } }),
    },
  };
  if (p.deliveryMethod === DELIVERY_METHODS.poll) {
    wire.delivery = {
      method: DELIVERY_METHODS.poll,
      endpoint_url: p.pollEndpointUrl,
    };
  }
  if (p.authorizationSecretHash) {
    wire.has_authorization_secret = true;
  }
  const remote = toWireRemoteStream(p);
  if (remote) {
    wire.remote_stream = remote;
  }
  // Catalog extensions appear only when set, like the others.
  if (p.owner !== undefined) wire.owner = p.owner;
  if (p.consumer !== undefined) wire.consumer = p.consumer;
  return wire;
}

/**
 * What the receiver knows about its stream at the provider's transmitter,
 * or undefined when nothing is known: the provider's `remote_stream`, also
 * the answer of the remote-stream routes.
 *
 * @internal
 */
export function toWireRemoteStream(
  p: ProviderRecord,
): SecurityEventsProviderRemoteStream | undefined {
  const remote: SecurityEventsProviderRemoteStream = {
    stream_id: p.remoteStreamId,
    status: p.remoteStreamStatus,
    reason: p.remoteStreamReason,
    status_updated_at: p.remoteStreamUpdatedAt?.toISOString(),
    aud: p.remoteStreamAud,
    events_requested: p.remoteStreamEventsRequested,
    events_delivered: p.remoteStreamEventsDelivered,
    description: p.remoteStreamDescription,
    delivery: p.remoteStreamDeliveryMethod
      ? {
          method: p.remoteStreamDeliveryMethod,
          ...(p.remoteStreamEndpointUrl !== undefined && {
            endpoint_url: p.remoteStreamEndpointUrl,
          }),
        }
      : undefined,
    last_verified_at: p.lastVerifiedAt?.toISOString(),
    last_poll_at: p.lastPollAt?.toISOString(),
    last_poll_error: p.lastPollError,
  };
  const known = Object.fromEntries(
    Object.entries(remote).filter(([, v]) => v !== undefined),
  );
  return Object.keys(known).length ? known : undefined;
}
