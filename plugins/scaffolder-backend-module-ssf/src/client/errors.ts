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

// The SSF backend answers in two shapes: Backstage's `{error: {message}}` on
// the stream routes and the seed's `{errorSummary, errorCauses}` on the
// provider routes. Either way the template user should read the backend's
// own words, which name the offending property.

/**
 * The human-readable message of an SSF backend error body, or undefined when
 * the body is not one of the known shapes.
 *
 * @internal
 */
export function errorMessageFrom(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body.trim() ? body.trim().slice(0, 500) : undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const obj = parsed as Record<string, unknown>;
  const error = obj.error as Record<string, unknown> | undefined;
  if (error && typeof error.message === 'string') {
    return error.message;
  }
  if (typeof obj.errorSummary === 'string') {
    const causes = Array.isArray(obj.errorCauses)
      ? obj.errorCauses
          .map(c => (c as { errorSummary?: unknown })?.errorSummary)
          .filter((c): c is string => typeof c === 'string')
      : [];
    return causes.length
      ? `${obj.errorSummary}: ${causes.join('; ')}`
      : obj.errorSummary;
  }
  if (typeof obj.description === 'string') return obj.description;
  return undefined;
}
