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

import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { ReactNode } from 'react';
import { ssfTranslationRef } from '../../translation';
import { AsyncList, AsyncLoad } from './AsyncList';
import { EmptyState } from './EmptyState';

/**
 * The tabs whose messages describe their list: `loading`, `loadError`,
 * `emptyTitle` and `emptyDescription` under the tab's key.
 */
export type TabListMessages = 'streams' | 'providers' | 'hooks';

/**
 * The list of a tab that manages items: its load's states in the tab's
 * messages and, when it has no item yet, what the items are for and the
 * tab's create button (`createAction`). The same on every such tab.
 */
export function TabList<T>(props: {
  messages: TabListMessages;
  /** The list's load; its `value` is the list unless `items` is given. */
  load: AsyncLoad & { value?: T[] };
  /** The rows to show when the caller derives them from the load's value. */
  items?: T[];
  createAction: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  const { messages: m } = props;
  const { t } = useTranslationRef(ssfTranslationRef);
  return (
    <AsyncList
      load={props.load}
      items={props.items ?? props.load.value}
      loadingLabel={t(`${m}.loading`)}
      errorTitle={t(`${m}.loadError`)}
      empty={
        <EmptyState
          title={t(`${m}.emptyTitle`)}
          description={t(`${m}.emptyDescription`)}
          action={props.createAction}
        />
      }
    >
      {props.children}
    </AsyncList>
  );
}
