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

import { ConfigReader } from '@backstage/config';
import { decodeJwt } from 'jose';
import { setTimeout as sleep } from 'node:timers/promises';
import { useCleanups } from '../__testUtils__/cleanups';
import { describeOnEachDatabase, rowCount } from '../__testUtils__/databases';
import { startTestReceiver, waitFor } from '../__testUtils__/receiver';
import {
  ACCOUNT_DISABLED,
  CREDENTIAL_CHANGE,
  SESSION_REVOKED,
} from '../__testUtils__/specUris';
import {
  createPushStream,
  startSsfBackend,
} from '../__testUtils__/testBackend';
import {
  addProvider,
  push,
  receiverConfig,
} from '../receiver/__testUtils__/receiverBackend';
import {
  TestTransmitter,
  useTestTransmitters,
} from '../receiver/__testUtils__/testTransmitter';
import { hooksAdmin } from './__testUtils__/hooksAdmin';
import { readIdentityHooksConfig } from './config';
import { renderTemplate } from './hooks/templates';

jest.setTimeout(60_000);

const alice = { format: 'email', email: 'alice@example.com' };
const OUR_ISSUER = 'https://portal.example.com/api/ssf';

/** A hook that revokes sessions when `provider` (any when absent) reports an account disabled. */
function revokeOnDisabled(provider?: string, name = 'disabled-revoked') {
  return {
    name,
    trigger: {
      on: 'event_received',
      ...(provider && { provider }),
      event_type: ACCOUNT_DISABLED,
    },
    event_type: SESSION_REVOKED,
    payload_template: {
      initiating_entity: 'policy',
      reason_admin: {
        en: '{{provider}} reported {{email}} disabled: {{event.reason}}',
      },
    },
  };
}

