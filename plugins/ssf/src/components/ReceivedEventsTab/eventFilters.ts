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

import { ReceivedEventsQuery } from '../../api';

/** The filter form's values; dates are `YYYY-MM-DD` in local time. */
export interface EventFilterValues {
  providerId: string;
  eventType: string;
  subject: string;
  since: string;
  until: string;
}

/** No filter at all. */
export const NO_FILTERS: EventFilterValues = {
  providerId: '',
  eventType: '',
  subject: '',
  since: '',
  until: '',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function toIso(date: string, endOfDay: boolean): string | undefined {
  if (!DATE.test(date)) return undefined;
  const d = new Date(`${date}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Errors by field; empty when the filters can be sent. */
export function validateEventFilters(
  values: EventFilterValues,
): Partial<Record<keyof EventFilterValues, string>> {
  const errors: Partial<Record<keyof EventFilterValues, string>> = {};
  for (const key of ['since', 'until'] as const) {
    if (values[key] && !toIso(values[key], key === 'until')) {
      errors[key] = 'Enter a date as YYYY-MM-DD';
    }
  }
  if (values.subject.length > 1024) {
    errors.subject = 'The subject must be at most 1024 characters';
  }
  const since = toIso(values.since, false);
  const until = toIso(values.until, true);
  if (since && until && since >= until) {
    errors.until = 'The end date must be after the start date';
  }
  return errors;
}

/** The query for valid filter values. */
export function toEventsQuery(values: EventFilterValues): ReceivedEventsQuery {
  return {
    provider_id: values.providerId || undefined,
    event_type: values.eventType || undefined,
    subject: values.subject.trim() || undefined,
    since: values.since ? toIso(values.since, false) : undefined,
    until: values.until ? toIso(values.until, true) : undefined,
  };
}
