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

import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CAEP_EVENT_TYPES,
  RISC_EVENT_TYPES,
} from '@shared-signals/plugin-ssf-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SsfApi } from '../../api';
import { SsfRequestError } from '../../api/errors';
import {
  LIFECYCLE_PATH,
  hook,
  hookFiring,
  lifecycleStatus,
  mockSsfApi,
  provider,
} from '../../__testUtils__/fixtures';
import { openDialog, press, typeIn } from '../../__testUtils__/interactions';
import { tabRender } from '../../__testUtils__/render';
import { HooksTab } from './HooksTab';

jest.setTimeout(30_000);

const configHook = hook({
  id: 'hook_2',
  name: 'offboarding-account-purged',
  description: undefined,
  trigger: { on: 'user_removed' },
  event_type: RISC_EVENT_TYPES.accountPurged,
  subject_format: 'iss_sub',
  source: 'config',
  enabled: false,
});

/** An api whose hook routes answer; `overrides` replace any of them. */
function hooksApi(overrides: Partial<SsfApi> = {}) {
  return mockSsfApi({
    listHooks: async () => [hook(), configHook],
    listHookFirings: async () => ({ items: [hookFiring()] }),
    getLifecycleStatus: async () => lifecycleStatus(),
    ...overrides,
  });
}

const render = tabRender(<HooksTab />);

const openCreateDialog = () => openDialog('Create hook');

async function replaceText(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  await userEvent.click(field);
  // paste, not type: user-event reads "{" and "[" in typed text as keys.
  await userEvent.paste(text);
}

