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
  CATALOG_REF_DEFAULT_KINDS,
  MAX_ENTITY_REF_LENGTH,
  normaliseEntityRef,
} from '@shared-signals/plugin-ssf-common';

// The stream and provider forms' optional `owner` and `consumer`: catalog
// entity refs, checked here as the backend will and sent as its API wants.

/** The catalog refs a stream or provider names, as their form fields. */
export type CatalogRefMember = keyof typeof CATALOG_REF_DEFAULT_KINDS;

/**
 * What is wrong with an `owner` or `consumer` field, if anything: empty is
 * fine (none), otherwise it must be a catalog entity ref the backend takes.
 */
export function catalogRefError(
  member: CatalogRefMember,
  value: string,
): string | undefined {
  const ref = value.trim();
  if (!ref) {
    return undefined;
  }
  if (ref.length > MAX_ENTITY_REF_LENGTH) {
    return `The entity ref must be at most ${MAX_ENTITY_REF_LENGTH} characters`;
  }
  if (
    normaliseEntityRef(ref, CATALOG_REF_DEFAULT_KINDS[member]) === undefined
  ) {
    const kind = CATALOG_REF_DEFAULT_KINDS[member];
    return `Enter a catalog entity ref, such as ${kind}:default/example or example (kind ${kind} and namespace default when left out)`;
  }
  return undefined;
}

/**
 * An `owner` or `consumer` for an edit body: left out when unchanged (the
 * backend keeps it), `null` when emptied (it removes it), else the new ref.
 * `held` is the stored, normalised ref.
 */
export function catalogRefUpdate(
  member: CatalogRefMember,
  value: string,
  held: string | undefined,
): string | null | undefined {
  const ref = value.trim();
  if (!ref) {
    return held ? null : undefined;
  }
  const normalised = normaliseEntityRef(ref, CATALOG_REF_DEFAULT_KINDS[member]);
  return normalised !== undefined && normalised === held ? undefined : ref;
}
