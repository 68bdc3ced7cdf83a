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
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  ResourceEntityV1alpha1,
} from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import {
  SSF_PROVIDER_ID_ANNOTATION,
  SSF_PROVIDER_RESOURCE_TYPE,
  SSF_STREAM_ID_ANNOTATION,
  SSF_STREAM_RESOURCE_TYPE,
  type SsfCatalogComponents,
} from '@shared-signals/plugin-ssf-common';

type CatalogStream = SsfCatalogComponents['schemas']['CatalogStream'];
type CatalogProvider = SsfCatalogComponents['schemas']['CatalogProvider'];

/** A `Resource` with the SSF facts of its stream or provider in `spec.ssf`. */
export type SsfResourceEntity = ResourceEntityV1alpha1 & {
  spec: ResourceEntityV1alpha1['spec'] & { ssf: JsonObject };
};

/** What every entity is built with. */
export interface EntityContext {
  /** Where the entities come from: the SSF plugin's catalog route. */
  location: string;
  /** The portal's frontend base URL, for links to the admin pages. */
  appBaseUrl: string;
  defaultOwner: string;
  system?: string;
}

const METHOD_NAMES: Record<string, string> = {
  'urn:ietf:rfc:8935': 'push',
  'urn:ietf:rfc:8936': 'poll',
};

/** The short name of an event type URI: its last path segment. */
function shortEventType(uri: string): string {
  return uri.slice(uri.lastIndexOf('/') + 1);
}

function base(
  context: EntityContext,
  metadata: ResourceEntityV1alpha1['metadata'],
  spec: { type: string; ssf: JsonObject },
  refs: { owner?: string; consumer?: string },
): SsfResourceEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      ...metadata,
      annotations: {
        [ANNOTATION_LOCATION]: `url:${context.location}`,
        [ANNOTATION_ORIGIN_LOCATION]: `url:${context.location}`,
        ...metadata.annotations,
      },
    },
    spec: {
      ...spec,
      owner: refs.owner ?? context.defaultOwner,
      ...(context.system && { system: context.system }),
      // The catalog turns this into a dependsOn relation from the consumer
      // to this resource: the graph shows which services receive which
      // signals, and from whom.
      ...(refs.consumer && { dependencyOf: [refs.consumer] }),
    },
  };
}

/**
 * A transmitter stream as a `Resource`: named after its ID (entity names
 * must be stable and at most 63 characters; descriptions are neither), with
 * the delivery method and status as tags, and a link to its admin page.
 *
 * @internal
 */
export function streamEntity(
  stream: CatalogStream,
  context: EntityContext,
): SsfResourceEntity {
  const method = METHOD_NAMES[stream.delivery_method] ?? 'push';
  const events = stream.events_delivered.map(shortEventType);
  return base(
    context,
    {
      name: `ssf-stream-${stream.stream_id}`,
      title: stream.description ?? `SSF stream to ${stream.client_id}`,
      description:
        `SSF ${method} stream to the receiver ${stream.client_id}` +
        ` (${stream.status}), delivering ${
          events.length ? events.join(', ') : 'no event types'
        }.`,
      annotations: { [SSF_STREAM_ID_ANNOTATION]: stream.stream_id },
      tags: ['ssf', method, stream.status],
      links: [
        {
          url: `${context.appBaseUrl}/ssf/streams/${encodeURIComponent(
            stream.stream_id,
          )}`,
          title: 'Stream in the Shared Signals admin page',
          icon: 'dashboard',
        },
      ],
    },
    {
      type: SSF_STREAM_RESOURCE_TYPE,
      ssf: {
        status: stream.status,
        deliveryMethod: stream.delivery_method,
        receiverClientId: stream.client_id,
        receiverProfile: stream.receiver_profile,
        eventTypes: stream.events_delivered,
      },
    },
    stream,
  );
}

/**
 * A Security Events Provider as a `Resource`, named after its ID, with a
 * link to its admin page.
 *
 * @internal
 */
export function providerEntity(
  provider: CatalogProvider,
  context: EntityContext,
): SsfResourceEntity {
  const method = METHOD_NAMES[provider.delivery_method] ?? 'push';
  const status = provider.status === 'ACTIVE' ? 'active' : 'inactive';
  return base(
    context,
    {
      name: `ssf-provider-${provider.id}`,
      title: provider.name,
      description: `SSF provider ${provider.name}: SETs from ${provider.issuer} by ${method} (${status}).`,
      annotations: { [SSF_PROVIDER_ID_ANNOTATION]: provider.id },
      tags: ['ssf', method, status],
      links: [
        {
          url: `${context.appBaseUrl}/ssf/providers/${encodeURIComponent(
            provider.id,
          )}`,
          title: 'Provider in the Shared Signals admin page',
          icon: 'dashboard',
        },
      ],
    },
    {
      type: SSF_PROVIDER_RESOURCE_TYPE,
      ssf: {
        status: provider.status,
        deliveryMethod: provider.delivery_method,
        issuer: provider.issuer,
        providerType: provider.type,
      },
    },
    provider,
  );
}
