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

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_REASON = 500;

/** A CAEP localised string (`{ "en": "…" }`) in English when it has it. */
function localised(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const texts = Object.entries(value).filter(
    (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
  );
  const english =
    texts.find(([lang]) => lang.toLowerCase() === 'en') ??
    texts.find(([lang]) => lang.toLowerCase().startsWith('en-'));
  return (english ?? texts[0])?.[1];
}

/**
 * The reason an event gives for people to read: CAEP's `reason_admin`, else
 * its `reason_user` (CAEP 1.0 §2), else RISC's `reason` (RISC 1.0
 * account-disabled, credential-compromise), cut to a readable length.
 *
 * @internal
 */
export function reasonOf(
  events: unknown,
  eventType: string,
): string | undefined {
  const payload = isObject(events) ? events[eventType] : undefined;
  if (!isObject(payload)) return undefined;
  const reason =
    localised(payload.reason_admin) ??
    localised(payload.reason_user) ??
    (typeof payload.reason === 'string' ? payload.reason : undefined);
  if (!reason?.trim()) return undefined;
  const oneLine = reason.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_REASON
    ? `${oneLine.slice(0, MAX_REASON)}…`
    : oneLine;
}
