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

import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Link } from '@backstage/ui';
import { useMountedRouteRef } from './useMountedRouteRef';

const NORMALISED_REF = /^([^:/]+):([^:/]+)\/([^:/]+)$/;

/**
 * The catalog entity route's parameters of a normalised entity ref
 * (`kind:namespace/name`, as the backend returns `owner` and `consumer`),
 * or undefined for anything else. As the catalog's own links: kind and
 * namespace in lower case, each part URL-encoded (the route function puts
 * them in the path as they are).
 */
export function catalogEntityRouteParams(
  ref: string,
): { kind: string; namespace: string; name: string } | undefined {
  const match = NORMALISED_REF.exec(ref);
  if (!match) {
    return undefined;
  }
  const [, kind, namespace, name] = match;
  return {
    kind: encodeURIComponent(kind.toLocaleLowerCase('en-US')),
    namespace: encodeURIComponent(namespace.toLocaleLowerCase('en-US')),
    name: encodeURIComponent(name),
  };
}

/**
 * A catalog entity ref as a link to its catalog page; `—` when there is no
 * ref. The link follows wherever the app mounts the catalog's entity page
 * (`entityRouteRef`); the ref is plain text when the app has no catalog, or
 * when it is not one the link can be made of.
 */
export function EntityRefLink(props: { entityRef?: string }) {
  const { entityRef } = props;
  const entityRoute = useMountedRouteRef(entityRouteRef);
  if (!entityRef) {
    return <>—</>;
  }
  const params = catalogEntityRouteParams(entityRef);
  return entityRoute && params ? (
    <Link href={entityRoute(params)}>{entityRef}</Link>
  ) : (
    <>{entityRef}</>
  );
}
