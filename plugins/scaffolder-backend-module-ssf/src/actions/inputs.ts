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

/**
 * The input without its empty-string properties. A template passes an optional
 * parameter the user left empty as `''`, which the actions treat as absent
 * (an empty `client_id` or URL would otherwise be refused by the backend).
 *
 * @internal
 */
export function omitEmptyStrings<T extends object>(input: T): T {
  return Object.fromEntries(
    Object.entries(input).filter(([, v]) => v !== ''),
  ) as T;
}

/**
 * The request members for the `owner` and `consumer` inputs given (empty
 * ones were already left out).
 *
 * @internal
 */
export function catalogRefs(input: { owner?: string; consumer?: string }): {
  owner?: string;
  consumer?: string;
} {
  return {
    ...(input.owner !== undefined && { owner: input.owner }),
    ...(input.consumer !== undefined && { consumer: input.consumer }),
  };
}