describeOnEachDatabase('hooks on received events', (databases, id) => {
  const t = useTestTransmitters({ okta: 'RS256', other: 'ES256' }, 'all');
  const cleanUp = useCleanups();

  /** A portal that receives SETs from providers and transmits to a push receiver. */
  async function start(transmitter: Record<string, unknown> = {}) {
    const receiver = await startTestReceiver();
    cleanUp(() => receiver.close());
    const started = await startSsfBackend({
      databases,
      id,
      config: {
        ssf: {
          ...(receiverConfig().ssf as object),
          transmitter: {
            issuer: OUR_ISSUER,
            delivery: {
              allowInsecureUrls: true,
              allowPrivateNetworks: true,
              initialBackoff: { milliseconds: 50 },
              maxBackoff: { milliseconds: 200 },
            },
            ...transmitter,
          },
          lifecycle: { defaultHooks: false, catalog: { enabled: false } },
        },
      },
    });
    cleanUp(() => started.backend.stop());
    const { server, knex } = started;
    const stream = await createPushStream(server, 'client-a', receiver.url, [
      SESSION_REVOKED,
    ]);
    expect(stream.status).toBe(201);
    const admin = hooksAdmin(server);
    const createHook = async (hook: object) => {
      const res = await admin.create(hook);
      expect(res.status).toBe(201);
      return res.body;
    };
    const firings = async () => (await admin.firings()).body.items;
    return {
      server,
      knex,
      receiver,
      admin,
      createHook,
      firings,
      streamId: stream.body.stream_id as string,
      outboxCount: () => rowCount(knex, 'ssf_outbox'),
      pushSet: async (
        from: TestTransmitter,
        claims: Record<string, unknown>,
      ) => {
        const res = await push(server, await from.sign(claims));
        expect(res.status).toBe(202);
      },
    };
  }

  it('refuses a bad event_received trigger or template with 400', async () => {
    const { admin } = await start();
    const bad = async (hook: object, message: RegExp) => {
      const res = await admin.create(hook);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    };
    const hook = revokeOnDisabled();
    await bad(
      { ...hook, trigger: { on: 'event_received' } },
      /trigger.*event_type/,
    );
    await bad(
      { ...hook, trigger: { on: 'event_received', event_type: 'disabled' } },
      /absolute URI/,
    );
    await bad(
      {
        ...hook,
        trigger: { ...hook.trigger, provider: 'not a provider id' },
      },
      /Security Events Provider/,
    );
    await bad(
      { ...hook, trigger: { ...hook.trigger, path: 'spec.profile.email' } },
      /trigger/,
    );
    await bad(
      { ...hook, payload_template: { reason: '{{bogus}}' } },
      /unknown placeholders \{\{bogus\}\}/,
    );
    // The received SET's values exist only for hooks on received events.
    await bad(
      {
        ...hook,
        trigger: { on: 'user_removed' },
        payload_template: { reason_admin: { en: '{{event_type}}' } },
      },
      /unknown placeholders \{\{event_type\}\}/,
    );
    // The event sent must still be one this transmitter sends.
    await bad(
      { ...hook, event_type: 'https://example.com/mine' },
      /event_type/,
    );

    const created = await admin.create(revokeOnDisabled('okta-1'));
    expect(created.status).toBe(201);
    expect(created.body.trigger).toEqual({
      on: 'event_received',
      provider: 'okta-1',
      event_type: ACCOUNT_DISABLED,
    });
    const changed = await admin.change(created.body.id, {
      trigger: { on: 'event_received', event_type: 'nope' },
    });
    expect(changed.status).toBe(400);
  });

  it('sends session-revoked to a subscribed push receiver when a provider reports account-disabled', async () => {
    const portal = await start();
    const provider = await addProvider(portal.server, t.okta);
    const hook = await portal.createHook(revokeOnDisabled(provider.id));

    await portal.pushSet(t.okta, {
      jti: 'okta-disabled-1',
      txn: 'okta-txn-1',
      sub_id: alice,
      events: { [ACCOUNT_DISABLED]: { reason: 'hijacking' } },
    });
    await waitFor(() => portal.receiver.received.length === 1, 10_000, 'SET');
    const sent = decodeJwt(portal.receiver.received[0].body);
    expect(sent.iss).toBe(OUR_ISSUER);
    expect(sent.sub_id).toEqual(alice);
    // The received SET's txn, so a receiver can trace it to its cause.
    expect(sent.txn).toBe('okta-txn-1');
    expect(sent.events).toEqual({
      [SESSION_REVOKED]: {
        initiating_entity: 'policy',
        reason_admin: {
          en: `${provider.id} reported alice@example.com disabled: hijacking`,
        },
        event_timestamp: expect.any(Number),
      },
    });

    expect(await portal.firings()).toEqual([
      {
        id: expect.any(String),
        hook_id: hook.id,
        hook_name: 'disabled-revoked',
        identity: 'email:alice@example.com',
        subject: alice,
        change: {
          kind: 'event_received',
          provider: provider.id,
          iss: t.okta.issuer,
          jti: 'okta-disabled-1',
          event_type: ACCOUNT_DISABLED,
        },
        event_type: SESSION_REVOKED,
        txn: 'okta-txn-1',
        sets: [{ stream_id: portal.streamId, jti: sent.jti }],
        source: `received:${provider.id}`,
        observed_at: expect.any(String),
        fired_at: expect.any(String),
      },
    ]);

    // A redelivery of the same SET is stored once and fires nothing more.
    const again = await push(
      portal.server,
      await t.okta.sign({
        jti: 'okta-disabled-1',
        txn: 'okta-txn-1',
        sub_id: alice,
        events: { [ACCOUNT_DISABLED]: { reason: 'hijacking' } },
      }),
    );
    expect(again.status).toBe(202);
    await sleep(300);
    expect(await portal.outboxCount()).toBe(1);
    expect(await portal.firings()).toHaveLength(1);
    expect(portal.receiver.received).toHaveLength(1);

    // Without a txn, the received SET's jti stands for it.
    await portal.pushSet(t.okta, {
      jti: 'okta-disabled-2',
      txn: undefined,
      sub_id: alice,
      events: { [ACCOUNT_DISABLED]: {} },
    });
    await waitFor(() => portal.receiver.received.length === 2, 10_000, 'SET');
    const second = decodeJwt(portal.receiver.received[1].body);
    expect(second.txn).toBe('okta-disabled-2');
    expect(
      (second.events as Record<string, any>)[SESSION_REVOKED].reason_admin,
    ).toEqual({ en: `${provider.id} reported alice@example.com disabled: ` });
  });

  it('fires only for the named provider and event type', async () => {
    const portal = await start();
    const okta = await addProvider(portal.server, t.okta);
    const other = await addProvider(portal.server, t.other);
    await portal.createHook(revokeOnDisabled(okta.id, 'okta-only'));
    await portal.createHook(revokeOnDisabled(undefined, 'any-provider'));
    const disabled = { sub_id: alice, events: { [ACCOUNT_DISABLED]: {} } };

    await portal.pushSet(t.other, { ...disabled, jti: 'other-1' });
    await portal.pushSet(t.okta, {
      sub_id: alice,
      jti: 'okta-credential',
      events: { [CREDENTIAL_CHANGE]: { change_type: 'update' } },
    });
    await portal.pushSet(t.okta, { ...disabled, jti: 'okta-1' });

    const fired = (await portal.firings()).map((f: any) => [
      f.hook_name,
      f.change.jti,
      f.source,
    ]);
    expect(fired.sort()).toEqual(
      [
        ['any-provider', 'other-1', `received:${other.id}`],
        ['any-provider', 'okta-1', `received:${okta.id}`],
        ['okta-only', 'okta-1', `received:${okta.id}`],
      ].sort(),
    );
    expect(await portal.outboxCount()).toBe(3);
    // The two SETs one received SET caused share its txn.
    const txns = await portal
      .knex('ssf_hook_firings')
      .where({
        change_key: (await portal.knex('ssf_hook_firings').first()).change_key,
      })
      .select('txn');
    expect(new Set(txns.map(r => r.txn)).size).toBe(1);
  });

  it('never fires on a SET with our own issuer', async () => {
    // A provider whose issuer is ours: our own SETs coming back.
    const portal = await start({ issuer: t.okta.issuer });
    await addProvider(portal.server, t.okta);
    await portal.createHook(revokeOnDisabled());
    await portal.pushSet(t.okta, {
      jti: 'ours-1',
      sub_id: alice,
      events: { [ACCOUNT_DISABLED]: {} },
    });
    expect(await rowCount(portal.knex, 'ssf_received_events')).toBe(1);
    expect(await portal.firings()).toEqual([]);
    expect(await portal.outboxCount()).toBe(0);
  });

  it('shows in a dry run what a received event would send, and sends nothing', async () => {
    const portal = await start();
    const okta = await addProvider(portal.server, t.okta);
    const hook = await portal.createHook(revokeOnDisabled(okta.id));
    const sample = {
      event_type: ACCOUNT_DISABLED,
      provider: okta.id,
      subject: alice,
      txn: 'sample-txn',
      payload: { reason: 'hijacking' },
    };

    const saved = await portal.admin.dryRun({ received_event: sample });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      changes: [],
      events: [
        {
          hook_id: hook.id,
          hook_name: 'disabled-revoked',
          event_type: SESSION_REVOKED,
          subject: alice,
          payload: {
            initiating_entity: 'policy',
            reason_admin: {
              en: `${okta.id} reported alice@example.com disabled: hijacking`,
            },
            event_timestamp: expect.any(Number),
          },
          streams: [portal.streamId],
        },
      ],
    });

    // Another provider's event fires nothing; an unsaved hook is tested alone.
    const elsewhere = await portal.admin.dryRun({
      received_event: { ...sample, provider: 'someone-else' },
    });
    expect(elsewhere.body.events).toEqual([]);
    const unsaved = await portal.admin.dryRun({
      received_event: sample,
      hook: {
        ...revokeOnDisabled(undefined, 'unsaved'),
        payload_template: { reason_admin: { en: '{{txn}} {{event_type}}' } },
      },
    });
    expect(unsaved.body.events).toEqual([
      expect.objectContaining({
        hook_name: 'unsaved',
        payload: {
          reason_admin: { en: `sample-txn ${ACCOUNT_DISABLED}` },
          event_timestamp: expect.any(Number),
        },
      }),
    ]);
    expect(unsaved.body.events[0]).not.toHaveProperty('hook_id');
    // An identity change does not fire hooks on received events.
    const change = await portal.admin.dryRun({
      change: { subject: alice, removed: true },
    });
    expect(change.body.events).toEqual([]);

    for (const body of [
      {},
      { received_event: sample, change: { subject: alice, removed: true } },
      { received_event: { ...sample, subject: undefined } },
    ]) {
      expect((await portal.admin.dryRun(body)).status).toBe(400);
    }
    expect(await portal.outboxCount()).toBe(0);
    expect(await portal.firings()).toEqual([]);
  });
});

