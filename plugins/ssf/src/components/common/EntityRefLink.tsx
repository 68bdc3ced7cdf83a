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

import { Link } from '@backstage/ui';

// The plugin does not depend on the catalog's React package (a heavy one),
// so the link is the catalog's entity route spelt out; its path,
// /catalog/:namespace/:kind/:name, is the one every Backstage app mounts.
const NORMALISED_REF = /^([^:/]+):([^:/]+)\/([^:/]+)$/;

/**
 * The catalog page of a normalised entity ref (`kind:namespace/name`, as the
 * backend returns `owner` and `consumer`), or undefined for anything else.
 */
export function catalogEntityPath(ref: string): string | undefined {
  const match = NORMALISED_REF.exec(ref);
  if (!match) {
    return undefined;
  }
  // As the catalog's own links: kind and namespace in lower case.
  const [, kind, namespace, name] = match.map(encodeURIComponent);
  return `/catalog/${namespace.toLocaleLowerCase(
    'en-US',
  )}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}

/**
 * A catalog entity ref as a link to its catalog page; `—` when there is no
 * ref, and the ref as plain text when it is not one the link can be made of.
 */
export function EntityRefLink(props: { entityRef?: string }) {
  const { entityRef } = props;
  if (!entityRef) {
    return <>—</>;
  }
  const path = catalogEntityPath(entityRef);
  return path ? <Link href={path}>{entityRef}</Link> : <>{entityRef}</>;
}
