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

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/** Queries within one element, such as an open dialog. */
export type Within = ReturnType<typeof within>;

/**
 * Clicks the first button named `name` once it is enabled: buttons behind a
 * permission are disabled until the decision arrives.
 */
export async function press(name: string | RegExp) {
  const [button] = await screen.findAllByRole('button', { name });
  await waitFor(() => expect(button).toBeEnabled());
  await userEvent.click(button);
}

/** Types `text` into the text field named `name` in `container`. */
export async function typeIn(
  container: Within,
  name: string | RegExp,
  text: string,
) {
  await userEvent.type(container.getByRole('textbox', { name }), text);
}

/** Presses the button named `name` and returns the dialog it opens. */
export async function openDialog(name: string | RegExp): Promise<Within> {
  await press(name);
  return within(await screen.findByRole('dialog'));
}

/**
 * Clicks the button named `name` in `container`, such as a detail page's
 * toolbar, and returns the dialog it opens.
 */
export async function openDialogIn(
  container: HTMLElement,
  name: string,
): Promise<Within> {
  await userEvent.click(within(container).getByRole('button', { name }));
  return within(await screen.findByRole('dialog'));
}

/** Clicks the button named `name` in the open dialog. */
export async function pressInDialog(name: string) {
  await userEvent.click(
    within(await screen.findByRole('dialog')).getByRole('button', { name }),
  );
}

/**
 * Opens the multiple-choice field `field` of `form`, clicks each of
 * `options` in its list, and closes the list.
 */
export async function toggleOptions(
  form: Within,
  field: string | RegExp,
  options: string[],
) {
  await userEvent.click(form.getByRole('button', { name: field }));
  for (const name of options) {
    await userEvent.click(await screen.findByRole('option', { name }));
  }
  await userEvent.keyboard('{Escape}');
}
