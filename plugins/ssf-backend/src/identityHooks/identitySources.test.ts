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

import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  SsfIdentityChangeSink,
  ssfIdentityChangeSourcesExtensionPoint,
} from '@shared-signals/plugin-ssf-node';
import { decodeJwt } from 'jose';
import { describeOnEachDatabase } from '../__testUtils__/databases';
import { waitFor } from '../__testUtils__/receiver';
import { SESSION_REVOKED } from '../__testUtils__/specUris';
import {
  mutableCatalog,
  useIdentityHooksBackends,
} from './__testUtils__/identityHooksBackend';

jest.setTimeout(60_000);

describeOnEachDatabase('identity change sources', (databases, id) => {
  const backends = useIdentityHooksBackends(databases, id);

  it('lets a backend module feed identity changes into the hooks', async () => {
    let sink: SsfIdentityChangeSink | undefined;
    const hrFeed = createBackendModule({
      pluginId: 'ssf',
      moduleId: 'test-hr-feed',
      register(reg) {
        reg.registerInit({
          deps: { sources: ssfIdentityChangeSourcesExtensionPoint },
          async init({ sources }) {
            sources.addSource({
              id: 'hr-feed',
              connect: async s => {
                sink = s;
              },
            });
          },
        });
      },
    });
    const receiver = await backends.receiver();
    const backend = await backends.start(mutableCatalog(), {
      extraFeatures: [hrFeed],
    });
    await backend.createStream('client-a', receiver.url, [SESSION_REVOKED]);
    // Connected once the backend has started.
    expect(sink).toBeDefined();

    const [outcome] = await sink!.submit([
      {
        subject: { format: 'email', email: 'leaver@example.com' },
        attributes: { 'metadata.annotations[ssf.io/lifecycle]': 'suspended' },
      },
    ]);
    expect(outcome.events.map(e => e.hookName).sort()).toEqual([
      'lifecycle-inactive-account-disabled',
      'lifecycle-inactive-session-revoked',
    ]);
    await waitFor(() => receiver.received.length === 1, 10_000, 'SET');
    expect(decodeJwt(receiver.received[0].body).sub_id).toEqual({
      format: 'email',
      email: 'leaver@example.com',
    });

    // The firing names the source.
    const firings = await backend.admin.firings(
      '?identity=email:leaver@example.com',
    );
    expect(firings.body.items).toHaveLength(2);
    expect(firings.body.items[0].source).toBe('hr-feed');

    // A bad change from a module is refused like one over HTTP.
    await expect(
      sink!.submit([
        {
          subject: { format: 'email', email: 'x@example.com' },
          attributes: { 'a[': 'b' },
        },
      ]),
    ).rejects.toThrow(/unclosed/);
  });
});
