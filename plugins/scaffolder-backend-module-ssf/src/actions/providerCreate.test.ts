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

import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { DELIVERY_METHODS } from '@shared-signals/plugin-ssf-common';
import { createFakeSsf, schemaErrors } from '../__testUtils__/fakeSsf';
import { createSsfProviderCreateAction } from './providerCreate';

const SECRET = 'provider-push-secret-0123456789';

function setup() {
  const fake = createFakeSsf();
  fake.on('POST /security-events-providers', call => ({
    status: 200,
    body: {
      id: 'sse1qg25RpusjUP6m0g5',
      name: call.body.name,
      type: call.body.type,
      status: 'ACTIVE',
      settings: {
        issuer: call.body.settings.issuer ?? 'https://idp.example.com',
        jwks_url: 'https://idp.example.com/jwks',
      },
      _links: {},
    },
  }));
  return {
    fake,
    action: createSsfProviderCreateAction({ client: fake.client }),
  };
}

describe('ssf:provider:create', () => {
  it('registers a provider with the secret from ctx.secrets', async () => {
    const { fake, action } = setup();
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: {
        name: 'Example IdP',
        wellKnownUrl: 'https://idp.example.com/.well-known/ssf-configuration',
      },
      secrets: { ssfProviderAuthorizationSecret: SECRET },
      logger,
    });
    await action.handler(ctx);
    expect(fake.apiCalls()[0].body).toEqual({
      name: 'Example IdP',
      type: 'SSF',
      settings: {
        well_known_url: 'https://idp.example.com/.well-known/ssf-configuration',
      },
      authorization_secret: SECRET,
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'providerId',
      'sse1qg25RpusjUP6m0g5',
    );
    expect(ctx.output).toHaveBeenCalledWith('status', 'ACTIVE');
    expect(ctx.output).toHaveBeenCalledWith(
      'issuer',
      'https://idp.example.com',
    );
    const seen = JSON.stringify([
      (ctx.output as jest.Mock).mock.calls,
      logger.info.mock.calls,
      logger.warn.mock.calls,
    ]);
    expect(seen).not.toContain(SECRET);
  });

  it('registers a poll provider by issuer and JWKS URL', async () => {
    const { fake, action } = setup();
    const ctx = createMockActionContext({
      input: {
        name: 'Poller',
        type: 'okta',
        issuer: 'https://t.example',
        jwksUrl: 'https://t.example/jwks',
        deliveryMethod: 'poll' as const,
        pollEndpointUrl: 'https://t.example/poll',
      },
    });
    await action.handler(ctx);
    expect(fake.apiCalls()[0].body).toEqual({
      name: 'Poller',
      type: 'okta',
      settings: {
        issuer: 'https://t.example',
        jwks_url: 'https://t.example/jwks',
      },
      delivery: {
        method: DELIVERY_METHODS.poll,
        endpoint_url: 'https://t.example/poll',
      },
    });
  });

  it('passes owner and consumer through, and refuses ones that are not entity refs', async () => {
    const { fake, action } = setup();
    const input = {
      name: 'Owned',
      issuer: 'https://t.example',
      jwksUrl: 'https://t.example/jwks',
    };
    await action.handler(
      createMockActionContext({
        input: { ...input, owner: 'identity', consumer: 'component:hr-app' },
      }),
    );
    expect(fake.apiCalls()[0].body).toEqual({
      name: 'Owned',
      type: 'SSF',
      settings: {
        issuer: 'https://t.example',
        jwks_url: 'https://t.example/jwks',
      },
      owner: 'identity',
      consumer: 'component:hr-app',
    });
    await expect(
      action.handler(
        createMockActionContext({ input: { ...input, owner: 'a b' } }),
      ),
    ).rejects.toThrow(/owner: must be a catalog entity ref/);
    expect(fake.apiCalls()).toHaveLength(1);
  });

  it('dry run validates without creating', async () => {
    const { fake, action } = setup();
    const ok = {
      ...createMockActionContext({
        input: {
          name: 'X',
          issuer: 'https://t.example',
          jwksUrl: 'https://t.example/j',
        },
      }),
      isDryRun: true,
    };
    await action.handler(ok);
    expect(ok.output).toHaveBeenCalledWith('providerId', 'dry-run');

    const bad = {
      ...createMockActionContext({
        input: { name: 'X', issuer: 'https://t.example' },
      }),
      isDryRun: true,
    };
    await expect(action.handler(bad)).rejects.toThrow(
      'Invalid security events provider: settings.jwks_url: issuer and jwks_url must be given together',
    );
    expect(fake.apiCalls()).toEqual([]);
  });

  it("surfaces the backend's errorSummary and causes", async () => {
    const { fake, action } = setup();
    fake.on('POST /security-events-providers', () => ({
      status: 400,
      body: {
        errorCode: 'E0000001',
        errorSummary: 'Api validation failed: provider',
        errorCauses: [{ errorSummary: "name: 'Example IdP' is already used" }],
      },
    }));
    const ctx = createMockActionContext({
      input: {
        name: 'Example IdP',
        issuer: 'https://t.example',
        jwksUrl: 'https://t.example/j',
      },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      "SSF backend refused POST /security-events-providers (400): Api validation failed: provider: name: 'Example IdP' is already used",
    );
  });

  it('rejects a missing name by schema', () => {
    const { action } = setup();
    expect(schemaErrors(action, { issuer: 'https://t.example' })).toEqual([
      expect.stringContaining('requires property "name"'),
    ]);
  });
});
