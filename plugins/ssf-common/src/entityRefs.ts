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
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';

// The catalog entities a stream or provider names: who owns it and which
// component consumes it (extension members `owner` and `consumer`). They are
// stored and returned normalised, so the catalog module can use them as they
// are and two spellings of one entity compare equal.

/**
 * The longest `owner` or `consumer` accepted (the database column's size).
 *
 * @public
 */
export const MAX_ENTITY_REF_LENGTH = 512;

/**
 * The kinds an `owner` and a `consumer` default to when the ref names none.
 *
 * @public
 */
export const CATALOG_REF_DEFAULT_KINDS = Object.freeze({
  owner: 'group',
  consumer: 'component',
});

const validators = makeValidator();

/**
 * A catalog entity ref, `[<kind>:][<namespace>/]<name>`, normalised to
 * `kind:namespace/name` (lower case, namespace `default` when absent), or
 * `undefined` when it is not a valid ref.
 *
 * @public
 */
export function normaliseEntityRef(
  ref: string,
  defaultKind: string,
): string | undefined {
  try {
    const parsed = parseEntityRef(ref, { defaultKind });
    if (
      !validators.isValidKind(parsed.kind) ||
      // Refs compare without regard to case; namespaces are written in
      // lower case (DNS labels), so `Default` names the namespace `default`.
      !validators.isValidNamespace(parsed.namespace.toLowerCase()) ||
      !validators.isValidEntityName(parsed.name)
    ) {
      return undefined;
    }
    return stringifyEntityRef(parsed);
  } catch {
    return undefined;
  }
}

/**
 * A zod schema for an `owner` or `consumer` member: a catalog entity ref,
 * parsed as {@link normaliseEntityRef} does, whose output is the normalised
 * ref. Its messages leave the member's name to the issue's path.
 *
 * @public
 */
export function catalogEntityRefSchema(
  member: keyof typeof CATALOG_REF_DEFAULT_KINDS,
) {
  const defaultKind = CATALOG_REF_DEFAULT_KINDS[member];
  return z
    .string({ error: 'must be a catalog entity ref (a string)' })
    .max(MAX_ENTITY_REF_LENGTH)
    .transform((value, ctx) => {
      const normalised = normaliseEntityRef(value, defaultKind);
      if (normalised === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `must be a catalog entity ref such as "${defaultKind}:default/example" or "example" (kind ${defaultKind} and namespace default when left out), got ${JSON.stringify(
            value,
          )}`,
        });
        return z.NEVER;
      }
      return normalised;
    });
}