describe('event_received hooks in config', () => {
  const read = (trigger: object) =>
    readIdentityHooksConfig(
      new ConfigReader({
        ssf: {
          lifecycle: {
            defaultHooks: false,
            hooks: [
              {
                name: 'okta-disabled',
                trigger,
                eventType: SESSION_REVOKED,
                payloadTemplate: { reason_admin: { en: '{{event_type}}' } },
              },
            ],
          },
        },
      }),
      OUR_ISSUER,
    );

  it('reads the trigger with its provider and event type', () => {
    expect(
      read({
        on: 'event_received',
        provider: 'okta',
        eventType: ACCOUNT_DISABLED,
      }).hooks[0].trigger,
    ).toEqual({
      on: 'event_received',
      provider: 'okta',
      event_type: ACCOUNT_DISABLED,
    });
  });

  it('stops the backend on a bad trigger, naming the hook', () => {
    expect(() => read({ on: 'event_received' })).toThrow(
      /ssf\.lifecycle\.hooks\[0\] \(okta-disabled\): Invalid hook: trigger\.event_type/,
    );
    expect(() =>
      read({ on: 'event_received', eventType: 'account-disabled' }),
    ).toThrow(/absolute URI/);
  });
});

describe('payload templates of hooks on received events', () => {
  const values = {
    from: '',
    to: '',
    path: 'event_received',
    identity: 'email:alice@example.com',
    email: 'alice@example.com',
    name: 'alice@example.com',
  };
  const received = (event: Record<string, unknown>) => ({
    event_type: ACCOUNT_DISABLED,
    provider: 'okta',
    iss: 'https://idp.example.com',
    jti: 'j1',
    txn: 't1',
    event,
  });

  it('renders payload members as text, JSON, or nothing, at most 4,096 characters', () => {
    const template = {
      a: '{{event.reason}}',
      b: '{{event.reason_admin}}',
      c: '[{{event.missing}}]',
      d: '{{event.long}}',
      e: '{{iss}} {{jti}} {{txn}} {{provider}} {{event_type}}',
    };
    expect(
      renderTemplate(
        template,
        values,
        received({
          reason: 'hijacking',
          reason_admin: { en: 'Hijacked' },
          long: 'x'.repeat(5000),
        }),
      ),
    ).toEqual({
      a: 'hijacking',
      b: '{"en":"Hijacked"}',
      c: '[]',
      d: 'x'.repeat(4096),
      e: `https://idp.example.com j1 t1 okta ${ACCOUNT_DISABLED}`,
    });
    // A hook on identity changes has no received SET: left as written.
    expect(renderTemplate(template, values).a).toBe('{{event.reason}}');
  });
});