describe('HooksTab', () => {
  it('lists hooks with their trigger in words, event type, subject format, source and state', async () => {
    render(hooksApi());
    expect(
      await screen.findByText('lifecycle-suspended-session-revoked', {
        selector: '[role="rowheader"] *',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Revoke sessions of suspended users'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('gridcell', {
        name: `${LIFECYCLE_PATH} changes to suspended|terminated`,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('gridcell', { name: 'User removed from the catalog' }),
    ).toBeInTheDocument();
    const table = within(screen.getAllByRole('grid')[0]);
    expect(table.getByText('CAEP session-revoked')).toBeInTheDocument();
    expect(table.getByText('RISC account-purged')).toBeInTheDocument();
    expect(table.getByText('Subject: Email')).toBeInTheDocument();
    expect(table.getByText('Subject: Issuer and subject')).toBeInTheDocument();
    expect(table.getByText('From app-config, read-only')).toBeInTheDocument();
    expect(table.getByText('Enabled')).toBeInTheDocument();
    expect(table.getByText('Disabled')).toBeInTheDocument();
  });

  it('shows a loading state, then an empty state that says what to do', async () => {
    let resolve: (hooks: []) => void = () => {};
    render(
      hooksApi({
        listHooks: () => new Promise(r => (resolve = r)),
        listHookFirings: async () => ({ items: [] }),
      }),
    );
    expect(screen.getByText('Loading hooks…')).toBeInTheDocument();
    resolve([]);
    expect(await screen.findByText('No hooks yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Create one, or define ssf.lifecycle.hooks in app-config/,
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText(/No hook has fired yet/),
    ).toBeInTheDocument();
  });

  it('shows backend errors in words, with a retry', async () => {
    const api = hooksApi({
      listHooks: async () => {
        throw new SsfRequestError('You do not have permission to do this', 403);
      },
    });
    render(api);
    expect(
      await screen.findByText('Could not load the hooks'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('You do not have permission to do this'),
    ).toBeInTheDocument();
    api.listHooks.mockResolvedValueOnce([hook()]);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('button', {
        name: 'Edit lifecycle-suspended-session-revoked',
      }),
    ).toBeInTheDocument();
  });

  it('keeps app-config hooks read-only, saying why', async () => {
    render(hooksApi());
    for (const action of ['Edit', 'Enable', 'Delete']) {
      const button = await screen.findByRole('button', {
        name: `${action} offboarding-account-purged`,
      });
      await waitFor(() =>
        expect(button).toHaveAccessibleDescription(
          /comes from app-config and is read-only here/,
        ),
      );
      expect(button).toBeDisabled();
    }
    await waitFor(() =>
      expect(
        screen.getByRole('button', {
          name: 'Edit lifecycle-suspended-session-revoked',
        }),
      ).toBeEnabled(),
    );
  });

  it('disables every button for users without ssf.hook.manage, saying why', async () => {
    render(hooksApi(), { authorize: AuthorizeResult.DENY });
    const del = await screen.findByRole('button', {
      name: 'Delete lifecycle-suspended-session-revoked',
    });
    await waitFor(() => expect(del).toBeDisabled());
    expect(del).toHaveAccessibleDescription(
      'You need the ssf.hook.manage permission to delete hooks.',
    );
    for (const name of ['Create hook', 'Dry run', 'Reconcile now']) {
      const button = screen.getByRole('button', { name });
      await waitFor(() => expect(button).toBeDisabled());
      expect(button).toHaveAccessibleDescription(
        /You need the ssf.hook.manage permission/,
      );
    }
  });

  describe('form', () => {
    it('refuses a bad name and bad JSON, leaving pattern syntax to the backend', async () => {
      const api = hooksApi();
      render(api);
      const form = await openCreateDialog();
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(await form.findByText('Enter a name')).toBeInTheDocument();
      expect(form.getByText(/Enter the attribute path/)).toBeInTheDocument();
      expect(
        form.getByText('Choose the event type to emit'),
      ).toBeInTheDocument();

      await typeIn(form, /Name/, 'Suspended Users');
      await replaceText(
        form.getByRole('textbox', { name: /Attribute path/ }),
        LIFECYCLE_PATH,
      );
      await replaceText(
        form.getByRole('textbox', { name: /Payload template/ }),
        '{"initiating_entity": ',
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/Use lowercase letters, digits/),
      ).toBeInTheDocument();
      expect(form.getByText(/Not valid JSON/)).toBeInTheDocument();

      await replaceText(
        form.getByRole('textbox', { name: /Payload template/ }),
        '["policy"]',
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/must be a JSON object/),
      ).toBeInTheDocument();
      expect(api.createHook).not.toHaveBeenCalled();
    });

    it('creates a hook with the contract body and reloads the list', async () => {
      const api = hooksApi({
        listHooks: async () => [],
        createHook: async input => hook({ name: input.name }),
      });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Name/, 'lifecycle-suspended');
      await replaceText(
        form.getByRole('textbox', { name: /Attribute path/ }),
        LIFECYCLE_PATH,
      );
      await typeIn(form, /^From/, 'active');
      await typeIn(form, /^To/, 'suspended|terminated');
      await userEvent.click(form.getByRole('button', { name: /Event type/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'session-revoked' }),
      );
      await userEvent.click(form.getByRole('radio', { name: /Issuer/ }));
      await replaceText(
        form.getByRole('textbox', { name: /Payload template/ }),
        '{"initiating_entity": "policy", "reason_admin": {"en": "{{to}}"}}',
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));

      await waitFor(() =>
        expect(api.createHook).toHaveBeenCalledWith({
          name: 'lifecycle-suspended',
          trigger: {
            on: 'attribute_changed',
            path: LIFECYCLE_PATH,
            from: 'active',
            to: 'suspended|terminated',
          },
          event_type: CAEP_EVENT_TYPES.sessionRevoked,
          payload_template: {
            initiating_entity: 'policy',
            reason_admin: { en: '{{to}}' },
          },
          subject_format: 'iss_sub',
        }),
      );
      expect(
        await screen.findByText('lifecycle-suspended was created.'),
      ).toBeInTheDocument();
      await waitFor(() => expect(api.listHooks).toHaveBeenCalledTimes(2));
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    });

    it('creates a hook on a received event, with its type and provider', async () => {
      const api = hooksApi({
        listHooks: async () => [],
        listProviders: async () => [provider()],
        createHook: async input => hook({ name: input.name }),
      });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Name/, 'okta-disabled');
      await userEvent.click(
        form.getByRole('radio', { name: /An event is received/ }),
      );
      // Identity-change fields give way to those of the received event.
      expect(
        form.queryByRole('textbox', { name: /Attribute path/ }),
      ).not.toBeInTheDocument();
      expect(
        form.queryByRole('radio', { name: /Issuer and subject/ }),
      ).not.toBeInTheDocument();
      await userEvent.click(form.getByRole('button', { name: /Event type$/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'session-revoked' }),
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/Enter the received event type/),
      ).toBeInTheDocument();

      const eventType = form.getByRole('textbox', {
        name: /Received event type/,
      });
      await replaceText(eventType, 'account disabled');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText(/must be an absolute URI/),
      ).toBeInTheDocument();

      // A known type is picked from the list; the field takes any URI.
      await userEvent.clear(eventType);
      await userEvent.click(
        form.getByRole('button', { name: /Known event types/ }),
      );
      await userEvent.click(
        await screen.findByRole('option', { name: 'account-disabled' }),
      );
      expect(eventType).toHaveValue(
        'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
      );
      await userEvent.click(form.getByRole('button', { name: /Provider$/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: /Okta/ }),
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));

      await waitFor(() =>
        expect(api.createHook).toHaveBeenCalledWith({
          name: 'okta-disabled',
          trigger: {
            on: 'event_received',
            provider: 'sse1abc',
            event_type:
              'https://schemas.openid.net/secevent/risc/event-type/account-disabled',
          },
          event_type: CAEP_EVENT_TYPES.sessionRevoked,
          payload_template: {},
          subject_format: 'email',
        }),
      );
    });

    it('edits a hook on a received event, keeping a provider that is no longer listed', async () => {
      const received = hook({
        trigger: {
          on: 'event_received',
          provider: 'gone1',
          event_type: 'https://vendor.example/secevent/user-flagged',
        },
      });
      const api = hooksApi({
        listHooks: async () => [received],
        listProviders: async () => [provider()],
        replaceHook: async (_id, input) => hook({ name: input.name }),
      });
      render(api);
      const form = await openDialog('Edit lifecycle-suspended-session-revoked');
      expect(
        form.getByRole('radio', { name: /An event is received/ }),
      ).toBeChecked();
      expect(
        form.getByRole('textbox', { name: /Received event type/ }),
      ).toHaveValue('https://vendor.example/secevent/user-flagged');
      expect(
        await form.findByRole('button', { name: /Provider$/ }),
      ).toHaveTextContent('gone1');
      await userEvent.click(form.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.replaceHook).toHaveBeenCalledWith(
          'hook_1',
          expect.objectContaining({ trigger: received.trigger }),
        ),
      );

      // Any provider: the trigger names none.
      await openDialog('Edit lifecycle-suspended-session-revoked');
      const again = within(await screen.findByRole('dialog'));
      await userEvent.click(again.getByRole('button', { name: /Provider$/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'Any provider' }),
      );
      await userEvent.click(again.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.replaceHook).toHaveBeenLastCalledWith(
          'hook_1',
          expect.objectContaining({
            trigger: {
              on: 'event_received',
              event_type: 'https://vendor.example/secevent/user-flagged',
            },
          }),
        ),
      );
    });

    it("sends an RE2 pattern the browser's RegExp refuses, and shows the backend's refusal of a backreference", async () => {
      const message =
        'Invalid hook: trigger.to: not a pattern the linear-time matching engine (RE2 syntax) takes: error parsing regexp: invalid escape sequence: `\\1`. Backreferences, lookahead and lookbehind are not supported';
      const api = hooksApi({
        listHooks: async () => [],
        createHook: async input => {
          if (
            input.trigger.on === 'attribute_changed' &&
            input.trigger.to === '(a)\\1'
          ) {
            throw new SsfRequestError(message, 400);
          }
          return hook({ name: input.name });
        },
      });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Name/, 'case-insensitive');
      await replaceText(
        form.getByRole('textbox', { name: /Attribute path/ }),
        LIFECYCLE_PATH,
      );
      const to = form.getByRole('textbox', { name: /^To/ });
      await replaceText(to, '(a)\\1');
      await userEvent.click(form.getByRole('button', { name: /Event type/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'session-revoked' }),
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(await form.findByText(message)).toBeInTheDocument();
      expect(
        form.getByText('The hook could not be created'),
      ).toBeInTheDocument();

      // (?i) is RE2 syntax that RegExp refuses: the form sends it.
      await replaceText(to, '(?i)SUSPENDED');
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      await waitFor(() =>
        expect(api.createHook).toHaveBeenLastCalledWith(
          expect.objectContaining({
            trigger: {
              on: 'attribute_changed',
              path: LIFECYCLE_PATH,
              to: '(?i)SUSPENDED',
            },
          }),
        ),
      );
    });

    it('creates a user-removed hook without a path, and shows a refusal in words', async () => {
      const api = hooksApi({
        listHooks: async () => [],
        createHook: async () => {
          throw new SsfRequestError(
            'A hook named offboarding already exists',
            409,
          );
        },
      });
      render(api);
      const form = await openCreateDialog();
      await typeIn(form, /Name/, 'offboarding');
      await userEvent.click(
        form.getByRole('radio', { name: /removed from the catalog/ }),
      );
      expect(
        form.queryByRole('textbox', { name: /Attribute path/ }),
      ).not.toBeInTheDocument();
      await userEvent.click(form.getByRole('button', { name: /Event type/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: 'account-purged' }),
      );
      await userEvent.click(form.getByRole('button', { name: 'Create' }));
      expect(
        await form.findByText('A hook named offboarding already exists'),
      ).toBeInTheDocument();
      expect(
        form.getByText('The hook could not be created'),
      ).toBeInTheDocument();
      expect(api.createHook).toHaveBeenCalledWith({
        name: 'offboarding',
        trigger: { on: 'user_removed' },
        event_type: RISC_EVENT_TYPES.accountPurged,
        payload_template: {},
        subject_format: 'email',
      });
    });

    it('edits a hook with PUT, keeping it disabled', async () => {
      const disabled = hook({ enabled: false });
      const api = hooksApi({
        listHooks: async () => [disabled],
        replaceHook: async () => disabled,
      });
      render(api);
      const form = await openDialog(`Edit ${disabled.name}`);
      const description = form.getByRole('textbox', { name: /Description/ });
      await userEvent.clear(description);
      await userEvent.type(description, 'Changed');
      await userEvent.click(form.getByRole('button', { name: 'Save' }));
      await waitFor(() =>
        expect(api.replaceHook).toHaveBeenCalledWith('hook_1', {
          name: disabled.name,
          description: 'Changed',
          enabled: false,
          trigger: disabled.trigger,
          event_type: disabled.event_type,
          payload_template: disabled.payload_template,
          subject_format: 'email',
        }),
      );
    });
  });

  it('disables a hook, and deletes one after confirmation', async () => {
    const api = hooksApi({
      setHookEnabled: async () => hook({ enabled: false }),
      deleteHook: async () => {},
    });
    render(api);
    await press('Disable lifecycle-suspended-session-revoked');
    await waitFor(() =>
      expect(api.setHookEnabled).toHaveBeenCalledWith('hook_1', false),
    );
    expect(
      await screen.findByText(
        'lifecycle-suspended-session-revoked is now disabled.',
      ),
    ).toBeInTheDocument();

    const dialog = await openDialog(
      'Delete lifecycle-suspended-session-revoked',
    );
    expect(dialog.getByText(/Delete lifecycle-suspended/)).toBeInTheDocument();
    expect(api.deleteHook).not.toHaveBeenCalled();
    await userEvent.click(dialog.getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(api.deleteHook).toHaveBeenCalledWith('hook_1'));
  });

  describe('dry run', () => {
    async function openDryRun(api: jest.Mocked<SsfApi>) {
      render(api);
      await screen.findByRole('button', {
        name: 'Edit lifecycle-suspended-session-revoked',
      });
      return openDialog('Dry run');
    }

    it('sends the change and shows each event that would be emitted', async () => {
      const api = hooksApi({
        dryRunHooks: async () => ({
          changes: [
            {
              kind: 'attribute_changed',
              path: LIFECYCLE_PATH,
              from: 'active',
              to: 'suspended',
            },
          ],
          events: [
            {
              hook_id: 'hook_1',
              hook_name: 'lifecycle-suspended-session-revoked',
              event_type: CAEP_EVENT_TYPES.sessionRevoked,
              subject: { format: 'email', email: 'jdoe@example.com' },
              payload: { initiating_entity: 'policy' },
              streams: ['stream-1', 'stream-2'],
            },
          ],
        }),
      });
      const dialog = await openDryRun(api);
      // The path of the enabled attribute hook is filled in already.
      expect(
        dialog.getByRole('textbox', { name: /Attribute path/ }),
      ).toHaveValue(LIFECYCLE_PATH);
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );
      expect(
        await dialog.findByText("Enter the user's email address"),
      ).toBeInTheDocument();

      await typeIn(dialog, /User email/, 'jdoe@example.com');
      await typeIn(dialog, /Value before/, 'active');
      await typeIn(dialog, /Value after/, 'suspended');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );

      const event = within(
        await dialog.findByRole('region', {
          name: 'Event from lifecycle-suspended-session-revoked',
        }),
      );
      expect(api.dryRunHooks).toHaveBeenCalledWith({
        change: {
          subject: { format: 'email', email: 'jdoe@example.com' },
          before: { [LIFECYCLE_PATH]: 'active' },
          attributes: { [LIFECYCLE_PATH]: 'suspended' },
        },
      });
      expect(
        dialog.getByText(`${LIFECYCLE_PATH}: active → suspended`),
      ).toBeInTheDocument();
      expect(event.getByText('CAEP session-revoked')).toBeInTheDocument();
      expect(event.getByText('jdoe@example.com')).toBeInTheDocument();
      expect(
        event.getByText('2 streams: stream-1, stream-2'),
      ).toBeInTheDocument();
      expect(
        event.getByLabelText(
          'Payload from lifecycle-suspended-session-revoked',
        ),
      ).toHaveTextContent('"initiating_entity": "policy"');
    });

    it('says when no hook matches, and sends a removal as removed', async () => {
      const api = hooksApi({
        dryRunHooks: async () => ({
          changes: [{ kind: 'user_removed' }],
          events: [],
        }),
      });
      const dialog = await openDryRun(api);
      await typeIn(dialog, /User email/, 'jdoe@example.com');
      await userEvent.click(
        dialog.getByRole('radio', { name: /removed from the catalog/ }),
      );
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );
      expect(
        await dialog.findByText(/No hook matches this change/),
      ).toBeInTheDocument();
      expect(dialog.getByText('User removed')).toBeInTheDocument();
      expect(api.dryRunHooks).toHaveBeenCalledWith({
        change: {
          subject: { format: 'email', email: 'jdoe@example.com' },
          removed: true,
        },
      });
    });

    it('sends a received-event sample for the hooks on received events', async () => {
      const accountDisabled =
        'https://schemas.openid.net/secevent/risc/event-type/account-disabled';
      const api = hooksApi({
        listHooks: async () => [
          hook(),
          hook({
            id: 'hook_3',
            name: 'okta-disabled',
            trigger: { on: 'event_received', event_type: accountDisabled },
          }),
        ],
        listProviders: async () => [provider()],
        dryRunHooks: async () => ({
          changes: [],
          events: [
            {
              hook_id: 'hook_3',
              hook_name: 'okta-disabled',
              event_type: CAEP_EVENT_TYPES.sessionRevoked,
              subject: { format: 'email', email: 'jdoe@example.com' },
              payload: { initiating_entity: 'policy' },
              streams: ['stream-1'],
            },
          ],
        }),
      });
      const dialog = await openDryRun(api);
      await typeIn(dialog, /User email/, 'jdoe@example.com');
      await userEvent.click(
        dialog.getByRole('radio', { name: /A provider sends an event/ }),
      );
      // The type the enabled hook on received events watches is filled in.
      expect(
        dialog.getByRole('textbox', { name: /Received event type/ }),
      ).toHaveValue(accountDisabled);
      await userEvent.click(dialog.getByRole('button', { name: /Provider$/ }));
      await userEvent.click(
        await screen.findByRole('option', { name: /Okta/ }),
      );
      const payload = dialog.getByRole('textbox', { name: /Event payload/ });
      await replaceText(payload, '["fraud"]');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );
      expect(
        await dialog.findByText(/The event payload must be a JSON object/),
      ).toBeInTheDocument();
      await replaceText(payload, '{"reason": "fraud"}');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );

      const event = within(
        await dialog.findByRole('region', { name: 'Event from okta-disabled' }),
      );
      expect(api.dryRunHooks).toHaveBeenCalledWith({
        received_event: {
          event_type: accountDisabled,
          subject: { format: 'email', email: 'jdoe@example.com' },
          provider: 'sse1abc',
          payload: { reason: 'fraud' },
        },
      });
      expect(event.getByText('1 stream: stream-1')).toBeInTheDocument();
      // A received event changes no attribute: no "changes seen" for it.
      expect(dialog.queryByText('Changes seen')).not.toBeInTheDocument();
    });

    it('shows a refused dry run in words', async () => {
      const api = hooksApi({
        dryRunHooks: async () => {
          throw new SsfRequestError('change.subject.email is invalid', 400);
        },
      });
      const dialog = await openDryRun(api);
      await typeIn(dialog, /User email/, 'jdoe@example.com');
      await userEvent.click(
        dialog.getByRole('button', { name: 'Run dry run' }),
      );
      expect(await dialog.findByText('The dry run failed')).toBeInTheDocument();
      expect(
        dialog.getByText('change.subject.email is invalid'),
      ).toBeInTheDocument();
    });
  });

  it('lists recent firings with the change and the SETs by stream', async () => {
    const api = hooksApi({
      listHookFirings: async () => ({
        items: [
          hookFiring(),
          hookFiring({
            id: 'firing-2',
            identity: 'user:default/alice',
            subject: { format: 'email', email: 'alice@example.com' },
            change: { kind: 'user_removed' },
            sets: [],
          }),
        ],
      }),
    });
    render(api);
    const card = within(
      await screen.findByRole('region', { name: 'Recent firings' }),
    );
    expect(await card.findByText('user:default/jdoe')).toBeInTheDocument();
    expect(api.listHookFirings).toHaveBeenCalledWith({ limit: 20 });
    expect(card.getByText('jdoe@example.com')).toBeInTheDocument();
    expect(card.getByText('active → suspended')).toBeInTheDocument();
    expect(card.getByText('User removed')).toBeInTheDocument();
    expect(card.getByText('2 SETs')).toBeInTheDocument();
    expect(card.getByText('stream-1, stream-2')).toBeInTheDocument();
    expect(card.getByText('0 SETs')).toBeInTheDocument();

    await userEvent.click(card.getByText('user:default/jdoe'));
    const detail = within(
      await card.findByRole('region', { name: 'Firing firing-1' }),
    );
    expect(detail.getByLabelText('SETs of firing firing-1')).toHaveTextContent(
      '"jti": "set-2"',
    );
    expect(detail.getByText('txn-1')).toBeInTheDocument();
  });

  it('shows the catalog reconciliation status and starts a run', async () => {
    const api = hooksApi({ reconcileLifecycle: async () => {} });
    render(api);
    const status = within(
      await screen.findByRole('region', { name: 'Catalog reconciliation' }),
    );
    expect(
      await status.findByText(/compares users with 42 snapshots/),
    ).toBeInTheDocument();
    expect(
      status.getByText(/42 users, 1 added, 0 removed, 2 changed, 3 events\.$/),
    ).toBeInTheDocument();
    await press('Reconcile now');
    await waitFor(() => expect(api.reconcileLifecycle).toHaveBeenCalled());
    expect(
      await status.findByText(/Reconciliation started/),
    ).toBeInTheDocument();
  });

  it('says when catalog reconciliation is off, and does not offer to run it', async () => {
    render(
      hooksApi({
        getLifecycleStatus: async () =>
          lifecycleStatus({ enabled: false, last_run: undefined }),
      }),
    );
    expect(
      await screen.findByText(/Catalog reconciliation is off/),
    ).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Reconcile now' });
    await waitFor(() =>
      expect(button).toHaveAccessibleDescription(
        'Catalog reconciliation is turned off in app-config.',
      ),
    );
    expect(button).toBeDisabled();
  });
});
