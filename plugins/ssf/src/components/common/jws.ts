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

/** The decoded parts of a compact JWS; the signature is not verified. */
export interface DecodedJws {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

function decodeSegment(segment: string): Record<string, unknown> {
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64.padEnd(
    base64.length + ((4 - (base64.length % 4)) % 4),
    '=',
  );
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, c => c.charCodeAt(0));
  const value = JSON.parse(new TextDecoder().decode(bytes));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('not a JSON object');
  }
  return value as Record<string, unknown>;
}

/**
 * Decodes the header and claims of a compact JWS (such as a SET) for
 * display. Throws an error with a readable message when it is malformed.
 */
export function decodeJws(jws: string): DecodedJws {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) {
    throw new Error('This is not a compact JWS (expected three parts)');
  }
  try {
    return { header: decodeSegment(parts[0]), claims: decodeSegment(parts[1]) };
  } catch (error) {
    throw new Error(
      `The token could not be decoded: ${(error as Error).message}`,
    );
  }
}
