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

import { Button, Flex, Select, TextField } from '@backstage/ui';
import { SecurityEventsProvider } from '@shared-signals/plugin-ssf-common';
import { Form } from 'react-aria-components';
import { useFormState } from '../common';
import { EVENT_TYPE_SECTIONS } from '../StreamsTab/eventTypeOptions';
import {
  EventFilterValues,
  NO_FILTERS,
  validateEventFilters,
} from './eventFilters';

/** The filters of the received events list, applied on submit. */
export function EventFilters(props: {
  providers: SecurityEventsProvider[];
  onApply: (values: EventFilterValues) => void;
}) {
  // Applying cannot fail, so there is no submit error or pending to show.
  const { values, set, bind, errors, submit } = useFormState({
    initial: NO_FILTERS,
    validate: validateEventFilters,
    onSubmit: props.onApply,
  });
  const providerOptions = [
    { id: 'all', label: 'All providers' },
    ...props.providers.map(p => ({ id: p.id, label: p.name })),
  ];
  const typeOptions = [
    { title: 'Any', options: [{ id: 'all', label: 'All event types' }] },
    ...EVENT_TYPE_SECTIONS,
  ];

  return (
    <Form
      validationBehavior="aria"
      validationErrors={errors}
      onSubmit={submit}
      aria-label="Filter received events"
    >
      <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
        <Select
          name="providerId"
          label="Provider"
          options={providerOptions}
          value={values.providerId || 'all'}
          onChange={v => set('providerId', v === 'all' ? '' : String(v ?? ''))}
        />
        <Select
          name="eventType"
          label="Event type"
          options={typeOptions}
          value={values.eventType || 'all'}
          onChange={v => set('eventType', v === 'all' ? '' : String(v ?? ''))}
        />
        <TextField
          name="subject"
          label="Subject"
          placeholder="alice@example.com"
          {...bind('subject')}
        />
        <TextField
          name="since"
          label="From"
          placeholder="YYYY-MM-DD"
          {...bind('since')}
        />
        <TextField
          name="until"
          label="To"
          placeholder="YYYY-MM-DD"
          {...bind('until')}
        />
        <Button type="submit" variant="secondary">
          Apply filters
        </Button>
      </Flex>
    </Form>
  );
}
