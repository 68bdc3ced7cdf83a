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

import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

// Steps of the tests that render the whole page (either frontend system),
// on the data of `pageApi()`.

// The first render of the whole app loads the page's lazy tab modules, which
// jest transforms on first import: on a loaded machine that takes longer
// than testing-library's default second. A wait, not a timing assertion.
const FIRST_LOAD = { timeout: 15_000 };

/**
 * Waits for the detail of the stream of `clientId`, expects its heading,
 * and returns its actions toolbar.
 */
export async function findStreamDetail(clientId: string) {
  const toolbar = await screen.findByRole(
    'toolbar',
    { name: 'Stream actions' },
    FIRST_LOAD,
  );
  expect(screen.getByRole('heading', { name: clientId })).toBeInTheDocument();
  return toolbar;
}

/** Opens the stream of receiver-a from the list the page opens on. */
export async function openStreamFromList() {
  await userEvent.click(await screen.findByText('receiver-a', {}, FIRST_LOAD));
  expect(
    await screen.findByRole('toolbar', { name: 'Stream actions' }),
  ).toBeInTheDocument();
}

/** Opens the Providers tab, then the provider Okta from its list. */
export async function openProviderFromTab() {
  await userEvent.click(screen.getByRole('tab', { name: 'Providers' }));
  await userEvent.click(await screen.findByText('Okta'));
  expect(await screen.findByText('Remote stream of Okta')).toBeInTheDocument();
}
